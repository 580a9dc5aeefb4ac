import { access, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import {
  decideCacheSave,
  isTransientCacheFile,
  restoreModuleCache,
  saveModuleCache,
  scanDownloadDir,
  type CacheSaveFacts,
} from '../../../src/cache/module-cache.js'
import type { CacheStore } from '../../../src/cache/store.js'

const base: CacheSaveFacts = {
  cacheSave: true,
  mainSucceeded: true,
  hit: 'false',
  eventName: 'push',
  cacheMode: '',
  available: true,
  filesAtRestore: 0,
  filesNow: 3,
}

describe('decideCacheSave', () => {
  test.each<{ facts: Partial<CacheSaveFacts>; reason?: string }>([
    { facts: {} },
    { facts: { hit: 'partial', filesAtRestore: 10, filesNow: 11 } },
    { facts: { cacheMode: 'write' } },
    { facts: { cacheMode: 'write-only' } },
    { facts: { cacheMode: 'something-new' } },
    { facts: { eventName: 'pull_request' } },
    { facts: { cacheSave: false }, reason: 'cache-save is false' },
    { facts: { mainSucceeded: false }, reason: 'the main step did not succeed, so the download dir may be incomplete' },
    { facts: { hit: 'true' }, reason: 'the restore matched the key exactly, so the entry exists already' },
    { facts: { eventName: 'pull_request_target' }, reason: 'pull_request_target events never write to the cache' },
    { facts: { cacheMode: 'read' }, reason: "the runner's cache mode 'read' does not allow writing" },
    { facts: { cacheMode: 'none' }, reason: "the runner's cache mode 'none' does not allow writing" },
    { facts: { available: false }, reason: 'no cache service is available to this job' },
    { facts: { filesNow: 0 }, reason: 'no module files were added since the restore' },
    {
      facts: { hit: 'partial', filesAtRestore: 11, filesNow: 11 },
      reason: 'no module files were added since the restore',
    },
  ])('$facts → $reason', ({ facts, reason }) => {
    const decision = decideCacheSave({ ...base, ...facts })
    expect(decision).toEqual(reason === undefined ? { save: true } : { save: false, reason })
  })
})

describe('download dir', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'gpg-dl-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  test.each([
    ['v1.0.0.lock', true],
    ['v1.0.0.partial', true],
    ['v1.0.0.zip482913.tmp', true],
    ['v1.0.0.zip', false],
    ['v1.0.0.ziphash', false],
    ['list', false],
    ['3', false], // a checksum-database tile; its directory is named 000.p
  ])('%s is transient: %s', (name, transient) => {
    expect(isTransientCacheFile(name)).toBe(transient)
  })

  test('a scan counts cacheable files and their bytes; a missing dir is empty', async () => {
    await mkdir(path.join(dir, 'm', '@v'), { recursive: true })
    await writeFile(path.join(dir, 'm', '@v', 'v1.zip'), Buffer.alloc(100))
    await writeFile(path.join(dir, 'm', '@v', 'v1.mod'), 'module m\n')
    await writeFile(path.join(dir, 'm', '@v', 'v1.lock'), '')
    await writeFile(path.join(dir, 'm', '@v', 'v1.partial'), 'x'.repeat(50))
    expect(await scanDownloadDir(dir)).toEqual({ files: 2, bytes: 109, zips: 1 })
    expect(await scanDownloadDir(path.join(dir, 'absent'))).toEqual({ files: 0, bytes: 0, zips: 0 })
  })

  function store(overrides: Partial<CacheStore>): CacheStore & { calls: string[] } {
    const calls: string[] = []
    return {
      calls,
      available: overrides.available ?? (() => true),
      restore: async (paths, key, keys) => {
        calls.push(`restore ${paths.join('|')} ${key} ${keys.join(',')}`)
        return overrides.restore ? overrides.restore(paths, key, keys) : undefined
      },
      save: async (paths, key) => {
        calls.push(`save ${paths.join('|')} ${key}`)
        return overrides.save ? overrides.save(paths, key) : 7
      },
    }
  }

  test('restore and save hand the store the same single path, and save removes transient files first', async () => {
    const s = store({
      restore: async () => {
        await writeFile(path.join(dir, 'restored.zip'), Buffer.alloc(10))
        return 'p-v1-old'
      },
    })
    const env = {}
    const restored = await restoreModuleCache({ store: s, env, downloadDir: dir }, 'p-v1-new', ['p-v1-'])
    expect(restored).toMatchObject({ hit: 'partial', matchedKey: 'p-v1-old', bytes: 10, filesBefore: 0, filesAfter: 1 })
    await writeFile(path.join(dir, 'new.zip'), 'z')
    await writeFile(path.join(dir, 'new.lock'), '')
    const saved = await saveModuleCache(
      { store: s, env, downloadDir: dir },
      { key: 'p-v1-new', matchedKey: 'p-v1-old', filesAtRestore: 1, mainSucceeded: true, cacheSave: true },
    )
    expect(saved).toMatchObject({ saved: true, cacheId: 7, files: 2 })
    expect(s.calls).toEqual([`restore ${dir} p-v1-new p-v1-`, `save ${dir} p-v1-new`])
    expect(await scanDownloadDir(dir)).toEqual({ files: 2, bytes: 11, zips: 2 })
    await expect(access(path.join(dir, 'new.lock'))).rejects.toThrow()
  })

  test('a store that throws gives a problem with the first line of the reason, never an exception', async () => {
    const s = store({
      restore: async () => {
        throw new Error('Unable to make request: ECONNREFUSED\nIf you are using self-hosted runners, …')
      },
      save: async () => {
        throw new Error('Path Validation Error: nothing to save.')
      },
    })
    const env = {}
    const restored = await restoreModuleCache({ store: s, env, downloadDir: dir }, 'k', ['p-'])
    expect(restored).toMatchObject({ hit: 'false', problem: 'Unable to make request: ECONNREFUSED' })
    await writeFile(path.join(dir, 'a.zip'), 'a')
    const saved = await saveModuleCache(
      { store: s, env, downloadDir: dir },
      { key: 'k', filesAtRestore: 0, mainSucceeded: true, cacheSave: true },
    )
    expect(saved).toMatchObject({
      saved: false,
      reason: 'Path Validation Error: nothing to save',
      problem: 'Path Validation Error: nothing to save',
    })
  })

  test('no service: the store is not asked, and the restore says why', async () => {
    const s = store({ available: () => false })
    const restored = await restoreModuleCache({ store: s, env: {}, downloadDir: dir }, 'k', ['p-'])
    expect(restored).toMatchObject({ hit: 'false', problem: 'no cache service is available to this job' })
    expect(s.calls).toEqual([])
  })

  test('cache mode write-only skips the restore but still lets the post step save', async () => {
    const s = store({})
    const env = { ACTIONS_CACHE_MODE: 'Write-Only' }
    const restored = await restoreModuleCache({ store: s, env, downloadDir: dir }, 'k', ['p-'])
    expect(s.calls).toEqual([])
    expect(restored.notRestored).toBe("the runner's cache mode 'write-only' does not allow reading")
    await writeFile(path.join(dir, 'a.zip'), 'a')
    const saved = await saveModuleCache(
      { store: s, env, downloadDir: dir },
      { key: 'k', filesAtRestore: restored.filesAfter, mainSucceeded: true, cacheSave: true },
    )
    expect(saved.saved).toBe(true)
  })
})
