import { lstat, readdir, rm } from 'node:fs/promises'
import path from 'node:path'
import { unneededModuleFiles } from './download-prune.js'
import { setAside, type SetAside } from './set-aside.js'
import type { CacheStore } from './store.js'

/** The `cache-hit` output: the primary key matched, an older entry (restore-key prefix) matched, or nothing. */
export type CacheHit = 'true' | 'partial' | 'false'

export interface ModuleCacheTarget {
  store: CacheStore
  /** the job's environment: ACTIONS_CACHE_MODE, GITHUB_EVENT_NAME */
  env: Readonly<Record<string, string | undefined>>
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
  /** module versions with a zip after it */
  zipsAfter: number
  /** when nothing was restored because of a problem (not a plain miss): the one-line reason */
  problem?: string
  /** when nothing was restored by design (read-only cache mode, no cache service): the one-line reason */
  notRestored?: string
}

/** Restores the download cache. Never throws for a cache problem: a failure is reported, with a miss. */
export async function restoreModuleCache(
  target: ModuleCacheTarget,
  key: string,
  restoreKeys: string[],
): Promise<CacheRestoreResult> {
  const { store, downloadDir } = target
  const started = Date.now()
  let before: DownloadDirScan = { files: 0, bytes: 0, zips: 0 }
  const result = (
    matchedKey: string | undefined,
    after: DownloadDirScan,
    why: { problem?: string; notRestored?: string } = {},
  ): CacheRestoreResult => ({
    key,
    matchedKey,
    hit: matchedKey === undefined ? 'false' : matchedKey === key ? 'true' : 'partial',
    bytes: Math.max(0, after.bytes - before.bytes),
    durationMs: Date.now() - started,
    filesBefore: before.files,
    filesAfter: after.files,
    zipsAfter: after.zips,
    ...why,
  })

  try {
    before = await scanDownloadDir(downloadDir)
  } catch (error) {
    return result(undefined, before, { problem: `cannot read ${downloadDir}: ${oneLine(error)}` })
  }
  const mode = cacheMode(target.env)
  if (!modeAllows(mode, 'read')) {
    return result(undefined, before, { notRestored: `the runner's cache mode '${mode}' does not allow reading` })
  }
  if (!store.available()) {
    return result(undefined, before, { problem: 'no cache service is available to this job' })
  }
  let matchedKey: string | undefined
  try {
    matchedKey = await store.restore([downloadDir], key, restoreKeys)
  } catch (error) {
    // a failed extraction may have left files behind; they count as what the restore brought
    return result(undefined, await scanDownloadDir(downloadDir).catch(() => before), { problem: oneLine(error) })
  }
  return result(matchedKey, await scanDownloadDir(downloadDir).catch(() => before))
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
  /**
   * the text of every go.sum / go.work.sum of the job: module versions none of them names are left out of the entry,
   * so old versions do not pile up entry after entry (undefined: no pruning)
   */
  goSumTexts?: string[]
  /** Go versions the job ran: their golang.org/toolchain versions stay */
  goVersions?: string[]
}

export interface CacheSaveResult {
  saved: boolean
  /** one line: what was saved, or why nothing was */
  reason: string
  /** a cache-service failure (a warning): why nothing was saved */
  problem?: string
  cacheId?: number
  /** files left out: module versions no go.sum names */
  prunedFiles?: number
  prunedBytes?: number
  /** cacheable files in the download dir when the post step looked */
  files: number
  durationMs: number
}

/** Saves the download cache in the post step, when the rules allow it. Never throws for a cache problem. */
export async function saveModuleCache(target: ModuleCacheTarget, request: CacheSaveRequest): Promise<CacheSaveResult> {
  const { store, downloadDir } = target
  const started = Date.now()
  let now: DownloadDirScan = { files: 0, bytes: 0, zips: 0 }
  const done = (
    saved: boolean,
    reason: string,
    extra: { problem?: string; cacheId?: number } = {},
  ): CacheSaveResult => ({
    saved,
    reason,
    ...extra,
    files: now.files,
    durationMs: Date.now() - started,
  })
  const failed = (problem: string): CacheSaveResult => done(false, problem, { problem })

  try {
    now = await scanDownloadDir(downloadDir)
  } catch (error) {
    return failed(`cannot read ${downloadDir}: ${oneLine(error)}`)
  }
  const decision = decideCacheSave({
    cacheSave: request.cacheSave,
    mainSucceeded: request.mainSucceeded,
    hit: request.matchedKey === undefined ? 'false' : request.matchedKey === request.key ? 'true' : 'partial',
    eventName: target.env['GITHUB_EVENT_NAME'] ?? '',
    cacheMode: cacheMode(target.env),
    available: store.available(),
    filesAtRestore: request.filesAtRestore,
    filesNow: now.files,
  })
  if (!decision.save) return done(false, decision.reason)

  let aside: SetAside | undefined
  try {
    await removeTransientFiles(downloadDir)
    if (request.goSumTexts !== undefined) {
      const unneeded = await unneededModuleFiles(downloadDir, request.goSumTexts, {
        goVersions: request.goVersions ?? [],
      })
      aside = await setAside(
        downloadDir,
        unneeded.files.map((file) => path.relative(downloadDir, file).split(path.sep).join('/')),
      )
    }
    const kept = aside === undefined || aside.files === 0 ? now : await scanDownloadDir(downloadDir)
    const cacheId = await store.save([downloadDir], request.key)
    if (cacheId === -1) {
      return done(
        false,
        `the cache service did not take the entry for ${request.key} (usually another job saved that key first)`,
      )
    }
    return done(true, `${kept.files} files, ${formatBytes(kept.bytes)} before compression, under ${request.key}`, {
      cacheId,
      ...(aside === undefined ? {} : { prunedFiles: aside.files, prunedBytes: aside.bytes }),
    })
  } catch (error) {
    return failed(oneLine(error))
  } finally {
    await aside?.putBack()
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
export function modeAllows(mode: string, access: 'read' | 'write'): boolean {
  const known = ['none', 'read', 'write', 'write-only']
  if (!known.includes(mode)) return true
  return access === 'read' ? mode === 'read' || mode === 'write' : mode === 'write' || mode === 'write-only'
}

export function cacheMode(env: Readonly<Record<string, string | undefined>>): string {
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
  /** module zips: the module versions the cache can serve */
  zips: number
}

/** Counts the cacheable files of the download dir and their bytes; a missing dir is empty. */
export async function scanDownloadDir(dir: string): Promise<DownloadDirScan> {
  const files = await listFiles(dir)
  let bytes = 0
  let count = 0
  let zips = 0
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
    sizes.forEach((size, index) => {
      if (size === undefined) return
      count += 1
      bytes += size
      if (batch[index]?.endsWith('.zip')) zips += 1
    })
  }
  return { files: count, bytes, zips }
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

/** The first line of an error, without its final period: a reason that fits in a sentence. */
export function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return (message.split(/\r?\n/).find((line) => line.trim() !== '') ?? 'unknown error').trim().replace(/\.$/, '')
}

function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`
}
