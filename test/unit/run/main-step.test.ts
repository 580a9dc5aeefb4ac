import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { lstat, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { actionMain, actionPost } from '../../../src/run/action.js'
import type { Engine } from '../../../src/run/engine.js'
import { Redactor } from '../../../src/secrets/redactor.js'
import { fakeGo, type GoHandler } from '../../helpers/fake-go.js'
import { memoryCache, type MemoryCache } from '../../helpers/memory-cache.js'
import { recordingPlatform, type RecordingPlatform } from '../../helpers/recording-platform.js'

// The main and post steps in-process, through the Engine seams: a platform that records what the runner would get,
// a scripted go command and a cache service in memory. The bundles run as the runner runs them in test/e2e.

const GO_MOD = 'module example.test/app\n\ngo 1.24\n\nrequire example.com/greet v1.0.0\n'
const GO_SUM =
  'example.com/greet v1.0.0 h1:4YuW/FP7tip6okpt4aNg96/u7TiO2E9+IqOH7WRLIZ0=\nexample.com/greet v1.0.0/go.mod h1:rcTgdhGf2dvXrNywJG0jkV+0342RC7PiKN0YX33Ej6Y=\n'

let root: string
let workspace: string
let runnerTemp: string
let gomodcache: string

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'main-step-'))
  workspace = path.join(root, 'ws')
  runnerTemp = path.join(root, 'runner-temp')
  gomodcache = path.join(root, 'gopath', 'pkg', 'mod')
  await mkdir(workspace, { recursive: true })
  await mkdir(runnerTemp)
  await writeFile(path.join(workspace, 'go.mod'), GO_MOD)
  await writeFile(path.join(workspace, 'go.sum'), GO_SUM)
})

afterEach(async () => {
  await rm(root, { recursive: true, force: true, maxRetries: 3 })
})

/** What a compile leaves in GOCACHE: an action entry and its output. */
async function compiled(): Promise<Record<string, never>> {
  const shard = path.join(root, 'gocache', 'ab')
  await mkdir(shard, { recursive: true })
  await writeFile(path.join(shard, `${'ab'.repeat(32)}-a`), 'action')
  await writeFile(path.join(shard, `${'cd'.repeat(32)}-d`), 'compiled package')
  return {}
}

/** Fills the download dir as `go mod download` would for example.com/greet v1.0.0. */
async function cacheGreet(): Promise<void> {
  const at = path.join(gomodcache, 'cache', 'download', 'example.com', 'greet', '@v')
  await mkdir(at, { recursive: true })
  for (const ext of ['info', 'mod', 'zip', 'ziphash']) await writeFile(path.join(at, `v1.0.0.${ext}`), ext)
}

interface Job {
  engine: Engine
  platform: RecordingPlatform
  go: ReturnType<typeof fakeGo>
}

function job(
  inputs: Record<string, string>,
  handlers: Record<string, GoHandler> = {},
  options: { cache?: MemoryCache; state?: Map<string, string>; env?: Record<string, string> } = {},
): Job {
  const redactor = new Redactor()
  const platform = recordingPlatform({
    redactor,
    inputs: { probe: 'false', 'build-cache': 'false', ...inputs },
    env: { GITHUB_EVENT_NAME: 'push', ...options.env },
    tempDir: runnerTemp,
    ...(options.state ? { state: options.state } : {}),
  })
  const go = fakeGo(
    {
      GOMODCACHE: gomodcache,
      GOCACHE: path.join(root, 'gocache'),
      GOOS: 'linux',
      GOARCH: 'amd64',
      GOVERSION: 'go1.26.8',
      GOPROXY: 'https://proxy.golang.org,direct',
      GOSUMDB: 'sum.golang.org',
    },
    {
      'mod download': async () => {
        await cacheGreet()
        return {}
      },
      'mod verify': () => ({ stdout: 'all modules verified\n' }),
      ...handlers,
    },
  )
  return {
    engine: { platform, redactor, go, cache: options.cache ?? memoryCache(), baseDirectory: workspace },
    platform,
    go,
  }
}

const firstLineAfterTitle = (summary: string): string => summary.split('\n').filter((l) => l.trim() !== '')[1] ?? ''

