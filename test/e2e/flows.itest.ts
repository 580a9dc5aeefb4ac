import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readdirSync } from 'node:fs'
import { copyFile, cp, readFile } from 'node:fs/promises'
import path from 'node:path'
import { startCacheService, type CacheService } from '../servers/cache-service.js'
import {
  exportFileProxy,
  repoRoot,
  runGo,
  startTestServer,
  TEST_BUILD_CACHE,
  warmTestBuildCache,
  type TestServer,
} from '../servers/testserver.js'
import { NODE24, runAction } from '../helpers/action-runner.js'
import { readTree, runCliBundle } from '../helpers/cli-runner.js'
import { removeDir, removeTempDirs, tempDir } from '../helpers/temp-dir.js'
import { runnerEnv, treeHashes } from '../helpers/workspace.js'

// The bundles, run as the Actions runner and as a GitLab job run them, on the drift fixtures, against loopback
// proxies and a loopback cache service, with the real go command.
let server: TestServer
let cache: CacheService
let root: string
let fileProxy: { url: string; dir: string }

beforeAll(async () => {
  server = await startTestServer({
    proxies: [
      { name: 'public', sumdb: true },
      { name: 'slow', delayMs: 400 },
      { name: 'down', behavior: 'status', status: 503, body: 'maintenance' },
    ],
  })
  cache = await startCacheService()
  await warmTestBuildCache()
  root = await tempDir('gpg-flows-')
  const dir = path.join(root, 'file-proxy')
  fileProxy = { url: (await exportFileProxy(dir)).url, dir }
}, 600_000)

afterAll(async () => {
  await cache?.close()
  await server?.stop()
  await removeTempDirs()
})

async function fixture(name: string): Promise<string> {
  const dir = path.join(root, `${name}-${Math.random().toString(36).slice(2, 8)}`, 'ws')
  await cp(path.join(repoRoot, 'test/fixtures/drift', name), dir, { recursive: true })
  return dir
}

/** A fresh runner: its own HOME, GOPATH and caches, the same paths every time for one name (as GitHub's images). */
async function runner(name: string, extra: Record<string, string> = {}): Promise<Record<string, string>> {
  const dir = path.join(root, `runner-${name}`)
  await removeDir(dir)
  return runnerEnv(dir, server.caFile, extra)
}

const offline = { gosumdb: 'off', cache: 'false' }

