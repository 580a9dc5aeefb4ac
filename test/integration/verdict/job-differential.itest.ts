// DIFFERENTIAL, at the level of a whole job: for each case, the CLI's `run` and the real go (`go mod download`, then
// `go build ./...`) on the same project, the same module cache and the same loopback servers. The tool must pass
// exactly when Go passes; where it fails, it must say why in Go's terms.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { spawn } from 'node:child_process'
import { cp, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { runCliBundle } from '../../helpers/cli-runner.js'
import { runnerEnv } from '../../helpers/workspace.js'
import { removeTempDirs, tempDir } from '../../helpers/temp-dir.js'
import { goBinary, repoRoot, startTestServer, type TestServer } from '../../servers/testserver.js'

/** how long go may wait on a proxy before the case counts it as hanging */
const GO_WAIT_MS = 20_000

let root: string
let server: TestServer
let downSumdb: TestServer
/** a module cache after `go mod download` of the tidy fixture */
let completeCache: string
/** one build cache for every go here (it has no say in fetching), warmed once: the standard library is compiled once */
let gocache: string

beforeAll(async () => {
  root = await tempDir('job-differential-')
  server = await startTestServer({
    proxies: [
      { name: 'public', sumdb: true },
      { name: 'down', behavior: 'status', status: 503, body: 'maintenance' },
      { name: 'hangzip', behavior: 'hang-zip', sumdb: true },
    ],
  })
  downSumdb = await startTestServer({ proxies: [], sumdb: { behavior: 'status', status: 503 } })
  const warm = path.join(root, 'warm')
  gocache = path.join(root, 'gocache')
  await cp(path.join(repoRoot, 'test/fixtures/drift/tidy'), path.join(warm, 'ws'), { recursive: true })
  const env = await runnerEnv(warm, server.caFile, {
    GOPROXY: server.proxy('public').url,
    GOSUMDB: 'off',
    GOCACHE: gocache,
  })
  expect(await goWithin(['mod', 'download'], path.join(warm, 'ws'), env)).toMatchObject({ code: 0 })
  expect(await goWithin(['build', './...'], path.join(warm, 'ws'), env, 180_000)).toMatchObject({ code: 0 })
  completeCache = env['GOMODCACHE'] as string
}, 240_000)

afterAll(async () => {
  await server?.stop()
  await downSumdb?.stop()
  await removeTempDirs()
})

function goWithin(
  args: string[],
  cwd: string,
  env: Record<string, string>,
  waitMs = GO_WAIT_MS,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(goBinary(env['PATH']), args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'], detached: true })
    let stderr = ''
    const timer = setTimeout(() => {
      stderr += '\n(killed: no answer)'
      process.kill(-(child.pid as number), 'SIGKILL')
    }, waitMs)
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stderr })
    })
  })
}

type CacheState = 'empty' | 'complete' | 'partial'

interface Case {
  /** GOPROXY with proxy names for URLs */
  chain: string
  sumdb?: 'ok' | 'down' | 'off'
  cache: CacheState
  /** go.sum lacks the zip line of example.com/greet v1.0.0 */
  goSumLacking?: boolean
  gonosumdb?: string
  policy?: 'fail' | 'strict' | 'warn'
  /** what Go does with download + build */
  go: 'passes' | 'fails'
  /** the tool's exit code */
  exit: 0 | 1 | 3
  /** the tool's output says this */
  says?: RegExp
}

