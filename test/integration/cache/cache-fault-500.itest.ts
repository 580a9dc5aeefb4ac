import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { expect, jest, test } from '@jest/globals'
import { createActionsCacheStore } from '../../../src/cache/actions-store.js'
import { cacheKey, restoreKeys } from '../../../src/cache/key.js'
import { restoreModuleCache, saveModuleCache } from '../../../src/cache/module-cache.js'
import { useCacheSandbox } from './cache-env.js'

// A service that answers 500 to everything. The library retries each call five times (about 30 s), then gives up
// with an error annotation; the step must instead carry one warning and stay green. Slow, hence its own file.

jest.setTimeout(120_000)

const ctx = useCacheSandbox({ mode: 'fail-500' })

const KEY = cacheKey('goproxy-guard', [{ path: 'go.sum', content: Buffer.from('example.com/greet v1.0.0 h1:a=\n') }])

test('every call answers 500: restore and save each end in a one-line problem naming the 500, never an exception', async () => {
  const target = { store: createActionsCacheStore(), env: ctx.sandbox.env, downloadDir: ctx.sandbox.downloadDir }

  const restored = await restoreModuleCache(target, KEY, restoreKeys('goproxy-guard'))
  expect(restored.hit).toBe('false')
  expect(restored.problem).toMatch(
    /^Failed to GetCacheEntryDownloadURL: Failed to make request after 5 attempts: Failed request: \(500\)/,
  )

  const at = path.join(ctx.sandbox.downloadDir, 'example.com', 'greet', '@v')
  await mkdir(at, { recursive: true })
  await writeFile(path.join(at, 'v1.0.0.zip'), 'zip')
  const saved = await saveModuleCache(target, {
    key: KEY,
    filesAtRestore: restored.filesAfter,
    mainSucceeded: true,
    cacheSave: true,
  })
  expect(saved.saved).toBe(false)
  // the library's own message would blame "another job"; the reason says what happened
  expect(saved.reason).toMatch(
    /^Failed to CreateCacheEntry: Failed to make request after 5 attempts: Failed request: \(500\)/,
  )

  expect(saved.problem).toBe(saved.reason)
  // the library's "::error::Failed to restore" annotation was held back (kept at debug level)
  expect(ctx.stdout.text()).not.toMatch(/^::(warning|error)/m)
  expect(ctx.stdout.text()).toMatch(/^::debug::@actions\/cache: Failed to restore: /m)
  expect(ctx.service.requests.filter((r) => r.twirp === 'GetCacheEntryDownloadURL')).toHaveLength(5)
  expect(ctx.service.requests.filter((r) => r.twirp === 'CreateCacheEntry')).toHaveLength(5)
  expect(ctx.service.entries()).toEqual([])
})