describe('drift', () => {
  it('fails the step on a missing requirement, annotates go.mod, and leaves the files alone', async () => {
    const ws = await fixture('missing-require')
    const before = await treeHashes(ws)
    const job = await runAction({
      workspace: ws,
      env: await runner('drift'),
      inputs: { ...offline, goproxy: fileProxy.url },
    })
    expect(job.main.code).not.toBe(0)
    expect(job.main.outputs['drift']).toBe('true')
    expect(job.main.stdout).toMatch(/^::error title=goproxy-guard (tidy|go\.sum),file=go\.mod(,line=\d+)?::/m)
    // the summary opens with the verdict and the fix, before any table; the diff is shown once
    const [, verdict = ''] = job.main.summary.split('\n\n')
    expect(verdict).toMatch(/^❌ /)
    expect(job.main.summary.indexOf('go mod tidy')).toBeLessThan(job.main.summary.indexOf('|'))
    expect(job.main.summary.split('+require example.com/greet v1.0.0 // indirect').length).toBe(2)
    expect(job.main.summary).toMatch(/\+\s*require example\.com\/greet v1\.0\.0 \/\/ indirect|example\.com\/greet/)
    expect(await treeHashes(ws)).toEqual(before)
  }, 120_000)

  it('the CLI run speaks of where it runs: no step, annotation, job summary or cache service', async () => {
    const ws = await fixture('unused-require')
    const run = await runCliBundle(['run', '--goproxy', fileProxy.url, '--gosumdb', 'off'], {
      cwd: ws,
      env: await runner('cli-words'),
    })
    expect(run.code).toBe(1)
    expect(run.stdout + run.stderr).not.toMatch(/main step|post step|annotation|job summary|no cache service/i)
    expect(run.stdout.split('\n')[0]).toBe('✖ go.mod and go.sum drift: 2 findings in go.mod, go.sum')
    expect(run.stdout).toContain('example.com/unused v1.0.0 is required but not used: remove it')
  }, 120_000)

  it('passes on a tidy module, with drift=false', async () => {
    const ws = await fixture('tidy')
    const job = await runAction({
      workspace: ws,
      env: await runner('tidy'),
      inputs: { ...offline, goproxy: fileProxy.url },
    })
    expect({ code: job.main.code, post: job.post?.code }).toEqual({ code: 0, post: 0 })
    expect(job.main.outputs['drift']).toBe('false')
    // every log group holds its own lines (none opens to nothing), and the summary opens with the verdict
    for (const step of [job.main, job.post]) {
      const groups = [...(step?.stdout ?? '').matchAll(/^::group::(.*)\n([\s\S]*?)^::endgroup::$/gm)]
      expect(groups.length).toBeGreaterThan(0)
      for (const [, title, body] of groups)
        expect({ title, body: (body ?? '').trim() !== '' }).toEqual({ title, body: true })
    }
    expect(job.main.summary.split('\n').filter((l) => l.trim() !== '')[1]).toMatch(/^(✅|⚠️) /)
  }, 120_000)

  it('fails the post step when a later step runs go get, with the diff', async () => {
    const ws = await fixture('later-go-get')
    const before = await readFile(path.join(ws, 'go.mod'), 'utf8')
    const job = await runAction({
      workspace: ws,
      env: await runner('later'),
      inputs: { ...offline, goproxy: fileProxy.url },
      between: async (env) => {
        const got = await runGo(['get', 'example.com/greet@v1.1.0'], { cwd: ws, env })
        expect(got.code).toBe(0)
      },
    })
    expect(job.main.code).toBe(0)
    expect(job.post?.code).not.toBe(0)
    expect(job.post?.stdout).toMatch(/^::error title=goproxy-guard post-step,file=go\.mod/m)
    expect(job.post?.summary).toContain('Changed after the main step')
    expect(job.post?.summary).toContain('+require example.com/greet v1.1.0')
    expect(job.post?.stdout).toMatch(/A later step changed go\.mod/)
    // the post step reports, it never restores: the user's change stays
    expect(await readFile(path.join(ws, 'go.mod'), 'utf8')).not.toBe(before)
  }, 120_000)

  it('reports a proxy that fails during the check as a proxy failure, not as drift (CLI exit 3)', async () => {
    const ws = await fixture('proxy-down')
    const env = await runner('down')
    const run = await runCliBundle(['drift', '--goproxy', `${server.proxy('down').url},off`, '--gosumdb', 'off'], {
      cwd: ws,
      env,
    })
    expect(run.code).toBe(3)
    expect(run.stdout).toMatch(/503/)
    expect(run.stdout).not.toMatch(/drift finding/)
  }, 120_000)

  it('writes GitLab Code Quality and JUnit reports from the CLI, exit 1 on drift', async () => {
    const ws = await fixture('unused-require')
    const reportDir = path.join(ws, '..', 'reports')
    const run = await runCliBundle(
      ['drift', '--goproxy', fileProxy.url, '--gosumdb', 'off', '--report-dir', reportDir],
      {
        cwd: ws,
        env: await runner('cli-drift'),
      },
    )
    expect(run.code).toBe(1)
    // a terminal or a GitLab job has no steps, annotations or job summary; the fix is named
    expect(run.stdout + run.stderr).not.toMatch(/main step|post step|annotation|job summary|no cache service/i)
    expect(run.stdout).toContain('go mod tidy')
    expect(run.stdout.split('-\texample.com/unused v1.0.0').length).toBe(2)
    const quality = JSON.parse(await readFile(path.join(reportDir, 'codequality.json'), 'utf8')) as Array<{
      location: { path: string }
    }>
    expect(quality.length).toBeGreaterThan(0)
    expect(quality[0]?.location.path).toMatch(/^go\.(mod|sum)$/)
    expect(await readFile(path.join(reportDir, 'junit.xml'), 'utf8')).toMatch(/<testsuites[\s\S]*<failure/)
  }, 120_000)
})