const CASES: Array<[string, Case]> = [
  ['healthy proxy, empty cache', { chain: 'public', cache: 'empty', go: 'passes', exit: 0 }],
  [
    'checksum database unreachable, go.sum complete: Go never asks it',
    {
      chain: 'public',
      sumdb: 'down',
      cache: 'empty',
      go: 'passes',
      exit: 0,
      says: /Checksum database localhost\/test-sumdb/,
    },
  ],
  [
    'checksum database unreachable, GONOSUMDB covers every requirement',
    { chain: 'public', sumdb: 'down', cache: 'empty', gonosumdb: 'example.com', go: 'passes', exit: 0 },
  ],
  [
    'checksum database unreachable and go.sum lacks a line: fails',
    {
      chain: 'public',
      sumdb: 'down',
      cache: 'complete',
      goSumLacking: true,
      go: 'fails',
      exit: 3,
      says: /go\.sum lacks the checksums of example\.com\/greet@v1\.0\.0/,
    },
  ],
  ['GOPROXY=off, every module cached', { chain: 'off', cache: 'complete', go: 'passes', exit: 0 }],
  [
    'GOPROXY=off, empty cache: names the modules and off',
    {
      chain: 'off',
      cache: 'empty',
      go: 'fails',
      exit: 3,
      says: /GOPROXY=off, and the module cache lacks 2 modules this job needs: example\.com\/greet@v1\.0\.0, example\.com\/util@v0\.1\.0/,
    },
  ],
  [
    'GOPROXY=off, one zip missing from the cache',
    {
      chain: 'off',
      cache: 'partial',
      go: 'fails',
      exit: 3,
      says: /lacks a module this job needs: example\.com\/greet@v1\.0\.0/,
    },
  ],
  [
    'a dead first proxy (`,`) with every module cached: a warning naming it',
    {
      chain: 'down,public',
      cache: 'complete',
      go: 'passes',
      exit: 0,
      says: /GOPROXY entry https:\/\/127\.0\.0\.1:\d+: every module fetch fails \(http 503\)/,
    },
  ],
  [
    'a dead first proxy (`,`) with every module cached, strict',
    { chain: 'down,public', cache: 'complete', policy: 'strict', go: 'passes', exit: 3 },
  ],
  ['a dead first proxy (`,`), empty cache', { chain: 'down,public', cache: 'empty', go: 'fails', exit: 3 }],
  ['a dead first proxy (`|`), empty cache', { chain: 'down|public', cache: 'empty', go: 'passes', exit: 0 }],
  ['a dead first proxy (`,`), one zip missing', { chain: 'down,public', cache: 'partial', go: 'fails', exit: 3 }],
  ['a proxy that hangs on zips, every module cached', { chain: 'hangzip', cache: 'complete', go: 'passes', exit: 0 }],
]

async function prepareCache(state: CacheState, gopath: string): Promise<void> {
  const target = path.join(gopath, 'pkg', 'mod')
  if (state === 'empty') return
  await cp(completeCache, target, { recursive: true })
  if (state === 'partial') {
    await rm(path.join(target, 'cache/download/example.com/greet/@v/v1.0.0.zip'), { force: true })
    await rm(path.join(target, 'example.com/greet@v1.0.0'), { recursive: true, force: true })
  }
}

function goproxyOf(chain: string): string {
  return chain.replace(/[a-z]+/g, (name) => (name === 'off' || name === 'direct' ? name : server.proxy(name).url))
}

function gosumdbOf(mode: Case['sumdb']): string {
  if (mode === 'off') return 'off'
  return mode === 'down' ? downSumdb.sumdb.gosumdb : server.sumdb.key
}

describe('differential: goproxy-guard run passes exactly when go mod download and go build pass', () => {
  test.each(CASES)(
    '%s',
    async (name, c) => {
      const dir = path.join(root, name.replace(/\W+/g, '-').slice(0, 50))
      const ws = path.join(dir, 'ws')
      await cp(path.join(repoRoot, 'test/fixtures/drift/tidy'), ws, { recursive: true })
      if (c.goSumLacking) {
        const goSum = await readFile(path.join(ws, 'go.sum'), 'utf8')
        await writeFile(path.join(ws, 'go.sum'), goSum.replace(/^example\.com\/greet v1\.0\.0 h1:.*\n/m, ''))
      }
      const variables = {
        GOPROXY: goproxyOf(c.chain),
        GOSUMDB: gosumdbOf(c.sumdb),
        ...(c.gonosumdb ? { GONOSUMDB: c.gonosumdb } : {}),
      }

      // the real go, on its own copy of the project and of the cache
      const goDir = path.join(dir, 'go')
      await cp(ws, path.join(goDir, 'ws'), { recursive: true })
      const goEnv = await runnerEnv(goDir, server.caFile, { ...variables, GOCACHE: gocache })
      await prepareCache(c.cache, goEnv['GOPATH'] as string)
      const download = await goWithin(['mod', 'download'], path.join(goDir, 'ws'), goEnv)
      const build =
        download.code === 0 ? await goWithin(['build', './...'], path.join(goDir, 'ws'), goEnv, 120_000) : download
      const goPasses = download.code === 0 && build.code === 0

      // the tool, on the same project and the same cache state
      const toolEnv = await runnerEnv(path.join(dir, 'tool'), server.caFile, { GOCACHE: gocache })
      await prepareCache(c.cache, toolEnv['GOPATH'] as string)
      const args = ['run', '--goproxy', variables.GOPROXY, '--gosumdb', variables.GOSUMDB, '--probe-timeout', '3']
      if (c.gonosumdb) args.push('--gonosumdb', c.gonosumdb)
      if (c.policy) args.push('--on-proxy-failure', c.policy)
      const run = await runCliBundle(args, { cwd: ws, env: toolEnv })

      expect({ go: goPasses ? 'passes' : 'fails', exit: run.code }).toEqual({ go: c.go, exit: c.exit })
      if (c.policy !== 'strict') expect(run.code === 0).toBe(goPasses)
      if (c.says) expect(run.stdout).toMatch(c.says)
    },
    90_000,
  )
})

