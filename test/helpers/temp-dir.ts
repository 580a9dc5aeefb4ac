import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

// Every test's scratch directories: made here, removed here, so clean-up is written (and made robust) once.

const made: string[] = []

/** A new directory under the OS temp dir; removeTempDirs (in afterAll) removes it. */
export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix))
  made.push(dir)
  return dir
}

/**
 * Removes a directory tree, retrying for a while: for a moment after a go command exits, Go's telemetry and caches may
 * still write below the directory (ENOTEMPTY on a loaded machine), and a process just killed may still hold files.
 */
export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 })
}

/** Removes every directory tempDir made in this test file. */
export async function removeTempDirs(): Promise<void> {
  await Promise.all(made.splice(0).map(removeDir))
}