describe('proxy health', () => {
  it('fails fast on a dead first proxy followed by a comma, naming the fix (CLI doctor exit 3)', async () => {
    const ws = await fixture('tidy')
    const goproxy = `${server.proxy('down').url},${server.proxy('public').url}`
    const job = await runAction({
      workspace: ws,
      env: await runner('dead'),
      inputs: { goproxy, gosumdb: server.sumdb.gosumdb, cache: 'false' },
    })
    expect(job.main.code).not.toBe(0)
    expect(job.main.stdout + job.main.stderr).toMatch(/503/)
    expect(job.main.stdout).toMatch(/\|/)
    expect(JSON.parse(job.main.outputs['proxy-report'] as string)).toMatchObject({ ok: false })
    const doctor = await runCliBundle(['doctor', '--goproxy', goproxy, '--gosumdb', server.sumdb.gosumdb], {
      cwd: ws,
      env: await runner('doctor'),
    })
    expect(doctor.code).toBe(3)
    expect(doctor.stdout).toMatch(/^✖ GOPROXY entry https:\/\/127\.0\.0\.1:\d+: every module fetch fails \(http 503\)/)
    expect(doctor.stdout).toMatch(/fix: .*put `\|` after this proxy/)
  }, 120_000)

  it('only warns when the dead proxy is followed by a pipe, and the job goes on', async () => {
    const ws = await fixture('tidy')
    const goproxy = `${server.proxy('down').url}|${server.proxy('public').url}`
    const job = await runAction({
      workspace: ws,
      env: await runner('pipe'),
      inputs: { goproxy, gosumdb: server.sumdb.gosumdb, cache: 'false' },
    })
    expect(job.main.stdout).toMatch(/^::warning /m)
    expect({ code: job.main.code, stderr: job.main.stderr }).toEqual({ code: 0, stderr: '' })
  }, 120_000)

  it('with on-proxy-failure: warn, a chain that cannot serve modules leaves the step green with warnings', async () => {
    const ws = await fixture('tidy')
    const goproxy = `${server.proxy('down').url},${server.proxy('public').url}`
    const job = await runAction({
      workspace: ws,
      env: await runner('warn'),
      inputs: { goproxy, gosumdb: server.sumdb.gosumdb, cache: 'false', 'on-proxy-failure': 'warn' },
    })
    expect(job.main.code).toBe(0)
    expect(job.main.stdout).toMatch(/^::warning title=goproxy-guard proxy-http-5xx::/m)
    expect(job.main.stdout).not.toMatch(/^::error/m)
  }, 120_000)

  it('reports invalid input in the job summary too, and exports nothing', async () => {
    const ws = await fixture('tidy')
    const job = await runAction({
      workspace: ws,
      env: await runner('invalid'),
      inputs: { goproxy: 'proxy.example/go|', probe: 'maybe' },
    })
    expect(job.main.code).not.toBe(0)
    expect(job.main.env).toEqual({})
    expect(job.main.summary).toContain('Nothing was exported and no file was written')
    expect(job.main.summary).toContain("Input 'probe': 'maybe' is not a boolean")
  }, 60_000)

  it('says how to fix a missing go command, and exports nothing', async () => {
    const ws = await fixture('tidy')
    const env = { ...(await runner('no-go')), PATH: `${path.dirname(NODE24)}:/usr/bin:/bin` }
    const job = await runAction({
      workspace: ws,
      env,
      inputs: { goproxy: fileProxy.url, auth: 'h u s3cret-for-no-go' },
    })
    expect(job.main.code).not.toBe(0)
    expect(job.main.stdout).toMatch(/Install Go before this step, e\.g\. with actions\/setup-go/)
    expect(job.main.env).toEqual({})
    expect(job.post?.code).toBe(0)
    expect(readdirSync(job.runnerTemp).filter((name) => name.startsWith('goproxy-guard-'))).toEqual([])
  }, 60_000)

  it('puts the fastest healthy proxy first with select-fastest, and exports it', async () => {
    const ws = await fixture('tidy')
    const goproxy = `${server.proxy('slow').url},${server.proxy('public').url},off`
    const job = await runAction({
      workspace: ws,
      env: await runner('fastest'),
      inputs: { goproxy, gosumdb: server.sumdb.gosumdb, cache: 'false', 'select-fastest': 'true' },
    })
    expect(job.main.code).toBe(0)
    expect(job.main.env['GOPROXY']).toBe(`${server.proxy('public').url},${server.proxy('slow').url},off`)
    expect(job.main.outputs['goproxy']).toBe(job.main.env['GOPROXY'])
  }, 120_000)
})