describe('go-timeout', () => {
  test('a proxy that answers the probe but hangs on zips: run --go-timeout 15 ends well within a minute, exit 3, naming the module', async () => {
    const dir = path.join(root, 'hang-timeout')
    const ws = path.join(dir, 'ws')
    await cp(path.join(repoRoot, 'test/fixtures/drift/tidy'), ws, { recursive: true })
    const env = await runnerEnv(path.join(dir, 'tool'), server.caFile)
    const started = Date.now()
    const run = await runCliBundle(
      ['run', '--goproxy', server.proxy('hangzip').url, '--gosumdb', server.sumdb.key, '--go-timeout', '15'],
      { cwd: ws, env },
    )
    const seconds = (Date.now() - started) / 1000
    expect(run.code).toBe(3)
    expect(seconds).toBeLessThan(50)
    expect(run.stdout).toMatch(
      new RegExp(
        `did not finish within 15 s: still fetching .*example\\.com/(greet|util)@v\\d.* from ${server.proxy('hangzip').url.replace(/[.]/g, '\\.')}`,
      ),
    )
  }, 90_000)
})

describe('vendored modules', () => {
  let vendored: string

  beforeAll(async () => {
    vendored = path.join(root, 'vendored')
    await cp(path.join(repoRoot, 'test/fixtures/drift/tidy'), vendored, { recursive: true })
    const env = await runnerEnv(path.join(root, 'vendor-maker'), server.caFile, {
      GOPROXY: server.proxy('public').url,
      GOSUMDB: 'off',
    })
    expect(await goWithin(['mod', 'vendor'], vendored, env)).toMatchObject({ code: 0 })
  }, 60_000)

  async function copy(name: string): Promise<string> {
    const ws = path.join(root, `vendored-${name}`)
    await cp(vendored, ws, { recursive: true })
    return ws
  }

  test('in sync: exit 0, and no download warms anything', async () => {
    const ws = await copy('sync')
    const env = await runnerEnv(path.join(root, 'v-sync'), server.caFile)
    const run = await runCliBundle(['run', '--goproxy', server.proxy('public').url, '--gosumdb', server.sumdb.key], {
      cwd: ws,
      env,
    })
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/Built from vendor\/: \./)
    expect(run.stdout).toMatch(/\.: built from vendor\/, not downloaded|built from vendor/)
  }, 60_000)

  test('with the drift check off, a dead proxy does not fail a vendored build; Go builds it too', async () => {
    const ws = await copy('dead')
    const env = await runnerEnv(path.join(root, 'v-dead'), server.caFile)
    const run = await runCliBundle(['run', '--goproxy', server.proxy('down').url, '--no-check-drift'], { cwd: ws, env })
    expect(run.code).toBe(0)
    const goEnv = await runnerEnv(path.join(root, 'v-dead-go'), server.caFile, {
      GOPROXY: server.proxy('down').url,
      GOCACHE: gocache,
    })
    expect(await goWithin(['build', './...'], ws, goEnv, 120_000)).toMatchObject({ code: 0 })
  }, 60_000)

  test('an edited vendored file: exit 1 naming vendor/<path>; vendor/ is never written', async () => {
    const ws = await copy('edited')
    const file = path.join(ws, 'vendor/example.com/util/util.go')
    const edited = `${await readFile(file, 'utf8')}\n// edited by hand\n`
    await writeFile(file, edited)
    const env = await runnerEnv(path.join(root, 'v-edit'), server.caFile)
    const run = await runCliBundle(['run', '--goproxy', server.proxy('public').url, '--gosumdb', server.sumdb.key], {
      cwd: ws,
      env,
    })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('vendor/example.com/util/util.go was edited')
    expect(run.stdout).toContain('go mod vendor')
    expect(await readFile(file, 'utf8')).toBe(edited)
  }, 60_000)

  test('a stale modules.txt after a go.mod bump: exit 1 saying vendor', async () => {
    const ws = await copy('stale')
    const goMod = await readFile(path.join(ws, 'go.mod'), 'utf8')
    await writeFile(path.join(ws, 'go.mod'), goMod.replace('example.com/greet v1.0.0', 'example.com/greet v1.1.0'))
    const goSum = await readFile(path.join(ws, 'go.sum'), 'utf8')
    const lines = server.goSum.filter((l) => l.startsWith('example.com/greet v1.1.0'))
    await writeFile(path.join(ws, 'go.sum'), `${goSum}${lines.join('\n')}\n`)
    const env = await runnerEnv(path.join(root, 'v-stale'), server.caFile)
    const run = await runCliBundle(['run', '--goproxy', server.proxy('public').url, '--gosumdb', server.sumdb.key], {
      cwd: ws,
      env,
    })
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/vendor\/modules\.txt is stale/)
  }, 60_000)
})
