import { createHash } from 'node:crypto'
import { open, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { treeSize } from './files.js'
import { ageRestoredFiles, outputNames, unusedFiles } from './gocache-prune.js'
import { setAside } from './set-aside.js'
import type { DependencyFile } from './key.js'
import { cacheMode, modeAllows, oneLine, type CacheHit } from './module-cache.js'
import type { CacheStore } from './store.js'

/*
 * The build cache, `$(go env GOCACHE)`, in an entry of its own: never module files, never mixed with the module entry.
 * Go keys every compile action by its inputs (sources, flags, the compiler), so an entry from another commit can only
 * miss, never build a wrong binary: it is restored by prefix, from the most specific to the Go version's, and saved
 * under a key of its own run so that the default branch's newest entry is always the one restored.
 */

/** Bumped when what goes into the entry, or how the key is derived, changes. */
export const BUILD_CACHE_FORMAT_VERSION = 'v1'

export interface BuildCacheFacts {
  prefix: string
  /** `go env GOOS`, `GOARCH`, `GOVERSION` */
  goos: string
  goarch: string
  goVersion: string
  /** what changes compiled output wholesale: GOFLAGS, CGO_ENABLED, GOEXPERIMENT, GOAMD64 and friends, CC */
  buildVariables: Record<string, string>
  /** the go.sum / go.work.sum files the module key is derived from */
  dependencyFiles: DependencyFile[]
  /** this run: GITHUB_RUN_ID and GITHUB_RUN_ATTEMPT */
  runId: string
}

export interface BuildCacheKeys {
  key: string
  /** most specific first: the same flags and dependencies, then the same OS, arch and Go version */
  restoreKeys: string[]
}

/** `<prefix>-build-v1-<os>-<arch>-<go version>-<hash of flags and dependencies>-<run>` and its restore keys. */
export function buildCacheKeys(facts: BuildCacheFacts): BuildCacheKeys {
  const hash = createHash('sha256')
  for (const [name, value] of Object.entries(facts.buildVariables).sort(([a], [b]) => (a < b ? -1 : 1))) {
    hash.update(`${name}=${value}\n`)
  }
  const files = [...facts.dependencyFiles].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  for (const file of files) {
    hash.update(`${Buffer.byteLength(file.path)}:${file.path}\n${file.content.length}:`)
    hash.update(file.content)
  }
  const platform = `${facts.prefix}-build-${BUILD_CACHE_FORMAT_VERSION}-${facts.goos}-${facts.goarch}-${facts.goVersion}-`
  const specific = `${platform}${hash.digest('hex').slice(0, 24)}-`
  return { key: `${specific}${facts.runId}`, restoreKeys: [specific, platform] }
}

/** `true` for an entry with the same flags and dependencies, `partial` for one of the same platform and Go. */
export function buildCacheHit(keys: BuildCacheKeys, matchedKey: string | undefined): CacheHit {
  if (matchedKey === undefined) return 'false'
  return matchedKey === keys.key || matchedKey.startsWith(keys.restoreKeys[0] as string) ? 'true' : 'partial'
}

export interface BuildCacheRestore {
  matchedKey?: string
  hit: CacheHit
  /** files in GOCACHE after the restore, all aged */
  files: number
  bytes: number
  durationMs: number
  /** when the files were aged: what was not used by the post step is older than this (minus a margin) */
  agedAt: number
  problem?: string
  notRestored?: string
}

export interface BuildCacheTarget {
  store: CacheStore
  env: Readonly<Record<string, string | undefined>>
  /** `$(go env GOCACHE)`, absolute: the one path of the entry, for restore and save alike */
  gocache: string
  /** a file of the tool's own listing the outputs GOCACHE held after the restore, for the post step to compare */
  inventory: string
}

/**
 * Restores the build cache, then ages every file in GOCACHE to two hours ago — whatever was there, restored or not —
 * so that what this job uses (Go refreshes the mtime of an entry older than an hour when it uses it) stands out at the
 * post step. Never throws for a cache problem.
 */
export async function restoreBuildCache(target: BuildCacheTarget, keys: BuildCacheKeys): Promise<BuildCacheRestore> {
  const started = Date.now()
  let matchedKey: string | undefined
  let problem: string | undefined
  let notRestored: string | undefined
  const mode = cacheMode(target.env)
  if (!modeAllows(mode, 'read')) notRestored = `the runner's cache mode '${mode}' does not allow reading`
  else if (!target.store.available()) problem = 'no cache service is available to this job'
  else {
    try {
      matchedKey = await target.store.restore([target.gocache], keys.key, keys.restoreKeys)
    } catch (error) {
      problem = oneLine(error)
    }
  }
  const durationMs = Date.now() - started
  const agedAt = Date.now()
  await ageRestoredFiles(target.gocache, new Date(agedAt))
  await writeFile(target.inventory, (await outputNames(target.gocache)).join('\n'))
  const now = await treeSize(target.gocache)
  return {
    ...(matchedKey === undefined ? {} : { matchedKey }),
    hit: buildCacheHit(keys, matchedKey),
    files: now.files,
    bytes: now.bytes,
    durationMs,
    agedAt,
    ...(problem === undefined ? {} : { problem }),
    ...(notRestored === undefined ? {} : { notRestored }),
  }
}

export interface BuildCacheSaveFacts {
  /** the `build-cache-save` input */
  policy: 'default-branch' | 'always' | 'never'
  mainSucceeded: boolean
  /** GITHUB_EVENT_NAME */
  eventName: string
  /** GITHUB_REF */
  ref: string
  /** the repository's default branch, from the event payload; undefined when it does not say */
  defaultBranch: string | undefined
  /** ACTIONS_CACHE_MODE, lower-cased */
  cacheMode: string
  available: boolean
  /** outputs the job added to GOCACHE, module indexes aside: any means it compiled something the entry lacked */
  newOutputs: number
}

export type SaveDecision = { save: true } | { save: false; reason: string }

/** Whether the post step saves the build cache, and if not, why. Pure: every rule is one line. */
export function decideBuildCacheSave(facts: BuildCacheSaveFacts): SaveDecision {
  const no = (reason: string): SaveDecision => ({ save: false, reason })
  if (facts.policy === 'never') return no('build-cache-save is never')
  if (!facts.mainSucceeded) return no('the main step did not succeed')
  // pull_request_target runs code from the pull request with the base branch's cache scope: never write into it
  if (facts.eventName === 'pull_request_target') return no('pull_request_target events never write to the cache')
  if (facts.policy === 'default-branch') {
    if (facts.defaultBranch === undefined) {
      return no('the event payload does not name the default branch (set build-cache-save: always to save anyway)')
    }
    if (facts.ref !== `refs/heads/${facts.defaultBranch}`) {
      return no(`saved only on the default branch (${facts.defaultBranch}); this is ${facts.ref || 'no branch'}`)
    }
  }
  if (!modeAllows(facts.cacheMode, 'write'))
    return no(`the runner's cache mode '${facts.cacheMode}' does not allow writing`)
  if (!facts.available) return no('no cache service is available to this job')
  if (facts.newOutputs === 0) return no('the job compiled nothing the restored entry lacked')
  return { save: true }
}

/** The repository's default branch, from the webhook payload the runner leaves at GITHUB_EVENT_PATH. */
export async function defaultBranchOf(env: Readonly<Record<string, string | undefined>>): Promise<string | undefined> {
  const file = env['GITHUB_EVENT_PATH']
  if (!file) return undefined
  try {
    const payload = JSON.parse(await readFile(file, 'utf8')) as { repository?: { default_branch?: unknown } }
    const branch = payload.repository?.default_branch
    return typeof branch === 'string' && branch !== '' ? branch : undefined
  } catch {
    return undefined
  }
}

export interface BuildCacheSaveRequest {
  key: string
  policy: BuildCacheSaveFacts['policy']
  mainSucceeded: boolean
  agedAt: number
}

export interface BuildCacheSave {
  saved: boolean
  reason: string
  problem?: string
  durationMs: number
  /** files and bytes of the saved entry */
  files: number
  bytes: number
  /** left out: entries this job did not use */
  prunedFiles: number
  prunedBytes: number
}

/**
 * Saves GOCACHE in the post step, when the rules allow it, leaving out every entry this job did not use (they are set
 * aside beside GOCACHE for the upload and moved back after it): the entry holds what the job used or created, and
 * never grows run over run. Never throws for a cache problem.
 */
export async function saveBuildCache(
  target: BuildCacheTarget,
  request: BuildCacheSaveRequest,
): Promise<BuildCacheSave> {
  const started = Date.now()
  const result = (saved: boolean, reason: string, extra: Partial<BuildCacheSave> = {}): BuildCacheSave => ({
    saved,
    reason,
    durationMs: Date.now() - started,
    files: 0,
    bytes: 0,
    prunedFiles: 0,
    prunedBytes: 0,
    ...extra,
  })
  const decision = decideBuildCacheSave({
    policy: request.policy,
    mainSucceeded: request.mainSucceeded,
    eventName: target.env['GITHUB_EVENT_NAME'] ?? '',
    ref: target.env['GITHUB_REF'] ?? '',
    defaultBranch: await defaultBranchOf(target.env),
    cacheMode: cacheMode(target.env),
    available: target.store.available(),
    newOutputs: await newOutputs(target),
  })
  if (!decision.save) return result(false, decision.reason)
  let unused
  try {
    unused = await unusedFiles(target.gocache, new Date(request.agedAt))
  } catch (error) {
    return result(false, oneLine(error), { problem: oneLine(error) })
  }
  const aside = await setAside(target.gocache, unused.paths)
  try {
    const kept = await treeSize(target.gocache)
    const cacheId = await target.store.save([target.gocache], request.key)
    if (cacheId === -1) {
      return result(
        false,
        `the cache service did not take the entry for ${request.key} (usually another job saved that key first)`,
      )
    }
    return result(true, `${kept.files} files under ${request.key}`, {
      files: kept.files,
      bytes: kept.bytes,
      prunedFiles: aside.files,
      prunedBytes: aside.bytes,
    })
  } catch (error) {
    return result(false, oneLine(error), { problem: oneLine(error) })
  } finally {
    await aside.putBack()
  }
}

/**
 * The outputs GOCACHE holds now and did not after the restore, not counting module indexes: Go indexes the main
 * module's directory by its files' times, which a fresh checkout renews every run, so an index entry alone is no
 * reason to save.
 */
async function newOutputs(target: BuildCacheTarget): Promise<number> {
  const before = new Set((await readFile(target.inventory, 'utf8').catch(() => '')).split('\n'))
  let count = 0
  for (const name of await outputNames(target.gocache)) {
    if (before.has(name) || (await isModuleIndex(path.join(target.gocache, name)))) continue
    count += 1
  }
  return count
}

const INDEX_MAGIC = 'go index v'

async function isModuleIndex(file: string): Promise<boolean> {
  const handle = await open(file, 'r').catch(() => undefined)
  if (handle === undefined) return false
  try {
    const buffer = Buffer.alloc(INDEX_MAGIC.length)
    await handle.read(buffer, 0, buffer.length, 0)
    return buffer.toString('latin1') === INDEX_MAGIC
  } catch {
    return false
  } finally {
    await handle.close()
  }
}