describe('module cache', () => {
  it('saves on a miss, restores on the next runner, and builds with GOPROXY=off', async () => {
    const ws = await fixture('tidy')
    const inputs = { goproxy: fileProxy.url, gosumdb: 'off', 'cache-key-prefix': 'flows-hit' }
    const first = await runAction({ workspace: ws, env: await runner('cache', cache.env), inputs })
    expect(first.main.outputs['cache-hit']).toBe('false')
    expect(cache.entries().map((e) => e.key)).toContain(first.main.outputs['cache-key'])
    let build = { code: -1 as number | null, stderr: '' }
    let tidy = { code: -1 as number | null, stderr: '' }
    const second = await runAction({
      workspace: ws,
      env: await runner('cache', cache.env),
      inputs,
      between: async (env) => {
        // the tests' shared build cache: what is compiled is not what this checks (the modules come from the cache)
        build = await runGo(['build', './...'], { cwd: ws, env: { ...env, GOPROXY: 'off', GOCACHE: TEST_BUILD_CACHE } })
        // what the drift check needs was saved too: a later run's tidy check works from the cache alone
        tidy = await runGo(['mod', 'tidy', '-diff'], { cwd: ws, env: { ...env, GOPROXY: 'off' } })
      },
    })
    expect(second.main.outputs['cache-hit']).toBe('true')
    expect(build).toEqual({ code: 0, stdout: '', stderr: '' })
    expect(tidy).toEqual({ code: 0, stdout: '', stderr: '' })
    expect(second.post?.stdout).toMatch(/Module cache not saved: the restore matched the key exactly/)
  }, 300_000)

  it.each([['on'], ['off']])(
    'fails with the SECURITY diagnosis on a restored zip that was replaced (check-drift %s)',
    async (drift) => {
      const ws = await fixture('tidy')
      const prefix = `flows-tamper-${drift}`
      const inputs = {
        goproxy: fileProxy.url,
        gosumdb: 'off',
        'cache-key-prefix': prefix,
        'check-drift': drift === 'on' ? 'true' : 'false',
      }
      const env = await runner(`tamper-${drift}`, cache.env)
      // a first runner saves a cache whose greet v1.0.0 zip was swapped for other content; its .ziphash is untouched
      await runAction({
        workspace: ws,
        env,
        inputs,
        between: async () => {
          const download = path.join(env['GOMODCACHE'] as string, 'cache/download/example.com/greet/@v')
          await copyFile(path.join(fileProxy.dir, 'example.com/greet/@v/v1.1.0.zip'), path.join(download, 'v1.0.0.zip'))
        },
      })
      const job = await runAction({ workspace: ws, env: await runner(`tamper-${drift}`, cache.env), inputs })
      expect(job.main.outputs['cache-hit']).toBe('true')
      expect(job.main.code).not.toBe(0)
      expect(job.main.stdout).toMatch(/SECURITY|modified/i)
      expect(job.main.stdout).toMatch(/example\.com\/greet/)
    },
    180_000,
  )
})

