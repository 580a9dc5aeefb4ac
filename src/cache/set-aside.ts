import { randomBytes } from 'node:crypto'
import { lstat, mkdir, rename, rm } from 'node:fs/promises'
import path from 'node:path'
import { exists, mapLimit, treeSize } from './files.js'

/*
 * Leaving files out of a cache entry. @actions/cache archives the paths it is given, and the entry's version is a hash
 * of those paths, so the same directory must be saved that is restored: the files to leave out are moved aside (renames
 * on the same filesystem, never copies) for the upload, and moved back after it.
 */

export interface SetAside {
  /** paths actually moved out (relative to the cache dir) */
  paths: string[]
  /** regular files moved out */
  files: number
  /** their bytes */
  bytes: number
  /** where they wait, a sibling of the cache dir; undefined when nothing was moved */
  asideDir: string | undefined
  /**
   * Moves everything back and removes the sibling directory. Safe to call twice. A path that Go recreated in the
   * cache meanwhile keeps Go's copy. Rejects, leaving the sibling directory in place, only when a move back fails.
   */
  putBack(): Promise<void>
}

/**
 * Moves `paths` (relative to `dir`, as {@link unusedFiles} gives them) out of `dir` into a new sibling directory on the
 * same filesystem, so that archiving `dir` leaves them out; `putBack()` restores them. Renames only, no copies. A path
 * that has vanished is skipped; if a rename fails for another reason, what was moved is put back and the error thrown.
 */
export async function setAside(dir: string, paths: readonly string[]): Promise<SetAside> {
  const resolved = path.resolve(dir)
  for (const relative of paths) {
    const normal = path.posix.normalize(relative)
    if (path.isAbsolute(relative) || normal.startsWith('../') || normal === '..' || normal === '.')
      throw new Error(`setAside: ${relative} is not a path inside ${resolved}`)
  }
  const asideDir = `${resolved}.aside-${randomBytes(4).toString('hex')}`
  const moved: { relative: string; files: number; bytes: number }[] = []
  let putBackDone = false

  const putBack = async (): Promise<void> => {
    if (putBackDone) return
    const failures: string[] = []
    await mapLimit(moved, async ({ relative }) => {
      const from = path.join(asideDir, relative)
      const to = path.join(resolved, relative)
      if (await exists(to)) return // Go wrote this entry again meanwhile: its copy wins
      try {
        await rename(from, to).catch(async (error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT' || !(await exists(from))) throw error
          await mkdir(path.dirname(to), { recursive: true }) // its shard went away meanwhile
          await rename(from, to)
        })
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !(await exists(from))) return // vanished
        failures.push(`${relative}: ${(error as Error).message}`)
      }
    })
    if (failures.length > 0)
      throw new Error(
        `could not move ${failures.length} build cache file(s) back from ${asideDir} (first: ${failures[0]})`,
      )
    putBackDone = true
    await rm(asideDir, { recursive: true, force: true })
  }

  if (paths.length === 0) return { paths: [], files: 0, bytes: 0, asideDir: undefined, putBack: async () => {} }

  await mkdir(asideDir)
  const parents = new Set(paths.map((p) => path.posix.dirname(path.posix.normalize(p))))
  await mapLimit([...parents], (parent) => mkdir(path.join(asideDir, parent), { recursive: true }))
  try {
    await mapLimit([...paths], async (relative) => {
      const from = path.join(resolved, relative)
      const stat = await lstat(from).catch(() => undefined)
      if (stat === undefined) return // vanished
      const size = stat.isDirectory() ? await treeSize(from) : { files: 1, bytes: stat.size }
      try {
        await rename(from, path.join(asideDir, relative))
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
        throw error
      }
      moved.push({ relative, ...size })
    })
  } catch (error) {
    await putBack()
    throw error
  }
  if (moved.length === 0) {
    putBackDone = true
    await rm(asideDir, { recursive: true, force: true })
    return { paths: [], files: 0, bytes: 0, asideDir: undefined, putBack: async () => {} }
  }
  moved.sort((a, b) => a.relative.localeCompare(b.relative))
  return {
    paths: moved.map((m) => m.relative),
    files: moved.reduce((sum, m) => sum + m.files, 0),
    bytes: moved.reduce((sum, m) => sum + m.bytes, 0),
    asideDir,
    putBack,
  }
}
