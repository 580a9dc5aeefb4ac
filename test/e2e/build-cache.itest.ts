import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { cp, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { startCacheService, type CacheService } from '../servers/cache-service.js'
import { exportFileProxy, repoRoot, runGo } from '../servers/testserver.js'
import { runAction } from '../helpers/action-runner.js'
import { runnerEnv } from '../helpers/workspace.js'
import { removeDir, removeTempDirs, tempDir } from '../helpers/temp-dir.js'

// The build cache over the real @actions/cache and a loopback cache service, with the bundles run as the Actions
// runner runs them and the real go compiling: a default-branch run saves it, a fresh runner restores it and compiles
// nothing, pull requests only read it, and what a job no longer uses leaves the entry.

let cache: CacheService
let root: string
let fileProxy: { url: string; dir: string }

beforeAll(async () => {
  cache = await startCacheService()
  root = await tempDir('gpg-build-cache-')
  const dir = path.join(root, 'file-proxy')
  fileProxy = { url: (await exportFileProxy(dir)).url, dir }
  await writeFile(path.join(root, 'event-push.json'), JSON.stringify({ repository: { default_branch: 'main' } }))
}, 120_000)

afterAll(async () => {
  await cache?.close()
  await removeTempDirs()
})

async function project(name: string): Promise<string> {
  const ws = path.join(root, `ws-${name}`)
  await cp(path.join(repoRoot, 'test/fixtures/drift/tidy'), ws, { recursive: true })
  return ws
}

/** A fresh runner: nothing in its caches, at the same paths every time for one name (as on GitHub's images). */
async function runner(name: string, extra: Record<string, string> = {}): Promise<Record<string, string>> {
  const dir = path.join(root, `runner-${name}`)
  await removeDir(dir)
  return runnerEnv(dir, path.join(fileProxy.dir, 'no-ca.pem'), { ...cache.env, ...extra })
}

function onDefaultBranch(run: number): Record<string, string> {
  return {
    GITHUB_EVENT_NAME: 'push',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_EVENT_PATH: path.join(root, 'event-push.json'),
    GITHUB_RUN_ID: String(run),
    GITHUB_RUN_ATTEMPT: '1',
  }
}

function inPullRequest(run: number): Record<string, string> {
  return { ...onDefaultBranch(run), GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/7/merge' }
}

/** The member paths of an entry's archive (tar + zstd, or gzip without zstd), as @actions/cache wrote it. */
function members(data: Buffer): Promise<string[]> {
  const gzip = data[0] === 0x1f && data[1] === 0x8b
  return new Promise((resolve, reject) => {
    const tar = spawn('tar', gzip ? ['-tzf', '-'] : ['--use-compress-program', 'zstd -d', '-tf', '-'])
    let out = ''
    tar.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk))
    tar.on('error', reject)
    tar.on('close', (code) =>
      code === 0 ? resolve(out.split('\n').filter(Boolean)) : reject(new Error(`tar ${code}`)),
    )
    tar.stdin.end(data)
  })
}

const entry = (key: string | undefined) => cache.entries().find((e) => e.key === key)
const inputs = (prefix: string, extra: Record<string, string> = {}) => ({
  goproxy: fileProxy.url,
  gosumdb: 'off',
  'cache-key-prefix': prefix,
  ...extra,
})

