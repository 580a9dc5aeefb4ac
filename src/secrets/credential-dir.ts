import { randomUUID } from 'node:crypto'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'

const PREFIX = 'goproxy-guard-'

/** The temp dir cannot hold credential files (missing, not a directory, not absolute): nothing is written. */
export class TempDirError extends Error {
  override readonly name = 'TempDirError'
}

/** A directory of our own under the runner's temp dir, for credential files and snapshots (mode 0700). */
export async function createWorkDir(tempDir: string): Promise<string> {
  const dir = path.join(path.resolve(tempDir), `${PREFIX}${randomUUID()}`)
  await mkdir(dir, { recursive: false, mode: 0o700 })
  return dir
}

/** Writes a new file readable by its owner only; refuses to overwrite anything. */
export async function writePrivateFile(file: string, content: string): Promise<void> {
  await writeFile(file, content, { mode: 0o600, flag: 'wx' })
}

/**
 * Removes a directory made by createWorkDir, after checking it is one: a path from saved state is never trusted
 * to be ours just because it was saved.
 */
export async function removeWorkDir(dir: string, tempDir: string): Promise<void> {
  const resolved = path.resolve(dir)
  if (path.dirname(resolved) !== path.resolve(tempDir) || !path.basename(resolved).startsWith(PREFIX)) {
    throw new Error(`refusing to remove ${resolved}: it is not a directory goproxy-guard made under ${tempDir}`)
  }
  await rm(resolved, { recursive: true, force: true })
}

/** The content of the netrc Go reads today ($NETRC, else ~/.netrc), so entries the job already relies on keep working. */
export async function readExistingNetrc(
  env: Readonly<Record<string, string | undefined>>,
  home: string,
): Promise<string> {
  const file = env['NETRC'] || path.join(home, '.netrc')
  try {
    return await readFile(file, 'utf8')
  } catch {
    return ''
  }
}
