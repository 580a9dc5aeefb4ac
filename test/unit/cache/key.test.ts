import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import fc from 'fast-check'
import {
  cacheKey,
  findDependencyFiles,
  readDependencyFiles,
  restoreKeys,
  validateCacheKeyPrefix,
  type DependencyFile,
} from '../../../src/cache/key.js'
import { InputError } from '../../../src/settings/errors.js'

const file = (p: string, content: string): DependencyFile => ({ path: p, content: Buffer.from(content) })

describe('cacheKey', () => {
  const goSum = file('go.sum', 'example.com/greet v1.0.0 h1:abc=\n')
  const workSum = file('tools/go.sum', 'example.com/util v0.1.0 h1:def=\n')

  test('has the shape prefix-v1-sha256 and starts with the restore key', () => {
    const key = cacheKey('goproxy-guard', [goSum])
    expect(key).toMatch(/^goproxy-guard-v1-[0-9a-f]{64}$/)
    expect(restoreKeys('goproxy-guard')).toEqual(['goproxy-guard-v1-'])
    expect(key.startsWith(restoreKeys('goproxy-guard')[0] as string)).toBe(true)
  })

  test('does not depend on the order the files are listed in', () => {
    expect(cacheKey('p', [goSum, workSum])).toBe(cacheKey('p', [workSum, goSum]))
  })

  test('is the same for Windows and POSIX separators', () => {
    const windows = file(['tools', 'go.sum'].join('\\'), workSum.content.toString())
    // only meaningful on Windows, where path.sep is '\\'; on POSIX a backslash is part of the name
    if (path.sep === '\\') expect(cacheKey('p', [windows])).toBe(cacheKey('p', [workSum]))
    else expect(cacheKey('p', [windows])).not.toBe(cacheKey('p', [workSum]))
  })

  test('changes when any content changes, even by one byte', () => {
    const changed = file('go.sum', 'example.com/greet v1.0.0 h1:abd=\n')
    expect(cacheKey('p', [goSum, workSum])).not.toBe(cacheKey('p', [changed, workSum]))
  })

  test('changes when a file moves, is added or is removed', () => {
    const base = cacheKey('p', [goSum, workSum])
    expect(cacheKey('p', [file('sub/go.sum', goSum.content.toString()), workSum])).not.toBe(base)
    expect(cacheKey('p', [goSum])).not.toBe(base)
    expect(cacheKey('p', [goSum, workSum, file('go.work.sum', '')])).not.toBe(base)
  })

  test('cannot be fooled by moving bytes between a path and a content', () => {
    expect(cacheKey('p', [file('ab', 'c')])).not.toBe(cacheKey('p', [file('a', 'bc')]))
    expect(cacheKey('p', [file('a', 'b'), file('c', '')])).not.toBe(cacheKey('p', [file('a', 'bc'), file('', '')]))
  })

  test('changes with the prefix, and an empty file set still gives a valid key', () => {
    expect(cacheKey('a', [goSum])).not.toBe(cacheKey('b', [goSum]))
    expect(cacheKey('p', [])).toMatch(/^p-v1-[0-9a-f]{64}$/)
  })

  test('property: any permutation of any file set gives the same key, and it fits @actions/cache limits', () => {
    const files = fc.uniqueArray(
      fc.record({ path: fc.stringMatching(/^[a-z/._-]{1,30}$/), content: fc.uint8Array({ maxLength: 64 }) }),
      { selector: (f) => f.path, maxLength: 8 },
    )
    fc.assert(
      fc.property(files, fc.boolean(), (set, reverse) => {
        const asFiles = set.map((f) => ({ path: f.path, content: Buffer.from(f.content) }))
        const shuffled = reverse ? [...asFiles].reverse() : [...asFiles.slice(1), ...asFiles.slice(0, 1)]
        const key = cacheKey('goproxy-guard', asFiles)
        expect(cacheKey('goproxy-guard', shuffled)).toBe(key)
        expect(key.length).toBeLessThanOrEqual(512)
        expect(key).not.toContain(',')
      }),
    )
  })
})

describe('prefix validation', () => {
  test.each([
    { prefix: 'goproxy-guard', why: 'the default' },
    { prefix: 'go.mod_cache-1', why: 'dots, underscores, digits' },
    { prefix: 'a', why: 'one character' },
    { prefix: 'x'.repeat(200), why: '200 characters' },
  ])('accepts $why', ({ prefix }) => {
    expect(() => validateCacheKeyPrefix(prefix)).not.toThrow()
    expect(() => cacheKey(prefix, [])).not.toThrow()
  })

  test.each([
    { prefix: '', why: 'empty' },
    { prefix: 'a,b', why: 'a comma (@actions/cache splits keys on commas)' },
    { prefix: 'has space', why: 'a space' },
    { prefix: 'x'.repeat(201), why: '201 characters' },
    { prefix: 'pre/fix', why: 'a slash' },
    { prefix: 'https://user:tok@host', why: 'a URL with a credential' },
    { prefix: 'line\nbreak', why: 'a newline' },
  ])('rejects $why', ({ prefix }) => {
    expect(() => validateCacheKeyPrefix(prefix)).toThrow(InputError)
    expect(() => cacheKey(prefix, [])).toThrow(/Input 'cache-key-prefix'/)
    expect(() => restoreKeys(prefix)).toThrow(InputError)
  })
})

describe('findDependencyFiles', () => {
  let root: string
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'gpg-key-'))
    const put = async (rel: string, content = 'x\n'): Promise<void> => {
      await mkdir(path.dirname(path.join(root, rel)), { recursive: true })
      await writeFile(path.join(root, rel), content)
    }
    await put('go.work', 'go 1.24\nuse ./a\nuse ./b\n')
    await put('go.work.sum', 'work\n')
    await put('a/go.mod', 'module a\n')
    await put('a/go.sum', 'a\n')
    await put('b/go.mod', 'module b\n') // no go.sum: a module without dependencies
    await put('c/go.sum', 'c\n') // not a listed module
    await put('vendor/x/go.sum', 'vendored\n')
    await mkdir(path.join(root, 'dir.sum')) // a directory that looks like a file
  })
  afterAll(async () => {
    await rm(root, { recursive: true, force: true })
  })

  test('default: go.sum and go.work.sum of the listed modules and of the working directory, if present', async () => {
    expect(await findDependencyFiles(root, [], ['a', 'b'])).toEqual(['a/go.sum', 'go.work.sum'])
  })

  test('globs are relative to the working directory, files only, negation honoured', async () => {
    expect(await findDependencyFiles(root, ['**/go.sum', '!vendor/**'], [])).toEqual(['a/go.sum', 'c/go.sum'])
    expect(await findDependencyFiles(root, ['*.sum'], [])).toEqual(['go.work.sum'])
    expect(await findDependencyFiles(path.join(root, 'a'), ['../c/go.sum'], [])).toEqual(['../c/go.sum'])
  })

  test('a glob that matches nothing gives no files', async () => {
    expect(await findDependencyFiles(root, ['nothing/**/go.sum'], [])).toEqual([])
  })

  test('the key follows the content of the found files', async () => {
    const files = await findDependencyFiles(root, [], ['a'])
    const before = cacheKey('p', await readDependencyFiles(root, files))
    await writeFile(path.join(root, 'a/go.sum'), 'a changed\n')
    const after = cacheKey('p', await readDependencyFiles(root, files))
    expect(after).not.toBe(before)
  })
})
