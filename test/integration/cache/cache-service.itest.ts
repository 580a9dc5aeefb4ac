import { randomBytes } from 'node:crypto'
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, jest, test } from '@jest/globals'
import * as cache from '@actions/cache'
import { useCacheSandbox } from './cache-env.js'

// The loopback service itself, driven by the real @actions/cache library with nothing of ours in between.

jest.setTimeout(120_000)

const ctx = useCacheSandbox()

async function fillDir(dir: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true })
    await writeFile(path.join(dir, name), content)
  }
}

async function emptyDir(dir: string): Promise<void> {
  for (const name of await readdir(dir)) await rm(path.join(dir, name), { recursive: true })
}

describe('cache service v2 on loopback', () => {
  test('saves through CreateCacheEntry, a blob PUT and FinalizeCacheEntryUpload; restores the same bytes', async () => {
    const dir = ctx.sandbox.downloadDir
    await fillDir(dir, { 'example.com/greet/@v/v1.0.0.mod': 'module example.com/greet\n', 'a.txt': 'a' })
    const id = await cache.saveCache([dir], 'k-1')
    expect(id).toBeGreaterThan(0)
    expect(ctx.service.entries().map((e) => e.key)).toEqual(['k-1'])
    expect(ctx.service.requests.map((r) => r.twirp ?? `${r.method} blob`)).toEqual([
      'CreateCacheEntry',
      'PUT blob',
      'FinalizeCacheEntryUpload',
    ])
    const create = ctx.service.requests[0]?.body
    expect(create).toEqual({ key: 'k-1', version: expect.stringMatching(/^[0-9a-f]{64}$/) })
    expect(ctx.service.requests[2]?.body?.['size_bytes']).toBe(String(ctx.service.entries()[0]?.sizeBytes))

    await emptyDir(dir)
    expect(await cache.restoreCache([dir], 'k-1')).toBe('k-1')
    expect(await readFile(path.join(dir, 'example.com/greet/@v/v1.0.0.mod'), 'utf8')).toBe('module example.com/greet\n')
  })

  test('restores by exact key first, then by each restore-key prefix, newest first, within one version', async () => {
    const dir = ctx.sandbox.downloadDir
    for (const key of ['p-v1-old', 'p-v1-new', 'q-v1-other']) {
      await fillDir(dir, { 'which.txt': key })
      expect(await cache.saveCache([dir], key)).toBeGreaterThan(0)
    }
    expect(await cache.restoreCache([dir], 'p-v1-old', ['p-v1-'])).toBe('p-v1-old')
    expect(await readFile(path.join(dir, 'which.txt'), 'utf8')).toBe('p-v1-old')
    expect(await cache.restoreCache([dir], 'p-v1-missing', ['p-v1-'])).toBe('p-v1-new')
    expect(await readFile(path.join(dir, 'which.txt'), 'utf8')).toBe('p-v1-new')
    expect(await cache.restoreCache([dir], 'p-v1-missing', ['none-', 'q-'])).toBe('q-v1-other')
    expect(await cache.restoreCache([dir], 'p-v1-missing', ['none-'])).toBeUndefined()
    // another path list is another version: nothing matches, even by exact key
    expect(await cache.restoreCache([dir, ctx.sandbox.workspace], 'p-v1-old', ['p-'])).toBeUndefined()
    const lookup = ctx.service.requests.filter((r) => r.twirp === 'GetCacheEntryDownloadURL').at(-1)
    expect(lookup?.body).toEqual({ key: 'p-v1-old', restore_keys: ['p-'], version: expect.any(String) })
  })

  test('an entry is immutable: a second save under the same key and version is refused with 409', async () => {
    const dir = ctx.sandbox.downloadDir
    await fillDir(dir, { 'one.txt': '1' })
    expect(await cache.saveCache([dir], 'same')).toBeGreaterThan(0)
    await fillDir(dir, { 'two.txt': '2' })
    expect(await cache.saveCache([dir], 'same')).toBe(-1)
    expect(ctx.service.entries()).toHaveLength(1)
    const refused = ctx.service.requests.filter((r) => r.twirp === 'CreateCacheEntry').at(-1)
    expect(refused?.status).toBe(409)
    expect(ctx.stdout.text()).toContain('Unable to reserve cache with key same')
  })

  test('an archive above the 128 MiB single-shot limit arrives as blocks and a block list, byte for byte', async () => {
    const dir = ctx.sandbox.downloadDir
    // random bytes do not compress, so the archive stays above the limit
    const big = randomBytes(130 * 1024 * 1024)
    await fillDir(dir, { 'big.bin': big })
    expect(await cache.saveCache([dir], 'big')).toBeGreaterThan(0)
    const puts = ctx.service.requests.filter((r) => r.method === 'PUT')
    expect(puts.some((r) => r.query.includes('comp=block&'))).toBe(true)
    expect(puts.at(-1)?.query).toContain('comp=blocklist')
    expect(ctx.service.entries()[0]?.sizeBytes).toBeGreaterThan(128 * 1024 * 1024)

    await emptyDir(dir)
    expect(await cache.restoreCache([dir], 'big')).toBe('big')
    expect((await readFile(path.join(dir, 'big.bin'))).equals(big)).toBe(true)
  })

  test('every request needs the runtime token', async () => {
    process.env['ACTIONS_RUNTIME_TOKEN'] = 'wrong'
    expect(await cache.restoreCache([ctx.sandbox.downloadDir], 'k')).toBeUndefined()
    expect(ctx.service.requests[0]?.status).toBe(401)
  })
})
