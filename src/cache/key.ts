import { createHash } from 'node:crypto'
import { access, readFile } from 'node:fs/promises'
import path from 'node:path'
import * as glob from '@actions/glob'
import { InputError } from '../settings/errors.js'

/** Bumped when what goes into the archive, or how the key is derived, changes: old entries then never match. */
export const CACHE_FORMAT_VERSION = 'v1'

/** The same rule the `cache-key-prefix` input is read with; @actions/cache refuses commas and keys over 512 chars. */
const PREFIX_PATTERN = /^[A-Za-z0-9._-]{1,200}$/

export interface DependencyFile {
  /** relative to the working directory, with forward slashes, so every OS derives the same key */
  path: string
  content: Buffer
}

/**
 * `<prefix>-v1-<sha256>` over the sorted paths and contents of every dependency file. Neither the Go version nor
 * the OS takes part: the download cache holds the same bytes everywhere. Built from file contents and the prefix
 * only, so it can never carry a secret.
 */
export function cacheKey(prefix: string, files: DependencyFile[]): string {
  const hash = createHash('sha256')
  const sorted = files
    .map((file) => ({ path: toSlashes(file.path), content: file.content }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  for (const file of sorted) {
    // Lengths frame each field, so no two different file sets hash the same byte stream.
    hash.update(`${Buffer.byteLength(file.path)}:${file.path}\n${file.content.length}:`)
    hash.update(file.content)
    hash.update('\n')
  }
  return `${restoreKeyPrefix(prefix)}${hash.digest('hex')}`
}

/** What an older entry of the same project starts with: a partial restore beats a cold download. */
export function restoreKeys(prefix: string): string[] {
  return [restoreKeyPrefix(prefix)]
}

function restoreKeyPrefix(prefix: string): string {
  validateCacheKeyPrefix(prefix)
  return `${prefix}-${CACHE_FORMAT_VERSION}-`
}

export function validateCacheKeyPrefix(prefix: string): void {
  if (!PREFIX_PATTERN.test(prefix)) {
    throw new InputError(
      'cache-key-prefix',
      `'${prefix}' may hold only letters, digits, '.', '_' and '-' (1 to 200 of them); cache keys cannot contain commas or spaces.`,
    )
  }
}

/**
 * The files the key is derived from, relative to `workingDirectory` with forward slashes, sorted.
 * Without globs: go.sum and go.work.sum of every module directory and of the working directory (where a go.work
 * lives). With globs (`cache-dependency-path`): every file they match, relative to the working directory.
 */
export async function findDependencyFiles(
  workingDirectory: string,
  globs: string[],
  moduleDirs: string[],
): Promise<string[]> {
  const absolute =
    globs.length > 0 ? await matchGlobs(workingDirectory, globs) : await defaultFiles(workingDirectory, moduleDirs)
  const relative = absolute.map((file) => toSlashes(path.relative(workingDirectory, file)))
  return [...new Set(relative)].sort()
}

/** Reads the files `findDependencyFiles` named, ready for `cacheKey`. */
export async function readDependencyFiles(workingDirectory: string, files: string[]): Promise<DependencyFile[]> {
  return Promise.all(
    files.map(async (file) => ({ path: file, content: await readFile(path.resolve(workingDirectory, file)) })),
  )
}

async function defaultFiles(workingDirectory: string, moduleDirs: string[]): Promise<string[]> {
  const dirs = new Set(['.', ...moduleDirs].map((dir) => path.resolve(workingDirectory, dir)))
  const candidates = [...dirs].flatMap((dir) => [path.join(dir, 'go.sum'), path.join(dir, 'go.work.sum')])
  const present = await Promise.all(candidates.map(async (file) => ((await exists(file)) ? file : undefined)))
  return present.filter((file): file is string => file !== undefined)
}

async function matchGlobs(workingDirectory: string, globs: string[]): Promise<string[]> {
  // @actions/glob resolves relative patterns against the process's cwd; anchor them at the working directory.
  const patterns = globs.map((pattern) => {
    const negated = pattern.startsWith('!')
    const body = negated ? pattern.slice(1) : pattern
    const anchored = path.isAbsolute(body) ? body : path.join(workingDirectory, body)
    return negated ? `!${anchored}` : anchored
  })
  const globber = await glob.create(patterns.join('\n'), { matchDirectories: false, implicitDescendants: false })
  return globber.glob()
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file)
    return true
  } catch {
    return false
  }
}

function toSlashes(file: string): string {
  return file.split(path.sep).join('/')
}