describe('the main step, in-process', () => {
  it('a clean run: exit 0, the outputs, the state for the post step, a summary that opens with ✅, no empty group', async () => {
    const { engine, platform } = job({ goproxy: 'https://proxy.corp.example,direct', goprivate: 'corp.example' })
    expect(await actionMain(engine)).toBe(0)
    expect(Object.fromEntries(platform.outputs)).toMatchObject({
      goproxy: 'https://proxy.golang.org,direct',
      gosumdb: 'sum.golang.org',
      'cache-hit': 'false',
      drift: 'false',
    })
    expect(platform.outputs.get('cache-key')).toMatch(/^goproxy-guard-v1-[0-9a-f]{64}$/)
    expect(Object.fromEntries(platform.exported)).toEqual({
      GOPROXY: 'https://proxy.corp.example,direct',
      GOPRIVATE: 'corp.example',
    })
    const state = JSON.parse(platform.state.get('goproxy-guard') ?? '{}') as Record<string, unknown>
    expect(state).toMatchObject({ checkPost: true, mainSucceeded: true, cacheDownloadDir: expect.any(String) })
    expect(firstLineAfterTitle(platform.summary.join(''))).toMatch(/^✅ \*\*Passed: /)
    expect(platform.groups.map((g) => g.title)).toEqual([
      'Configuring Go',
      'Probing proxies and restoring the caches',
      'Checking go.mod and go.sum',
      'Downloading modules',
      'Verifying the module cache',
    ])
    for (const group of platform.groups) expect(group.lines.length).toBeGreaterThan(0)
    expect(platform.lines.filter((l) => l.kind === 'failed')).toEqual([])
  })

  it('invalid input: exit 2, nothing exported, no file written, the summary says so', async () => {
    const { engine, platform, go } = job({ probe: 'maybe', goproxy: 'https://u:s3cret-token@proxy.example' })
    expect(await actionMain(engine)).toBe(2)
    expect(platform.exported.size).toBe(0)
    expect(platform.state.size).toBe(0)
    expect(await readdir(runnerTemp)).toEqual([])
    expect(go.calls).toEqual([])
    expect(platform.summary.join('')).toContain("Nothing was exported and no file was written: Input 'probe'")
    expect(platform.lines.filter((l) => l.kind === 'failed').map((l) => l.text)).toEqual([
      expect.stringMatching(/^Nothing was exported and no file was written: Input 'probe': 'maybe' is not a boolean/),
    ])
    // the secret in the URL was registered before any message could show it
    expect(platform.secrets).toContain('s3cret-token')
    expect(platform.emitted()).not.toContain('s3cret-token')
  })

  it('registers every form of a credential with the runner before anything is printed', async () => {
    const { engine, platform } = job({ auth: 'proxy.corp.example ci-bot T0k3n-Value-123' })
    expect(await actionMain(engine)).toBe(0)
    expect(platform.secrets).toEqual(
      expect.arrayContaining([
        'T0k3n-Value-123',
        Buffer.from('T0k3n-Value-123').toString('base64'),
        Buffer.from('ci-bot:T0k3n-Value-123').toString('base64'),
      ]),
    )
    expect(platform.lines[0]?.kind).not.toBe('failed')
    expect(platform.emitted()).not.toContain('T0k3n-Value-123')
    expect(platform.exported.get('NETRC')).toMatch(/netrc$/)
  })

  it('drift: exit 1, drift=true, one annotation per finding on its line, the summary opens with ❌ and go mod tidy', async () => {
    const tidyDiff =
      'diff current/go.mod tidy/go.mod\n--- current/go.mod\n+++ tidy/go.mod\n@@ -3,3 +3,3 @@\n go 1.24\n \n-require example.com/greet v1.0.0\n+require example.com/greet v1.0.0 // indirect\n'
    const { engine, platform } = job({}, { 'mod tidy': () => ({ exitCode: 1, stdout: tidyDiff }) })
    expect(await actionMain(engine)).toBe(1)
    expect(platform.outputs.get('drift')).toBe('true')
    const errors = platform.lines.filter((l) => l.kind === 'error')
    expect(errors).toEqual([
      {
        kind: 'error',
        text: 'example.com/greet v1.0.0 is not imported by this module: mark it // indirect',
        annotation: { title: 'goproxy-guard tidy', file: 'go.mod', startLine: 5 },
      },
    ])
    const summary = platform.summary.join('')
    expect(firstLineAfterTitle(summary)).toMatch(/^❌ \*\*go\.mod and go\.sum drift: 1 finding in go\.mod\*\*/)
    expect(summary.indexOf('`go mod tidy`')).toBeLessThan(summary.indexOf('|'))
    expect(summary.split('+require example.com/greet v1.0.0 // indirect').length).toBe(2)
    expect(platform.lines.filter((l) => l.kind === 'failed').map((l) => l.text)).toEqual([
      'go.mod and go.sum drift: 1 finding in go.mod\nFix: Run `go mod tidy` and commit go.mod and go.sum.',
    ])
  })

  it('a proxy failure while downloading: exit 3, said once, the failure message is the diagnosis', async () => {
    const stderr =
      'go: example.com/greet@v1.0.0: reading https://proxy.corp.example/example.com/greet/@v/v1.0.0.info: 503 Service Unavailable\n'
    const { engine, platform } = job(
      { goproxy: 'https://proxy.corp.example', 'check-drift': 'false' },
      { 'mod download': () => ({ exitCode: 1, stderr }) },
    )
    expect(await actionMain(engine)).toBe(3)
    const failed = platform.lines.filter((l) => l.kind === 'failed')
    expect(failed).toHaveLength(1)
    expect(failed[0]?.text).toMatch(/503/)
    // the diagnosis the failure speaks for is not annotated a second time
    expect(platform.lines.filter((l) => l.kind === 'error')).toEqual([])
    expect(firstLineAfterTitle(platform.summary.join(''))).toMatch(/^❌ \*\*.*proxy\.corp\.example/)
  })

  it('a go that is not there: exit 2 with one line, nothing exported', async () => {
    const { engine, platform } = job({}, { env: () => ({ exitCode: 1, stderr: 'go: command not found\n' }) })
    expect(await actionMain(engine)).toBe(2)
    expect(platform.exported.size).toBe(0)
    expect(platform.lines.filter((l) => l.kind === 'failed')).toHaveLength(1)
  })

  it('a go.sum that cannot be read: exit 2 with one line naming it, no stack', async () => {
    await rm(path.join(workspace, 'go.sum'))
    await mkdir(path.join(workspace, 'go.sum'))
    const { engine, platform } = job({})
    expect(await actionMain(engine)).toBe(2)
    const failed = platform.lines.filter((l) => l.kind === 'failed').map((l) => l.text)
    expect(failed).toEqual([expect.stringMatching(/^The modules could not be checked: Cannot read go\.sum \(EISDIR\)/)])
    expect(platform.emitted()).not.toMatch(/\n\s+at /)
  })

  it('bounds every go command by go-timeout', async () => {
    const { engine, go } = job({ 'go-timeout': '42' })
    await actionMain(engine)
    const after = go.options.slice(1) // `go env` runs before the settings bound it
    expect(after.length).toBeGreaterThan(2)
    for (const options of after) expect(options.timeoutMs).toBe(42_000)
  })
})

