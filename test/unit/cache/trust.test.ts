import { execFileSync } from 'node:child_process'
import { lstat, mkdir, readFile, readdir, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeEach, describe, expect, test } from '@jest/globals'
import { removeUntrustedEntries, untrustedCacheDiagnosis } from '../../../src/cache/trust.js'
import { removeTempDirs, tempDir } from '../../helpers/temp-dir.js'

let root: string
let cache: string
let outside: string
beforeEach(async () => {
  root = await tempDir('gpg-trust-')
  cache = path.join(root, 'cache')
  outside = path.join(root, 'outside')
  await mkdir(path.join(cache, 'example.com', 'mod', '@v'), { recursive: true })
  await mkdir(outside)
  await writeFile(path.join(outside, 'secret.txt'), 'not the cache’s')
  await writeFile(path.join(cache, 'example.com', 'mod', '@v', 'v1.0.0.zip'), 'zip')
})
afterAll(removeTempDirs)

describe('removeUntrustedEntries: what Go never writes in a cache directory', () => {
  test('symbolic links (to a directory or a file), a FIFO, at any depth: removed and named; their targets untouched', async () => {
    await symlink(outside, path.join(cache, 'example.com', 'escape'))
    await symlink(path.join(outside, 'secret.txt'), path.join(cache, 'example.com', 'mod', '@v', 'v1.0.1.zip'))
    await symlink('/no/such/target', path.join(cache, 'dangling'))
    execFileSync('mkfifo', [path.join(cache, 'example.com', 'mod', 'pipe')])

    expect(await removeUntrustedEntries(cache)).toEqual([
      'dangling',
      'example.com/escape',
      'example.com/mod/@v/v1.0.1.zip',
      'example.com/mod/pipe',
    ])
    await expect(lstat(path.join(cache, 'example.com', 'escape'))).rejects.toThrow()
    expect(await readdir(path.join(cache, 'example.com', 'mod', '@v'))).toEqual(['v1.0.0.zip'])
    expect(await readdir(path.join(cache, 'example.com', 'mod'))).toEqual(['@v'])
    // the link was removed, never followed: what it pointed at is as it was
    expect(await readFile(path.join(outside, 'secret.txt'), 'utf8')).toBe('not the cache’s')
  })

  test('a cache of regular files and directories only: nothing found, nothing removed', async () => {
    expect(await removeUntrustedEntries(cache)).toEqual([])
    expect(await readFile(path.join(cache, 'example.com', 'mod', '@v', 'v1.0.0.zip'), 'utf8')).toBe('zip')
  })

  test('a cache directory that does not exist is empty', async () => {
    expect(await removeUntrustedEntries(path.join(root, 'none'))).toEqual([])
  })
})

describe('untrustedCacheDiagnosis', () => {
  test('a security error naming the first five entries and how many more', () => {
    const entries = ['a', 'b', 'c', 'd', 'e', 'f', 'g']
    const diagnosis = untrustedCacheDiagnosis('build cache', entries)
    expect(diagnosis).toMatchObject({ severity: 'error', kind: 'security' })
    expect(diagnosis.title).toContain('a, b, c, d, e and 2 more')
    expect(diagnosis.title).not.toContain(', f')
  })
})