describe('a module cache restored by something else', () => {
  it('is verified too: a replaced zip in GOMODCACHE fails the step, with cache and check-drift off', async () => {
    const ws = await fixture('tidy')
    const env = await runner('inherited')
    // as GitLab's cache: or a self-hosted runner's disk would leave it
    const warm = await runGo(['mod', 'download'], {
      cwd: ws,
      env: { ...env, PATH: `/usr/local/go/bin:${process.env['PATH'] ?? ''}`, GOPROXY: fileProxy.url, GOSUMDB: 'off' },
    })
    expect(warm.code).toBe(0)
    const download = path.join(env['GOMODCACHE'] as string, 'cache/download/example.com/greet/@v')
    await copyFile(path.join(fileProxy.dir, 'example.com/greet/@v/v1.1.0.zip'), path.join(download, 'v1.0.0.zip'))
    const job = await runAction({
      workspace: ws,
      env,
      inputs: { goproxy: fileProxy.url, gosumdb: 'off', cache: 'false', 'check-drift': 'false' },
    })
    expect(job.main.code).not.toBe(0)
    expect(job.main.stdout).toMatch(/SECURITY|modified/i)
  }, 120_000)
})

describe('the CLI run command', () => {
  it('writes every report, and a dotenv without credential paths', async () => {
    const ws = await fixture('tidy')
    const reportDir = path.join(ws, '..', 'out')
    const run = await runCliBundle(['run', '--goproxy', fileProxy.url, '--gosumdb', 'off', '--report-dir', reportDir], {
      cwd: ws,
      env: { ...(await runner('cli-run')), GOPROXY_GUARD_AUTH: 'git.corp.example ci t0ken-for-cli-run' },
    })
    expect(run.code).toBe(0)
    const dotenv = await readFile(path.join(reportDir, 'goproxy-guard.env'), 'utf8')
    expect(dotenv).toContain(`GOPROXY=${fileProxy.url}`)
    expect(dotenv).not.toMatch(/NETRC|GIT_CONFIG/)
    const all = await readTree(reportDir)
    expect(all).not.toContain('t0ken-for-cli-run')
    expect(JSON.parse(await readFile(path.join(reportDir, 'codequality.json'), 'utf8'))).toEqual([])
  }, 120_000)
})

describe('inputs cannot inject variables into GITHUB_ENV', () => {
  const allowed =
    /^(GO(PROXY|SUMDB|PRIVATE|NOPROXY|NOSUMDB|INSECURE|FLAGS|TOOLCHAIN|AUTH)|NETRC|GIT_CONFIG_(COUNT|KEY_\d+|VALUE_\d+))$/
  it.each([
    ['goflags', '-trimpath\nLD_PRELOAD=/tmp/evil.so'],
    ['gotoolchain', 'local\nLD_PRELOAD=/tmp/evil.so'],
    ['goproxy', 'https://proxy.example\nLD_PRELOAD=/tmp/evil.so'],
    ['gosumdb', 'off\nLD_PRELOAD=/tmp/evil.so'],
    ['goprivate', 'corp.example\nLD_PRELOAD<<EOF\n/tmp/evil.so\nEOF'],
    ['goauth', 'netrc\r\nLD_PRELOAD=/tmp/evil.so'],
    ['cache-key-prefix', 'x\nLD_PRELOAD=/tmp/evil.so'],
    ['auth', 'h u s\nLD_PRELOAD=/tmp/evil.so'],
  ])(
    '%s',
    async (input, value) => {
      const ws = await fixture('tidy')
      const job = await runAction({
        workspace: ws,
        env: await runner('inject'),
        inputs: {
          goproxy: fileProxy.url,
          gosumdb: 'off',
          probe: 'false',
          download: 'false',
          'check-drift': 'false',
          [input]: value,
        },
        runPost: false,
      })
      for (const [name, exported] of Object.entries(job.main.env)) {
        expect(name).toMatch(allowed)
        expect(exported).not.toMatch(/[\r\n]/)
      }
      expect(job.main.files.env).not.toMatch(/^LD_PRELOAD/m)
    },
    60_000,
  )
})
