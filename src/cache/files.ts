import { lstat, readdir } from 'node:fs/promises'
import path from 'node:path'

/** Filesystem helpers of the cache stages: bounded concurrency, and walks that take a missing directory as empty. */

/** Filesystem calls in flight at once: enough to keep libuv's thread pool busy, few enough to bound memory. */
const CONCURRENCY = 64

export async function readTree(dir: string) {
  try {
    return await readdir(path.resolve(dir), { recursive: true, withFileTypes: true })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
}

export async function readNames(dir: string): Promise<string[]> {
  try {
    return await readdir(dir)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return []
    throw error
  }
}

/** Regular files below `dir` and their bytes (a missing dir is empty). */
export async function treeSize(dir: string): Promise<{ files: number; bytes: number }> {
  let files = 0
  let bytes = 0
  for (const entry of await readTree(dir)) {
    if (!entry.isFile()) continue
    const stat = await lstat(path.join(entry.parentPath, entry.name)).catch(() => undefined)
    if (stat === undefined) continue
    files += 1
    bytes += stat.size
  }
  return { files, bytes }
}

export async function exists(file: string): Promise<boolean> {
  return lstat(file).then(
    () => true,
    () => false,
  )
}

/** Runs `task` over `items` with at most {@link CONCURRENCY} in flight; results in input order; the first error wins. */
export async function mapLimit<T, R>(items: readonly T[], task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++
      results[index] = await task(items[index] as T)
    }
  }
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker))
  return results
}
