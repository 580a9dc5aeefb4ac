import { execFile } from 'node:child_process'
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, jest, test } from '@jest/globals'
import { createActionsCacheStore } from '../../../src/cache/actions-store.js'
import { cacheKey, restoreKeys } from '../../../src/cache/key.js'
import { restoreModuleCache, saveModuleCache, type ModuleCacheTarget } from '../../../src/cache/module-cache.js'
import { type CacheService } from '../../servers/cache-service.js'
import { useCacheSandbox } from './cache-env.js'

// restoreModuleCache / saveModuleCache over the real @actions/cache, against the loopback cache service.

jest.setTimeout(60_000)
const execFileAsync = promisify(execFile)

const ctx = useCacheSandbox()

/**
 * One job on the same runner paths (as on hosted runners, where GOMODCACHE is the same path in every job): the
 * job's variables in process.env, where @actions/cache reads them, and the real store.
 */
function job(jobEnv: { ACTIONS_CACHE_MODE?: string; GITHUB_EVENT_NAME?: string } = {}): {
  target: ModuleCacheTarget
} {
  for (const name of ['ACTIONS_CACHE_MODE', 'GITHUB_EVENT_NAME'] as const) {
    const value = jobEnv[name]
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
  return {
    target: {
      store: createActionsCacheStore(),
      env: { ...ctx.sandbox.env, ...jobEnv },
      downloadDir: ctx.sandbox.downloadDir,
    },
  }
}

const KEY_A = cacheKey('goproxy-guard', [{ path: 'go.sum', content: Buffer.from('example.com/greet v1.0.0 h1:a=\n') }])
const KEY_B = cacheKey('goproxy-guard', [{ path: 'go.sum', content: Buffer.from('example.com/greet v1.1.0 h1:b=\n') }])
const RESTORE_KEYS = restoreKeys('goproxy-guard')

/**
 * What `go mod download` leaves in the download dir (a checksum-database tile included, and a lock file, which must
 * never be archived). Returns the bytes of the cacheable files written.
 */
async function downloadModule(dir: string, module: string, version: string): Promise<number> {
  const at = path.join(dir, module, '@v')
  const tile = path.join(dir, 'sumdb', 'sum.golang.org', 'tile', '8', '0', '000.p')
  await mkdir(at, { recursive: true })
  await mkdir(tile, { recursive: true })
  const files: Record<string, string | Buffer> = {
    [path.join(at, `${version}.info`)]: `{"Version":"${version}","Time":"2024-01-02T03:04:05Z"}`,
    [path.join(at, `${version}.mod`)]: `module ${module}\n\ngo 1.21\n`,
    [path.join(at, `${version}.zip`)]: Buffer.alloc(4096, version),
    [path.join(at, `${version}.ziphash`)]: 'h1:abc=',
    [path.join(at, 'list')]: `${version}\n`,
    [path.join(tile, '3')]: 'tile bytes',
  }
  for (const [file, content] of Object.entries(files)) await writeFile(file, content)
  await writeFile(path.join(at, `${version}.lock`), '')
  return Object.values(files).reduce((sum, content) => sum + Buffer.byteLength(content), 0)
}

async function archiveListing(service: CacheService, key: string): Promise<string[]> {
  const entry = ctx.service.entries().find((e) => e.key === key)
  if (entry === undefined) throw new Error(`no entry ${key}`)
  const file = path.join(ctx.sandbox.root, `${entry.id}.tzst`)
  await writeFile(file, entry.data)
  const { stdout: listing } = await execFileAsync('tar', ['--use-compress-program', 'unzstd', '-tf', file])
  return listing.split('\n').filter((line) => line !== '' && !line.endsWith('/'))
}

async function emptyDownloadDir(): Promise<void> {
  await rm(ctx.sandbox.downloadDir, { recursive: true, force: true })
  await mkdir(ctx.sandbox.downloadDir, { recursive: true })
}

const creates = (): number => ctx.service.requests.filter((r) => r.twirp === 'CreateCacheEntry').length

describe('module cache over @actions/cache', () => {
  test('miss: nothing restored, and after a download the post step saves the dir without lock, partial or tmp files', async () => {
    const { target } = job()
    const restored = await restoreModuleCache(target, KEY_A, RESTORE_KEYS)
    expect(restored).toMatchObject({ key: KEY_A, hit: 'false', bytes: 0, filesBefore: 0, filesAfter: 0 })
    expect(restored.matchedKey).toBeUndefined()
    expect(restored.problem).toBeUndefined()

    await downloadModule(ctx.sandbox.downloadDir, 'example.com/greet', 'v1.0.0')
    const gomodcacheCache = path.join(ctx.sandbox.downloadDir, 'example.com/greet/@v')
    await writeFile(path.join(gomodcacheCache, 'v1.0.0.partial'), '')
    await writeFile(path.join(gomodcacheCache, 'v1.0.0.zip123456.tmp'), 'half a zip')

    const saved = await saveModuleCache(target, {
      key: KEY_A,
      filesAtRestore: restored.filesAfter,
      mainSucceeded: true,
      cacheSave: true,
    })
    expect(saved).toMatchObject({ saved: true, files: 6 })
    expect(saved.cacheId).toBeGreaterThan(0)
    expect(ctx.service.entries().map((e) => e.key)).toEqual([KEY_A])
    const listing = await archiveListing(ctx.service, KEY_A)
    const names = listing.map((entry) => entry.slice(entry.indexOf('cache/download/') + 'cache/download/'.length))
    expect(names.sort()).toEqual([
      'example.com/greet/@v/list',
      'example.com/greet/@v/v1.0.0.info',
      'example.com/greet/@v/v1.0.0.mod',
      'example.com/greet/@v/v1.0.0.zip',
      'example.com/greet/@v/v1.0.0.ziphash',
      'sumdb/sum.golang.org/tile/8/0/000.p/3',
    ])
    expect(ctx.stdout.text()).not.toMatch(/^::(warning|error)/m)
  })

  test('exact hit: the files come back, bytes are measured, and the post step saves nothing', async () => {
    let { target } = job()
    const written = await downloadModule(ctx.sandbox.downloadDir, 'example.com/greet', 'v1.0.0')
    await saveModuleCache(target, { key: KEY_A, filesAtRestore: 0, mainSucceeded: true, cacheSave: true })
    await emptyDownloadDir()

    const next = job()
    target = next.target
    const restored = await restoreModuleCache(target, KEY_A, RESTORE_KEYS)
    expect(restored).toMatchObject({ hit: 'true', matchedKey: KEY_A, filesBefore: 0, filesAfter: 6 })
    expect(restored.bytes).toBe(written)
    const zip = await readFile(path.join(ctx.sandbox.downloadDir, 'example.com/greet/@v/v1.0.0.zip'))
    expect(zip.equals(Buffer.alloc(4096, 'v1.0.0'))).toBe(true)

    // the build adds nothing new; even if it did, an exact hit is never saved again
    await downloadModule(ctx.sandbox.downloadDir, 'example.com/other', 'v2.0.0')
    const before = creates()
    const saved = await saveModuleCache(target, {
      key: KEY_A,
      matchedKey: restored.matchedKey,
      filesAtRestore: restored.filesAfter,
      mainSucceeded: true,
      cacheSave: true,
    })
    expect(saved.saved).toBe(false)
    expect(saved.reason).toContain('matched the key exactly')
    expect(creates()).toBe(before)
  })

  test('partial hit: an older entry is restored by prefix, and the completed dir is saved under the new key', async () => {
    let { target } = job()
    await downloadModule(ctx.sandbox.downloadDir, 'example.com/greet', 'v1.0.0')
    await saveModuleCache(target, { key: KEY_A, filesAtRestore: 0, mainSucceeded: true, cacheSave: true })
    await emptyDownloadDir()

    const next = job()
    target = next.target
    const restored = await restoreModuleCache(target, KEY_B, RESTORE_KEYS)
    expect(restored).toMatchObject({ hit: 'partial', matchedKey: KEY_A, filesAfter: 6 })

    await downloadModule(ctx.sandbox.downloadDir, 'example.com/greet', 'v1.1.0')
    const saved = await saveModuleCache(target, {
      key: KEY_B,
      matchedKey: restored.matchedKey,
      filesAtRestore: restored.filesAfter,
      mainSucceeded: true,
      cacheSave: true,
    })
    expect(saved.saved).toBe(true)
    expect(ctx.service.entries().map((e) => e.key)).toEqual([KEY_A, KEY_B])
    const listing = await archiveListing(ctx.service, KEY_B)
    expect(listing.some((entry) => entry.endsWith('example.com/greet/@v/v1.1.0.zip'))).toBe(true)
    expect(listing.some((entry) => entry.endsWith('example.com/greet/@v/v1.0.0.zip'))).toBe(true)
  })

  test('partial hit with nothing new downloaded: nothing to save', async () => {
    let { target } = job()
    await downloadModule(ctx.sandbox.downloadDir, 'example.com/greet', 'v1.0.0')
    await saveModuleCache(target, { key: KEY_A, filesAtRestore: 0, mainSucceeded: true, cacheSave: true })
    await emptyDownloadDir()
    target = job().target
    const restored = await restoreModuleCache(target, KEY_B, RESTORE_KEYS)
    const saved = await saveModuleCache(target, {
      key: KEY_B,
      matchedKey: restored.matchedKey,
      filesAtRestore: restored.filesAfter,
      mainSucceeded: true,
      cacheSave: true,
    })
    expect(saved).toMatchObject({ saved: false, reason: 'no module files were added since the restore' })
    expect(ctx.service.entries().map((e) => e.key)).toEqual([KEY_A])
  })

  test.each([
    { env: { ACTIONS_CACHE_MODE: 'read' }, reason: "the runner's cache mode 'read' does not allow writing" },
    { env: { ACTIONS_CACHE_MODE: 'none' }, reason: "the runner's cache mode 'none' does not allow writing" },
    {
      env: { GITHUB_EVENT_NAME: 'pull_request_target' },
      reason: 'pull_request_target events never write to the cache',
    },
  ])('a miss is not saved when $reason', async ({ env, reason }) => {
    const { target } = job(env)
    const restored = await restoreModuleCache(target, KEY_A, RESTORE_KEYS)
    expect(restored.hit).toBe('false')
    await downloadModule(ctx.sandbox.downloadDir, 'example.com/greet', 'v1.0.0')
    const saved = await saveModuleCache(target, {
      key: KEY_A,
      filesAtRestore: restored.filesAfter,
      mainSucceeded: true,
      cacheSave: true,
    })
    expect(saved).toMatchObject({ saved: false, reason })
    expect(creates()).toBe(0)
    expect(ctx.service.entries()).toEqual([])
  })

  test('cache mode read still restores; none restores nothing and asks the service nothing', async () => {
    let { target } = job()
    await downloadModule(ctx.sandbox.downloadDir, 'example.com/greet', 'v1.0.0')
    await saveModuleCache(target, { key: KEY_A, filesAtRestore: 0, mainSucceeded: true, cacheSave: true })
    await emptyDownloadDir()

    target = job({ ACTIONS_CACHE_MODE: 'read' }).target
    expect((await restoreModuleCache(target, KEY_A, RESTORE_KEYS)).hit).toBe('true')
    await emptyDownloadDir()

    const lookups = ctx.service.requests.length
    target = job({ ACTIONS_CACHE_MODE: 'none' }).target
    expect((await restoreModuleCache(target, KEY_A, RESTORE_KEYS)).hit).toBe('false')
    expect(ctx.service.requests.length).toBe(lookups)
    expect(await readdir(ctx.sandbox.downloadDir)).toEqual([])
  })

  test('a failed main step or cache-save: false saves nothing', async () => {
    const { target } = job()
    await downloadModule(ctx.sandbox.downloadDir, 'example.com/greet', 'v1.0.0')
    const failedMain = await saveModuleCache(target, {
      key: KEY_A,
      filesAtRestore: 0,
      mainSucceeded: false,
      cacheSave: true,
    })
    expect(failedMain.saved).toBe(false)
    expect(failedMain.reason).toContain('main step did not succeed')
    const optedOut = await saveModuleCache(target, {
      key: KEY_A,
      filesAtRestore: 0,
      mainSucceeded: true,
      cacheSave: false,
    })
    expect(optedOut).toMatchObject({ saved: false, reason: 'cache-save is false' })
    expect(creates()).toBe(0)
  })

  test('two jobs saving the same key: the second is told politely, without a warning', async () => {
    const { target } = job()
    await downloadModule(ctx.sandbox.downloadDir, 'example.com/greet', 'v1.0.0')
    const request = { key: KEY_A, filesAtRestore: 0, mainSucceeded: true, cacheSave: true }
    expect((await saveModuleCache(target, request)).saved).toBe(true)
    const second = await saveModuleCache(target, request)
    expect(second.saved).toBe(false)
    expect(second.reason).toContain('usually another job saved that key first')
    expect(ctx.service.entries()).toHaveLength(1)
  })
})
