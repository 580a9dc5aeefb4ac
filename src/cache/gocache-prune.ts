import { lstat, utimes } from 'node:fs/promises'
import { mapLimit, readNames, readTree, treeSize } from './files.js'
import path from 'node:path'

/**
 * Pruning a restored Go build cache (GOCACHE) to what one job used, by mtime.
 *
 * Go refreshes a cache entry's mtime when it uses it, but only when the mtime is at least `mtimeInterval` (1 h) old,
 * and trims entries unused for `trimLimit` (5 days) (cmd/go/internal/cache/cache.go, `markUsed` and `Trim`). The
 * refreshed files are the action entry `<2 hex>/<hash>-a` (read by every lookup) and the output `<2 hex>/<hash>-d`
 * (refreshed when its path is asked for); an executable output is a directory `<hash>-d/` holding one binary, and it is
 * the directory's mtime that Go refreshes. So: after a restore, age every file by {@link RESTORED_AGE_MS} (2 h: more
 * than `mtimeInterval`, far less than `trimLimit`, so Go refreshes what it uses and trims nothing); before the save,
 * an entry still at its aged mtime was not used by the job.
 *
 * Only entries are ever pruned. Everything else in GOCACHE is kept: `README`, `trim.txt` (when Go last trimmed),
 * `testexpire.txt` (`go clean -testcache`), `fuzz/` (the fuzzing corpus, which Go never trims), and any file whose name
 * is not an entry's.
 */

/** How far back restored files are dated: over Go's `mtimeInterval` (1 h), far under its `trimLimit` (5 days). */
export const RESTORED_AGE_MS = 2 * 60 * 60 * 1000

/**
 * An entry whose mtime is more than this before the ageing time was not used since. The gap between an aged file
 * (ageing time − 2 h) and a used one (≥ ageing time) is 2 h; cutting in its middle tolerates any filesystem's mtime
 * granularity (FAT's 2 s included) and a clock stepped back by less than an hour during the job.
 */
export const UNUSED_MARGIN_MS = 60 * 60 * 1000

const SHARD = /^[0-9a-f]{2}$/
const ENTRY = /^[0-9a-f]{64}-[ad]$/

export interface AgeResult {
  /** regular files whose times were set */
  files: number
  /** executable entries (`<hash>-d/` directories) whose times were set */
  entryDirs: number
}

/**
 * Sets the mtime and atime of every regular file under `dir`, and of every executable entry directory, to
 * `now` − {@link RESTORED_AGE_MS}. Call it right after restoring GOCACHE, before any `go` command runs. A missing `dir`
 * ages nothing; a file removed meanwhile is skipped.
 */
export async function ageRestoredFiles(dir: string, now: Date = new Date()): Promise<AgeResult> {
  const aged = new Date(now.getTime() - RESTORED_AGE_MS)
  const files: string[] = []
  const entryDirs: string[] = []
  for (const entry of await readTree(dir)) {
    if (entry.isFile()) files.push(path.join(entry.parentPath, entry.name))
    else if (entry.isDirectory() && isEntryDir(dir, entry.parentPath, entry.name))
      entryDirs.push(path.join(entry.parentPath, entry.name))
  }
  const touch = (file: string): Promise<boolean> =>
    utimes(file, aged, aged).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return false
        throw error
      },
    )
  const fileResults = await mapLimit(files, touch)
  // directories last: ageing the files inside does not change a directory's mtime, but be certain of the order
  const dirResults = await mapLimit(entryDirs, touch)
  return { files: fileResults.filter(Boolean).length, entryDirs: dirResults.filter(Boolean).length }
}

export interface UnusedEntries {
  /**
   * paths relative to the cache dir, `/`-separated: entry files (`ab/<hash>-a`, `ab/<hash>-d`) and executable entry
   * directories (`ab/<hash>-d`, to be moved whole)
   */
  paths: string[]
  /** regular files in them */
  files: number
  /** bytes of those files */
  bytes: number
}

/**
 * The cache entries under `dir` not used since `agedAt` (the `now` given to {@link ageRestoredFiles}): their mtime is
 * older than `agedAt` − {@link UNUSED_MARGIN_MS}. Restored entries sit at `agedAt` − 2 h until Go uses them; what the
 * job used or created is at or after `agedAt`. Only entries in the 256 `<2 hex>/` shards are considered.
 */
export async function unusedFiles(dir: string, agedAt: Date): Promise<UnusedEntries> {
  const cutoff = agedAt.getTime() - UNUSED_MARGIN_MS
  const candidates: string[] = []
  for (const shard of await readNames(dir)) {
    if (!SHARD.test(shard)) continue
    for (const name of await readNames(path.join(dir, shard))) if (ENTRY.test(name)) candidates.push(`${shard}/${name}`)
  }
  const judged = await mapLimit(candidates, async (relative) => {
    const full = path.join(dir, relative)
    const stat = await lstat(full).catch(() => undefined)
    if (stat === undefined || stat.mtimeMs >= cutoff) return undefined
    if (stat.isFile()) return { relative, files: 1, bytes: stat.size }
    if (!stat.isDirectory()) return undefined
    return { relative, ...(await treeSize(full)) }
  })
  const result: UnusedEntries = { paths: [], files: 0, bytes: 0 }
  for (const item of judged) {
    if (item === undefined) continue
    result.paths.push(item.relative)
    result.files += item.files
    result.bytes += item.bytes
  }
  result.paths.sort()
  return result
}

function isEntryDir(root: string, parent: string, name: string): boolean {
  return ENTRY.test(name) && name.endsWith('-d') && path.dirname(parent) === path.resolve(root)
}

/**
 * The outputs in `dir`: `<2 hex>/<hash>-d` entries, files or (executables) directories, as relative paths. An output
 * is named by its content's hash, so a command that produced nothing new adds none, even when it adds action entries.
 */
export async function outputNames(dir: string): Promise<string[]> {
  const names: string[] = []
  for (const shard of await readNames(dir)) {
    if (!SHARD.test(shard)) continue
    for (const name of await readNames(path.join(dir, shard)))
      if (ENTRY.test(name) && name.endsWith('-d')) names.push(`${shard}/${name}`)
  }
  return names.sort()
}
