import { lstat, readdir, rm } from 'node:fs/promises'
import path from 'node:path'
import type { Platform } from '../platform/platform.js'
import type { CacheStore } from './store.js'

/** The `cache-hit` output: the primary key matched, an older entry (restore-key prefix) matched, or nothing. */
export type CacheHit = 'true' | 'partial' | 'false'

export interface ModuleCacheTarget {
  store: CacheStore
  platform: Platform
  /**
   * `$(go env GOMODCACHE)/cache/download`, absolute. It is the one path given to the cache service, for restore and
   * save alike: the service's entry version hashes the path list, so any other string would never match.
   */
  downloadDir: string
}

export interface CacheRestoreResult {
  key: string
  matchedKey?: string
  hit: CacheHit
  /** growth of the download dir during the restore */
  bytes: number
  durationMs: number
  /** cacheable files in the download dir before the restore */
  filesBefore: number
  /** cacheable files right after it: the post step saves only if more are there by then */
  filesAfter: number
  /** when nothing was restored because of a problem (not a plain miss): the one-line reason */
  problem?: string
}

/** Restores the download cache. Never throws for a cache problem: a failure is a warning and a miss. */
export async function restoreModuleCache(
  target: ModuleCacheTarget,
  key: string,
  restoreKeys: string[],
): Promise<CacheRestoreResult> {
  const { store, platform, downloadDir } = target
  const started = Date.now()
  let before: DownloadDirScan = { files: 0, bytes: 0 }
  const result = (matchedKey: string | undefined, after: DownloadDirScan, problem?: string): CacheRestoreResult => ({
    key,
    matchedKey,
    hit: matchedKey === undefined ? 'false' : matchedKey === key ? 'true' : 'partial',
    bytes: Math.max(0, after.bytes - before.bytes),
    durationMs: Date.now() - started,
    filesBefore: before.files,
    filesAfter: after.files,
    problem,
  })
  const failed = (problem: string): CacheRestoreResult => {
    platform.warning(`Module cache not restored: ${problem}. Modules will be downloaded instead.`)
    return result(undefined, before, problem)
  }

  try {
    before = await scanDownloadDir(downloadDir)
  } catch (error) {
    return failed(`cannot read ${downloadDir}: ${oneLine(error)}`)
  }
  const mode = cacheMode(platform.env)
  if (!modeAllows(mode, 'read')) {
    platform.info(`Module cache not restored: the runner's cache mode '${mode}' does not allow reading.`)
    return result(undefined, before)
  }
  if (!store.available()) {
    const message = 'Module cache not restored: no cache service is available to this job.'
    if (platform.name === 'github') platform.warning(message)
    else platform.info(message)
    return result(undefined, before)
  }

  let matchedKey: string | undefined
  try {
    matchedKey = await store.restore([downloadDir], key, restoreKeys)
  } catch (error) {
    const restored = failed(oneLine(error))
    // a failed extraction may have left files behind; they count as what the restore brought
    return { ...restored, ...afterScan(await scanDownloadDir(downloadDir).catch(() => before), before) }
  }
  const restored = result(matchedKey, await scanDownloadDir(downloadDir).catch(() => before))
  if (matchedKey === undefined) {
    platform.info(`Module cache miss: no entry for ${key}, nor for any key starting with ${restoreKeys.join(' or ')}.`)
  } else {
    const from = restored.hit === 'true' ? key : `the older entry ${matchedKey} (partial hit)`
    platform.info(
      `Module cache restored from ${from}: ${formatBytes(restored.bytes)} in ${formatSeconds(restored.durationMs)}.`,
    )
  }
  return restored
}

function afterScan(after: DownloadDirScan, before: DownloadDirScan): Pick<CacheRestoreResult, 'bytes' | 'filesAfter'> {
  return { bytes: Math.max(0, after.bytes - before.bytes), filesAfter: after.files }
}

export interface CacheSaveRequest {
  key: string
  /** what the restore matched; undefined after a miss */
  matchedKey?: string
  /** `filesAfter` of the restore */
  filesAtRestore: number
  /** whether the main step succeeded */
  mainSucceeded: boolean
  /** the `cache-save` input */
  cacheSave: boolean
}

export interface CacheSaveResult {
  saved: boolean
  /** one line: what was saved, or why nothing was */
  reason: string
  cacheId?: number
  /** cacheable files in the download dir when the post step looked */
  files: number
  durationMs: number
}