describe('the build cache', () => {
  it('a default-branch run saves both entries; a fresh runner restores them and compiles nothing again', async () => {
    const ws = await project('fresh')
    // the binary goes outside the workspace: a file added there is a change Go indexes (a new build cache entry)
    const build = (env: Record<string, string>, ...flags: string[]) =>
      runGo(['build', ...flags, '-o', path.join(root, 'app-fresh'), './...'], { cwd: ws, env })
    const first = await runAction({
      workspace: ws,
      env: await runner('fresh', onDefaultBranch(101)),
      inputs: inputs('bc-fresh'),
      between: async (env) => {
        expect(await build(env)).toMatchObject({ code: 0 })
      },
    })
    expect({ main: first.main.code, post: first.post?.code }).toEqual({ main: 0, post: 0 })
    expect(first.main.outputs['build-cache-hit']).toBe('false')
    const buildKey = first.main.outputs['build-cache-key']
    expect(buildKey).toMatch(/^bc-fresh-build-v1-linux-amd64-go1\.\d+(\.\d+)?-[0-9a-f]{24}-101-1$/)
    const modules = entry(first.main.outputs['cache-key'])
    const builds = entry(buildKey)
    expect(modules).toBeDefined()
    expect(builds).toBeDefined()
    const buildMembers = await members(builds!.data)
    const moduleMembers = await members(modules!.data)
    // never mixed: the build entry holds no module file, the module entry no build cache
    expect(buildMembers.filter((m) => /pkg\/mod|\.zip$|\.ziphash$/.test(m))).toEqual([])
    expect(buildMembers.some((m) => /gocache\/[0-9a-f]{2}\/[0-9a-f]{64}-[ad]$/.test(m))).toBe(true)
    expect(moduleMembers.filter((m) => m.includes('gocache'))).toEqual([])
    expect(first.post?.summary).toMatch(/Build cache: saved: \d+ files under bc-fresh-build-v1-/)

    let rebuilt = { code: -1 as number | null, stdout: '', stderr: '' }
    const second = await runAction({
      workspace: ws,
      env: await runner('fresh', onDefaultBranch(102)),
      inputs: inputs('bc-fresh'),
      between: async (env) => {
        rebuilt = await build({ ...env, GOPROXY: 'off' }, '-v')
      },
    })
    expect(second.main.outputs['cache-hit']).toBe('true')
    expect(second.main.outputs['build-cache-hit']).toBe('true')
    // -v names every package it compiles: none, neither a dependency nor the standard library
    expect(rebuilt).toEqual({ code: 0, stdout: '', stderr: '' })
    expect(second.post?.stdout).toMatch(/Build cache not saved: the job compiled nothing the restored entry lacked/)
  }, 240_000)

  it('a pull request restores the default branch entry and saves none; build-cache: false touches none', async () => {
    const ws = await project('pr')
    await runAction({
      workspace: ws,
      env: await runner('pr', onDefaultBranch(201)),
      inputs: inputs('bc-pr'),
      between: async (env) => {
        expect(await runGo(['build', './...'], { cwd: ws, env })).toMatchObject({ code: 0 })
      },
    })
    const saved = cache.entries().length
    const pr = await runAction({
      workspace: ws,
      env: await runner('pr', inPullRequest(202)),
      inputs: inputs('bc-pr'),
      between: async (env) => {
        // new code in the pull request: something the default branch's entry lacks is compiled
        await writeFile(path.join(ws, 'extra.go'), 'package main\n\nfunc extra() int { return 42 }\n')
        expect(await runGo(['build', './...'], { cwd: ws, env })).toMatchObject({ code: 0 })
      },
    })
    expect(pr.main.outputs['build-cache-hit']).toBe('true')
    expect(pr.post?.stdout).toMatch(
      /Build cache not saved: saved only on the default branch \(main\); this is refs\/pull\/7\/merge/,
    )
    expect(cache.entries().length).toBe(saved)

    const off = await runAction({
      workspace: ws,
      env: await runner('pr', onDefaultBranch(203)),
      inputs: inputs('bc-pr', { 'build-cache': 'false' }),
    })
    expect(off.main.outputs['build-cache-hit']).toBe('false')
    expect(off.main.outputs['build-cache-key']).toBeUndefined()
    expect(
      cache.requests.filter((r) => JSON.stringify(r.body ?? {}).includes('bc-pr-build-v1')).length,
    ).toBeGreaterThan(0)
    const requestsBefore = cache.requests.length
    await runAction({
      workspace: ws,
      env: await runner('pr', onDefaultBranch(204)),
      inputs: inputs('bc-pr', { 'build-cache': 'false', cache: 'false' }),
    })
    expect(cache.requests.length).toBe(requestsBefore)
  }, 240_000)

  it('leaves out what a job no longer compiles: the next entry holds no package of a dropped dependency', async () => {
    const ws = await project('prune')
    let utilExport = ''
    const first = await runAction({
      workspace: ws,
      env: await runner('prune', onDefaultBranch(301)),
      inputs: inputs('bc-prune'),
      between: async (env) => {
        expect(await runGo(['build', './...'], { cwd: ws, env })).toMatchObject({ code: 0 })
        const listed = await runGo(['list', '-export', '-f', '{{.Export}}', 'example.com/util'], { cwd: ws, env })
        utilExport = path.relative(env['GOCACHE'] as string, listed.stdout.trim())
      },
    })
    expect(utilExport).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{64}-d$/)
    const before = await members(entry(first.main.outputs['build-cache-key'])!.data)
    expect(before.some((m) => m.endsWith(utilExport))).toBe(true)

    // the next commit stops importing example.com/util (go.mod keeps it: check-drift is off for the experiment)
    await writeFile(
      path.join(ws, 'main.go'),
      'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("no util") }\n',
    )
    const second = await runAction({
      workspace: ws,
      env: await runner('prune', onDefaultBranch(302)),
      inputs: inputs('bc-prune', { 'check-drift': 'false' }),
      between: async (env) => {
        expect(await runGo(['build', './...'], { cwd: ws, env })).toMatchObject({ code: 0 })
      },
    })
    expect(second.main.outputs['build-cache-hit']).toBe('true')
    expect(second.post?.stdout).toMatch(/Build cache saved: .*leaving out \d+ files? \(.*\) this job did not use/)
    const after = await members(entry(second.main.outputs['build-cache-key'])!.data)
    expect(after.some((m) => m.endsWith(utilExport))).toBe(false)
    expect(after.length).toBeLessThan(before.length)
  }, 240_000)
})