describe('the post step, in-process', () => {
  it('saves the module cache after a miss, and a second runner restores it exactly and saves nothing', async () => {
    const cache = memoryCache()
    const first = job({}, {}, { cache })
    expect(await actionMain(first.engine)).toBe(0)
    const post = job({}, {}, { cache, state: first.platform.state })
    expect(await actionPost(post.engine)).toBe(0)
    expect([...cache.entries.keys()]).toEqual([first.platform.outputs.get('cache-key')])
    expect(post.platform.summary.join('')).toContain('Module cache: saved: ')

    await rm(gomodcache, { recursive: true, force: true })
    const second = job({}, {}, { cache })
    expect(await actionMain(second.engine)).toBe(0)
    expect(second.platform.outputs.get('cache-hit')).toBe('true')
    const again = job({}, {}, { cache, state: second.platform.state })
    expect(await actionPost(again.engine)).toBe(0)
    expect(cache.calls.filter((c) => c.startsWith('save'))).toHaveLength(1)
  })

  it('a restored entry holding a symbolic link fails the job as a security problem, and the link is gone', async () => {
    const downloadDir = path.join(gomodcache, 'cache', 'download')
    const cache = memoryCache()
    cache.restore = async (_paths, primaryKey) => {
      await mkdir(path.join(downloadDir, 'example.com'), { recursive: true })
      await symlink('/etc', path.join(downloadDir, 'example.com', 'escape'))
      return primaryKey
    }
    const { engine, platform } = job({}, {}, { cache })
    expect(await actionMain(engine)).toBe(1)
    expect(platform.lines.filter((l) => l.kind === 'failed').map((l) => l.text)).toEqual([
      expect.stringMatching(/^The restored module cache held what Go never writes there: example\.com\/escape/),
    ])
    await expect(lstat(path.join(downloadDir, 'example.com', 'escape'))).rejects.toThrow()
  })

  it('a cache service in trouble: one warning per cache and operation, the job stays green, the credentials go', async () => {
    const broken = memoryCache()
    broken.restore = async () => {
      throw new Error('Failed to GetCacheEntryDownloadURL: Failed request: (500) Internal Server Error\nmore')
    }
    broken.save = async () => {
      throw new Error('Failed to CreateCacheEntry: (429) Too Many Requests')
    }
    const event = path.join(root, 'event.json')
    await writeFile(event, JSON.stringify({ repository: { default_branch: 'main' } }))
    const env = { GITHUB_REF: 'refs/heads/main', GITHUB_EVENT_PATH: event }
    const inputs = { 'build-cache': 'true', auth: 'proxy.corp.example ci-bot T0k3n-Value-123' }
    const first = job(
      inputs,
      { 'mod download': async () => (await cacheGreet(), await compiled()) },
      { cache: broken, env },
    )
    expect(await actionMain(first.engine)).toBe(0)
    expect(first.platform.lines.filter((l) => l.kind === 'warning').map((l) => l.text)).toEqual(
      expect.arrayContaining([
        'Module cache not restored: Failed to GetCacheEntryDownloadURL: Failed request: (500) Internal Server Error. Modules are downloaded instead.',
        'Build cache not restored: Failed to GetCacheEntryDownloadURL: Failed request: (500) Internal Server Error. Packages are compiled instead.',
      ]),
    )
    const post = job(inputs, {}, { cache: broken, env, state: first.platform.state })
    expect(await actionPost(post.engine)).toBe(0)
    expect(post.platform.lines.filter((l) => l.kind === 'warning').map((l) => l.text)).toEqual([
      'Module cache not saved: Failed to CreateCacheEntry: (429) Too Many Requests.',
      'Build cache not saved: Failed to CreateCacheEntry: (429) Too Many Requests.',
    ])
    expect(post.platform.lines.map((l) => l.text)).toContain('Removed the credential files.')
    expect(await readdir(runnerTemp)).toEqual([])
  })

  it('removes the work directory; claims to have removed credential files only when there were some', async () => {
    const without = job({})
    await actionMain(without.engine)
    const post = job({}, {}, { state: without.platform.state })
    expect(await actionPost(post.engine)).toBe(0)
    expect(post.platform.lines.map((l) => l.text).join('\n')).not.toMatch(/credential files/)
    expect(await readdir(runnerTemp)).toEqual([])

    const withAuth = job({ auth: 'proxy.corp.example ci-bot T0k3n-Value-123' })
    await actionMain(withAuth.engine)
    const post2 = job({}, {}, { state: withAuth.platform.state })
    expect(await actionPost(post2.engine)).toBe(0)
    expect(post2.platform.lines.map((l) => l.text)).toContain('Removed the credential files.')
    expect(await readdir(runnerTemp)).toEqual([])
  })

  it('does nothing, and says so, when the main step stopped before writing anything', async () => {
    const post = job({})
    expect(await actionPost(post.engine)).toBe(0)
    expect(post.platform.lines.map((l) => l.text)).toEqual([
      'Nothing to do: the main step stopped before it wrote anything.',
    ])
  })
})