/** Saves the download cache in the post step, when the rules allow it. Never throws for a cache problem. */
export async function saveModuleCache(target: ModuleCacheTarget, request: CacheSaveRequest): Promise<CacheSaveResult> {
  const { store, platform, downloadDir } = target
  const started = Date.now()
  let now: DownloadDirScan = { files: 0, bytes: 0 }
  const done = (saved: boolean, reason: string, cacheId?: number): CacheSaveResult => {
    if (saved) platform.info(`Module cache ${reason} in ${formatSeconds(Date.now() - started)}.`)
    return { saved, reason, cacheId, files: now.files, durationMs: Date.now() - started }
  }
  const failed = (reason: string): CacheSaveResult => {
    platform.warning(`Module cache not saved: ${reason}.`)
    return done(false, reason)
  }

  try {
    now = await scanDownloadDir(downloadDir)
  } catch (error) {
    return failed(`cannot read ${downloadDir}: ${oneLine(error)}`)
  }
  const decision = decideCacheSave({
    cacheSave: request.cacheSave,
    mainSucceeded: request.mainSucceeded,
    hit: request.matchedKey === undefined ? 'false' : request.matchedKey === request.key ? 'true' : 'partial',
    eventName: platform.env['GITHUB_EVENT_NAME'] ?? '',
    cacheMode: cacheMode(platform.env),
    available: store.available(),
    filesAtRestore: request.filesAtRestore,
    filesNow: now.files,
  })
  if (!decision.save) {
    platform.info(`Module cache not saved: ${decision.reason}.`)
    return done(false, decision.reason)
  }

  try {
    await removeTransientFiles(downloadDir)
    const cacheId = await store.save([downloadDir], request.key)
    if (cacheId === -1) {
      const reason = `the cache service did not take the entry for ${request.key} (usually another job saved that key first)`
      platform.info(`Module cache not saved: ${reason}.`)
      return done(false, reason)
    }
    return done(
      true,
      `saved: ${now.files} files, ${formatBytes(now.bytes)} before compression, under ${request.key}`,
      cacheId,
    )
  } catch (error) {
    return failed(oneLine(error))
  }
}

export interface CacheSaveFacts {
  cacheSave: boolean
  mainSucceeded: boolean
  hit: CacheHit
  /** GITHUB_EVENT_NAME */
  eventName: string
  /** ACTIONS_CACHE_MODE, lower-cased */
  cacheMode: string
  available: boolean
  filesAtRestore: number
  filesNow: number
}

export type CacheSaveDecision = { save: true } | { save: false; reason: string }

/** Whether the post step saves, and if not, why. Pure: every rule is one line. */
export function decideCacheSave(facts: CacheSaveFacts): CacheSaveDecision {
  const no = (reason: string): CacheSaveDecision => ({ save: false, reason })
  if (!facts.cacheSave) return no('cache-save is false')
  if (!facts.mainSucceeded) return no('the main step did not succeed, so the download dir may be incomplete')
  if (facts.hit === 'true') return no('the restore matched the key exactly, so the entry exists already')
  // pull_request_target runs code from the pull request with the base branch's cache scope: never write into it
  if (facts.eventName === 'pull_request_target') return no('pull_request_target events never write to the cache')
  if (!modeAllows(facts.cacheMode, 'write'))
    return no(`the runner's cache mode '${facts.cacheMode}' does not allow writing`)
  if (!facts.available) return no('no cache service is available to this job')
  if (facts.filesNow <= facts.filesAtRestore) return no('no module files were added since the restore')
  return { save: true }
}

/** The runner's cache mode lattice, as @actions/cache reads it: unknown or unset allows everything. */
function modeAllows(mode: string, access: 'read' | 'write'): boolean {
  const known = ['none', 'read', 'write', 'write-only']
  if (!known.includes(mode)) return true
  return access === 'read' ? mode === 'read' || mode === 'write' : mode === 'write' || mode === 'write-only'
}

function cacheMode(env: Readonly<Record<string, string | undefined>>): string {
  return (env['ACTIONS_CACHE_MODE'] ?? '').trim().toLowerCase()
}

/**
 * Files Go leaves behind or keeps only while it works: `.lock` files (one per module version, recreated on demand),
 * `.partial` markers of an unfinished extraction, and `*.tmp` files of an unfinished write. None belongs in an archive.
 */
export function isTransientCacheFile(name: string): boolean {
  return name.endsWith('.lock') || name.endsWith('.partial') || name.endsWith('.tmp')
}

export interface DownloadDirScan {
  /** cacheable files (transient files not counted) */
  files: number
  bytes: number
}

/** Counts the cacheable files of the download dir and their bytes; a missing dir is empty. */
export async function scanDownloadDir(dir: string): Promise<DownloadDirScan> {
  const files = await listFiles(dir)
  let bytes = 0
  let count = 0
  for (let i = 0; i < files.length; i += 256) {
    const batch = files.slice(i, i + 256).filter((file) => !isTransientCacheFile(file))
    // a file Go removes meanwhile is simply not counted
    const sizes = await Promise.all(
      batch.map((file) =>
        lstat(file).then(
          (stat) => stat.size,
          () => undefined,
        ),
      ),
    )
    for (const size of sizes) {
      if (size === undefined) continue
      count += 1
      bytes += size
    }
  }
  return { files: count, bytes }
}

async function removeTransientFiles(dir: string): Promise<void> {
  const transient = (await listFiles(dir)).filter((file) => isTransientCacheFile(file))
  await Promise.all(transient.map((file) => rm(file, { force: true })))
}

async function listFiles(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true })
    return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
}

function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return (message.split(/\r?\n/).find((line) => line.trim() !== '') ?? 'unknown error').trim().replace(/\.$/, '')
}

function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`
}

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`
}