describe('the module entry after a go.sum bump', () => {
  it('holds no zip of the old version', async () => {
    const ws = await project('bump')
    const first = await runAction({
      workspace: ws,
      env: await runner('bump', onDefaultBranch(401)),
      inputs: inputs('bc-bump', { 'build-cache': 'false' }),
    })
    const old = await members(entry(first.main.outputs['cache-key'])!.data)
    expect(old.some((m) => m.endsWith('example.com/greet/@v/v1.0.0.zip'))).toBe(true)

    // the bump, as a developer makes it: go get, then go mod tidy
    const env = await runner('bump-dev', { GOPROXY: fileProxy.url, GOSUMDB: 'off' })
    expect(await runGo(['get', 'example.com/greet@v1.1.0'], { cwd: ws, env })).toMatchObject({ code: 0 })
    expect(await runGo(['mod', 'tidy'], { cwd: ws, env })).toMatchObject({ code: 0 })
    expect(await readFile(path.join(ws, 'go.sum'), 'utf8')).not.toMatch(/greet v1\.0\.0 h1:/)

    const second = await runAction({
      workspace: ws,
      env: await runner('bump', onDefaultBranch(402)),
      inputs: inputs('bc-bump', { 'build-cache': 'false' }),
    })
    expect(second.main.outputs['cache-hit']).toBe('partial')
    expect(second.post?.stdout).toMatch(/leaving out \d+ files .* of module versions no go\.sum names/)
    const bumped = await members(entry(second.main.outputs['cache-key'])!.data)
    expect(bumped.some((m) => m.endsWith('example.com/greet/@v/v1.1.0.zip'))).toBe(true)
    expect(bumped.some((m) => m.endsWith('example.com/greet/@v/v1.0.0.zip'))).toBe(false)
    // whatever go.sum still names stays: a version named only by its /go.mod line keeps its .mod
    const goSum = await readFile(path.join(ws, 'go.sum'), 'utf8')
    expect(bumped.some((m) => m.endsWith('example.com/greet/@v/v1.0.0.mod'))).toBe(
      goSum.includes('greet v1.0.0/go.mod'),
    )
    expect(bumped.some((m) => m.endsWith('example.com/util/@v/v0.1.0.zip'))).toBe(true)
  }, 240_000)
})
