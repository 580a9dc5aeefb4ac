import { mkdir, readdir, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, jest, test } from '@jest/globals'
import { createActionsCacheStore, type ActionsCacheStoreOptions } from '../../../src/cache/actions-store.js'
import { cacheKey, restoreKeys } from '../../../src/cache/key.js'
import {
  restoreModuleCache,
  saveModuleCache,
  type CacheSaveResult,
  type ModuleCacheTarget,
} from '../../../src/cache/module-cache.js'
import { type CacheServiceMode } from '../../servers/cache-service.js'
import { useCacheSandbox } from './cache-env.js'

// A cache service in trouble never fails the step: one warning with a one-line reason, and the job goes on.

jest.setTimeout(60_000)

const ctx = useCacheSandbox({ retryAfterSeconds: 42 })

const KEY = cacheKey('goproxy-guard', [{ path: 'go.sum', content: Buffer.from('example.com/greet v1.0.0 h1:a=\n') }])

function job(options: ActionsCacheStoreOptions = {}): { target: ModuleCacheTarget } {
  return {
    target: { store: createActionsCacheStore(options), env: ctx.sandbox.env, downloadDir: ctx.sandbox.downloadDir },
  }
}

async function addModuleFiles(): Promise<void> {
  const at = path.join(ctx.sandbox.downloadDir, 'example.com', 'greet', '@v')
  await mkdir(at, { recursive: true })
  await writeFile(path.join(at, 'v1.0.0.mod'), 'module example.com/greet\n')
  await writeFile(path.join(at, 'v1.0.0.zip'), Buffer.alloc(2048, 1))
}

/** A problem in one line (which the step shows as its one warning), and no annotation from the library itself. */
function expectProblem(result: { problem?: string }, reason: RegExp): void {
  expect(result.problem).toMatch(reason)
  expect(result.problem).not.toContain('\n')
  expect(ctx.stdout.text()).not.toMatch(/^::(warning|error)/m)
}

async function restoreIn(mode: CacheServiceMode, options: ActionsCacheStoreOptions = {}) {
  ctx.service.setMode(mode)
  const { target } = job(options)
  const restored = await restoreModuleCache(target, KEY, restoreKeys('goproxy-guard'))
  return { restored }
}

async function saveIn(
  mode: CacheServiceMode,
  options: ActionsCacheStoreOptions = {},
): Promise<{ saved: CacheSaveResult }> {
  await addModuleFiles()
  ctx.service.setMode(mode)
  const { target } = job(options)
  const saved = await saveModuleCache(target, { key: KEY, filesAtRestore: 0, mainSucceeded: true, cacheSave: true })
  return { saved }
}

/** Proof that the library was stopped, not merely left behind: no retry reaches the service afterwards. */
async function expectNoLaterRequests(): Promise<void> {
  const count = ctx.service.requests.length
  await sleep(4_000) // longer than the library's first retry delay (3 s)
  expect(ctx.service.requests.length).toBe(count)
}

describe('restore in trouble', () => {
  test('hanging service: abandoned after the call timeout, reported, and not retried behind our back', async () => {
    const started = Date.now()
    const { restored } = await restoreIn('hang', { callTimeoutMs: 1_000 })
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(restored).toMatchObject({ hit: 'false', problem: 'the cache service did not answer within 1 s' })
    expectProblem(restored, /^the cache service did not answer within 1 s$/)
    await expectNoLaterRequests()
  })

  test('hanging service: the overall time limit applies too', async () => {
    const { restored } = await restoreIn('hang', { callTimeoutMs: 60_000, timeoutMs: 1_500 })
    expect(restored.problem).toBe('the cache operation did not finish within 1.5 s')
    expectProblem(restored, /did not finish within 1\.5 s/)
  })

  test('rate limited (429 with Retry-After)', async () => {
    const { restored } = await restoreIn('rate-limit')
    expect(restored.hit).toBe('false')
    expectProblem(restored, /\(429\) Too Many Requests/)
    expect(restored.problem).toContain('reset in 42 seconds')
    // one call: the library does not retry a 429
    expect(ctx.service.requests).toHaveLength(1)
  })

  test('download answers 403: nothing lands in the download dir', async () => {
    await addModuleFiles()
    const { target } = job()
    expect(
      (await saveModuleCache(target, { key: KEY, filesAtRestore: 0, mainSucceeded: true, cacheSave: true })).saved,
    ).toBe(true)
    await rm(ctx.sandbox.downloadDir, { recursive: true })
    await mkdir(ctx.sandbox.downloadDir)

    const { restored } = await restoreIn('download-403')
    expect(restored).toMatchObject({ hit: 'false', filesAfter: 0, bytes: 0 })
    expectProblem(restored, /^the cache archive download was answered 403 Forbidden; /)
    expect(ctx.service.requests.at(-1)).toMatchObject({ method: 'GET', status: 403 })
    expect(await readdir(ctx.sandbox.downloadDir)).toEqual([])
  })

  test('no runtime token', async () => {
    delete process.env['ACTIONS_RUNTIME_TOKEN']
    const { restored } = await restoreIn('normal')
    expect(restored.hit).toBe('false')
    expectProblem(restored, /ACTIONS_RUNTIME_TOKEN/)
  })
})

describe('save in trouble', () => {
  test('hanging service: abandoned after the call timeout, and not retried behind our back', async () => {
    const { saved } = await saveIn('hang', { callTimeoutMs: 1_000 })
    expect(saved).toMatchObject({ saved: false, reason: 'the cache service did not answer within 1 s' })
    expectProblem(saved, /^the cache service did not answer within 1 s$/)
    await expectNoLaterRequests()
  })

  test("rate limited: the reason is the 429, not the library's guess about another job", async () => {
    const { saved } = await saveIn('rate-limit')
    expect(saved.saved).toBe(false)
    expectProblem(saved, /\(429\) Too Many Requests/)
    expect(saved.reason).not.toContain('another job')
  })

  test('storage quota used up', async () => {
    const { saved } = await saveIn('quota')
    expect(saved.saved).toBe(false)
    expectProblem(saved, /Cache storage quota has been hit/)
    expect(ctx.service.entries()).toEqual([])
  })

  test("write denied (a read-only token, as in a fork's pull request)", async () => {
    const { saved } = await saveIn('write-denied')
    expect(saved.saved).toBe(false)
    expectProblem(saved, /cache write denied: token has no writable scopes/)
    expect(ctx.service.requests.map((r) => r.twirp)).toEqual(['CreateCacheEntry'])
  })

  test('no runtime token', async () => {
    delete process.env['ACTIONS_RUNTIME_TOKEN']
    const { saved } = await saveIn('normal')
    expect(saved.saved).toBe(false)
    expectProblem(saved, /^Unable to get the ACTIONS_RUNTIME_TOKEN env variable$/)
    expect(ctx.service.requests).toEqual([])
  })
})
