import { stat } from 'node:fs/promises'
import path from 'node:path'

/**
 * The root of the checkout that holds `directory`: the nearest ancestor (or itself) with a `.git` entry — a directory,
 * or a file for worktrees and submodules. Without one (a source archive, a job that does not clone), the directory
 * itself: then nothing above it counts as part of the repository.
 */
export async function findRepositoryRoot(directory: string): Promise<string> {
  let dir = path.resolve(directory)
  for (;;) {
    if (await exists(path.join(dir, '.git'))) return dir
    const parent = path.dirname(dir)
    if (parent === dir) return path.resolve(directory)
    dir = parent
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file)
    return true
  } catch {
    return false
  }
}

export { isInside } from '../settings/workspace-path.js'

/** A path relative to `from`, with forward slashes; `.` for `from` itself. */
export function relativePosix(from: string, to: string): string {
  const relative = path.relative(from, to).split(path.sep).join('/')
  return relative === '' ? '.' : relative
}

/** `dir/name` with forward slashes, without a leading `./`. */
export function joinPosix(dir: string, name: string): string {
  return dir === '.' || dir === '' ? name : `${dir}/${name}`
}
