import { randomUUID } from 'node:crypto'
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { escapeControlCharacters } from '../settings/quote.js'

const PREFIX = 'goproxy-guard-'

/** The temp dir cannot hold the tool's files; the message names the variable that gave it and the fix. */
export class TempDirError extends Error {
  override readonly name = 'TempDirError'
}

/**
 * The variable a temp dir came from, for messages: RUNNER_TEMP (what GitHub sets, and what the CLI reads first),
 * else TMPDIR, else the system's default.
 */
export function tempDirVariable(env: Readonly<Record<string, string | undefined>>, tempDir: string): string {
  if (env['RUNNER_TEMP'] === tempDir) return 'RUNNER_TEMP'
  if (env['TMPDIR'] !== undefined && env['TMPDIR'] !== '' && path.resolve(env['TMPDIR']) === path.resolve(tempDir)) {
    return 'TMPDIR'
  }
  return 'the system temp directory'
}

/**
 * A directory of our own under the runner's temp dir, for credential files and snapshots (mode 0700). A temp dir that
 * is not an absolute path to an existing directory is refused before anything is written: a relative one would put
 * the credential files inside the checkout. `variable` names where the temp dir came from (see tempDirVariable).
 */
export async function createWorkDir(tempDir: string, variable: string): Promise<string> {
  const shown = `${variable} (${tempDir === '' ? 'empty' : `'${escapeControlCharacters(tempDir)}'`})`
  const fix = `Point ${variable.startsWith('the ') ? 'RUNNER_TEMP' : variable} at an absolute path to a directory private to this job; on GitHub the runner sets RUNNER_TEMP.`
  if (!path.isAbsolute(tempDir)) {
    throw new TempDirError(
      `${shown} is not an absolute path: the credential files would be written relative to the current directory, ` +
        `inside the checkout. ${fix}`,
    )
  }
  let info
  try {
    info = await stat(tempDir)
  } catch (error) {
    throw new TempDirError(`${shown} cannot be used: ${describeFsError(error)}. ${fix}`)
  }
  if (!info.isDirectory()) throw new TempDirError(`${shown} is not a directory. ${fix}`)
  const dir = path.join(tempDir, `${PREFIX}${randomUUID()}`)
  try {
    await mkdir(dir, { recursive: false, mode: 0o700 })
  } catch (error) {
    throw new TempDirError(`cannot make a directory in ${shown}: ${describeFsError(error)}. ${fix}`)
  }
  return dir
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'ENOENT') return 'it does not exist'
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied'
  if (code === 'ENOTDIR') return 'a part of the path is not a directory'
  return code ?? String(error)
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
