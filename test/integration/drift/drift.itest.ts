import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { runDriftChecks, verifyModules, type DriftCheckOptions } from '../../../src/drift/check.js'
import { discoverModules } from '../../../src/modules/layout.js'
import { compareSnapshot, snapshotModuleFiles } from '../../../src/drift/snapshot.js'
import { createGoRunner } from '../../../src/gocmd/runner.js'
import { exportFileProxy, goBinary, isolatedGoEnv, repoRoot, runGo } from '../../servers/testserver.js'
import { runCliBundle } from '../../helpers/cli-runner.js'
import { removeTempDirs, tempDir } from '../../helpers/temp-dir.js'

/*
 * The drift checks with the real go command on the fixtures in test/fixtures/drift, served by a file:// proxy.
 * Every scenario runs on a copy, and every test ends by checking that no file of the copy changed and none appeared.
 */

const fixtures = path.join(repoRoot, 'test', 'fixtures', 'drift')
const go = createGoRunner(goBinary())
let tmp: string
let env: Record<string, string>
let exported: string[]

beforeAll(async () => {
  tmp = await tempDir('drift-itest-')
  const proxy = await exportFileProxy(path.join(tmp, 'proxy'))
  exported = proxy.goSum
  env = await isolatedGoEnv(path.join(tmp, 'go'), { GOPROXY: proxy.url, GOSUMDB: 'off' })
}, 120_000)

afterAll(async () => {
  await runGo(['clean', '-modcache'], { cwd: tmp, env }).catch(() => undefined)
  await removeTempDirs()
})

/** A private copy of a scenario, and the hash of every file in it. */
async function scenario(name: string): Promise<{ dir: string; files: Map<string, string> }> {
  const dir = await mkdtemp(path.join(tmp, `${name}-`))
  await cp(path.join(fixtures, name), dir, { recursive: true })
  return { dir, files: await hashTree(dir) }
}

async function hashTree(dir: string, prefix = ''): Promise<Map<string, string>> {
  const files = new Map<string, string>()
  for (const entry of await readdir(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = path.join(prefix, entry.name)
    if (entry.isDirectory()) for (const [k, v] of await hashTree(dir, rel)) files.set(k, v)
    else
      files.set(
        rel,
        createHash('sha256')
          .update(await readFile(path.join(dir, rel)))
          .digest('hex'),
      )
  }
  return files
}

async function expectUntouched(copy: { dir: string; files: Map<string, string> }): Promise<void> {
  expect(await hashTree(copy.dir)).toEqual(copy.files)
}

const check = (dir: string, extra: Partial<DriftCheckOptions> = {}) =>
  runDriftChecks({ go, env, workingDirectory: dir, allowExternalReplace: false, tempDirectory: tmp, ...extra })

const brief = (findings: Array<{ check: string; file: string; line?: number; message: string }>) =>
  findings.map((f) => [f.check, f.file, f.line, f.message])

describe('drift checks on the fixtures (real go)', () => {
  it('the fixtures hold the export’s checksums', async () => {
    const sum = await readFile(path.join(fixtures, 'tidy', 'go.sum'), 'utf8')
    for (const line of sum.trim().split('\n')) expect(exported).toContain(line)
  })

  it('passes a tidy module', async () => {
    const copy = await scenario('tidy')
    const report = await check(copy.dir)
    expect(report.findings).toEqual([])
    expect(report.diagnoses).toEqual([])
    expect(report.checks.map((c) => `${c.check}:${c.outcome}`)).toEqual([
      'tidy:passed',
      'go.sum:passed',
      'replace:passed',
    ])
    await expectUntouched(copy)
  })

  it('finds a missing require', async () => {
    const copy = await scenario('missing-require')
    const report = await check(copy.dir)
    expect(brief(report.findings)).toEqual([
      [
        'tidy',
        'go.mod',
        5,
        'example.com/greet v1.0.0 is needed but not required: add require example.com/greet v1.0.0 // indirect',
      ],
    ])
    expect(report.diffs.map((d) => d.file)).toEqual(['go.mod'])
    expect(report.diffs[0]?.diff).toContain('+require example.com/greet v1.0.0 // indirect')
    await expectUntouched(copy)
  })

  it('finds an unused require and the go.sum lines that go with it', async () => {
    const copy = await scenario('unused-require')
    const report = await check(copy.dir)
    expect(brief(report.findings)).toEqual([
      ['tidy', 'go.mod', 6, 'example.com/unused v1.0.0 is required but not used: remove it'],
      ['tidy', 'go.sum', 3, 'go.sum has 2 lines for example.com/unused v1.0.0 that no build needs any more'],
    ])
    // one diff per file, however many findings it holds
    expect(report.diffs.map((d) => d.file)).toEqual(['go.mod', 'go.sum'])
    await expectUntouched(copy)
  })

  it('finds a missing go.sum line without downloading it into go.sum', async () => {
    const copy = await scenario('missing-gosum')
    const report = await check(copy.dir)
    expect(brief(report.findings)).toEqual([
      ['go.sum', 'go.sum', 1, 'go.sum lacks the checksum of example.com/greet v1.0.0 (its zip), which the build needs'],
    ])
    expect(report.checks.find((c) => c.check === 'go.sum')?.outcome).toBe('failed')
    await expectUntouched(copy)
  })

  it('finds stale go.sum lines', async () => {
    const copy = await scenario('stale-gosum')
    const report = await check(copy.dir)
    expect(report.findings.map((f) => [f.check, f.line, f.message])).toEqual([
      ['tidy', 3, 'go.sum has 2 lines for example.com/greet v1.1.0 that no build needs any more'],
      ['tidy', 5, 'go.sum has 2 lines for example.com/unused v1.0.0 that no build needs any more'],
    ])
    await expectUntouched(copy)
  })

  it('finds a replace to a directory outside the repository, unless allowed or inside the checkout', async () => {
    const copy = await scenario('replace-outside')
    const repo = path.join(copy.dir, 'repo')
    const report = await check(repo)
    expect(report.findings.map((f) => [f.check, f.file, f.line, f.message.split(':')[0]])).toEqual([
      ['replace', 'go.mod', 10, 'replace example.com/greet => ../outside/greet points outside the repository'],
    ])
    expect((await check(repo, { allowExternalReplace: true })).findings).toEqual([])
    // with the checkout one level up, ../outside is part of the repository
    expect((await check(repo, { repositoryRoot: copy.dir })).findings).toEqual([])
    await expectUntouched(copy)
  })

  it('finds a go.work use of a module outside the repository, unless allowed', async () => {
    const copy = await scenario('workspace-outside')
    const repo = path.join(copy.dir, 'repo')
    const report = await check(repo)
    expect(brief(report.findings)).toEqual([
      [
        'replace',
        'go.work',
        5,
        'go.work uses ../outside/lib, which is outside the repository: CI would build with code that is not part of the checkout. Move the module into the repository, or set allow-external-replace: true',
      ],
    ])
    expect((await check(repo, { allowExternalReplace: true })).findings).toEqual([])
    await expectUntouched(copy)
  })

  it('the CLI bundle: drift exits 1 naming go.work for a use outside the repository, 0 when allowed', async () => {
    const copy = await scenario('workspace-outside')
    const repo = path.join(copy.dir, 'repo')
    const run = await runCliBundle(['drift'], { cwd: repo, env })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('line 5: go.work uses ../outside/lib, which is outside the repository')
    const allowed = await runCliBundle(['drift', '--allow-external-replace'], { cwd: repo, env })
    expect(allowed.stdout).not.toContain('outside the repository')
    expect(allowed.code).toBe(0)
    await expectUntouched(copy)
  }, 60_000)

  it('reports a replace to a directory that does not exist', async () => {
    const copy = await scenario('replace-outside')
    const repo = path.join(copy.dir, 'repo')
    const goMod = await readFile(path.join(repo, 'go.mod'), 'utf8')
    await writeFile(path.join(repo, 'go.mod'), goMod.replace('../outside/greet', './third_party/greet'))
    const edited = { dir: copy.dir, files: await hashTree(copy.dir) }
    const report = await check(repo)
    expect(report.findings.find((f) => f.check === 'replace')?.message).toBe(
      'replace example.com/greet => ./third_party/greet: the directory does not exist',
    )
    await expectUntouched(edited)
  })

  it('honours go.work: checks each module, reports the drifted one, writes no go.work.sum', async () => {
    const copy = await scenario('workspace')
    const layout = await discoverModules(copy.dir, [], { go, env })
    expect(layout.modules).toEqual(['a', 'b'])
    expect(layout.workspace).toMatchObject({ file: 'go.work', sumFile: 'go.work.sum', directory: '.' })
    const report = await check(copy.dir, { layout })
    expect(report.findings.map((f) => [f.module, f.check, f.file, f.line])).toEqual([
      ['b', 'tidy', 'b/go.mod', 6],
      ['b', 'tidy', 'b/go.sum', 3],
    ])
    expect(report.checks.map((c) => `${c.scope}:${c.module}:${c.check}:${c.outcome}`)).toEqual([
      'module:a:tidy:passed',
      'module:a:go.sum:passed',
      'module:a:replace:passed',
      'module:b:tidy:failed',
      'module:b:go.sum:passed',
      'module:b:replace:passed',
      'workspace:.:go.sum:passed',
      'workspace:.:replace:passed',
    ])
    await expectUntouched(copy)
  })

  it('finds a checksum the workspace build needs that no file holds, where Go would silently write go.work.sum', async () => {
    const copy = await scenario('workspace')
    const sum = await readFile(path.join(copy.dir, 'b', 'go.sum'), 'utf8')
    await writeFile(path.join(copy.dir, 'b', 'go.sum'), sum.replace(/^example\.com\/unused .*\n/gm, ''))
    const edited = { dir: copy.dir, files: await hashTree(copy.dir) }
    const report = await check(copy.dir)
    const workspaceSum = report.findings.filter((f) => f.file === 'go.work.sum')
    expect(workspaceSum.map((f) => [f.check, f.module, f.message])).toEqual([
      [
        'go.sum',
        '.',
        "neither the workspace modules' go.sum files nor go.work.sum hold example.com/unused v1.0.0/go.mod h1:S3k1jw2zj4ec8kKEx26Om/jUynLJlxGD9Rg4qE/xvWY=",
      ],
    ])
    await expectUntouched(edited)
  })

  it('tidies workspace modules on their own (GOWORK=off), as go mod tidy always does', async () => {
    const copy = await scenario('workspace')
    // a imports a package of b that only the workspace provides: no require, no replace
    await mkdir(path.join(copy.dir, 'b', 'lib'), { recursive: true })
    await writeFile(
      path.join(copy.dir, 'b', 'lib', 'lib.go'),
      'package lib\n\n// X is used by module a.\nconst X = 1\n',
    )
    await writeFile(path.join(copy.dir, 'a', 'dep.go'), 'package main\n\nimport _ "example.com/b/lib"\n')
    const edited = { dir: copy.dir, files: await hashTree(copy.dir) }
    const report = await check(copy.dir)
    const a = report.findings.filter((f) => f.module === 'a')
    expect(a.map((f) => [f.check, f.file])).toEqual([['tidy', 'a/go.mod']])
    expect(a[0]?.message).toMatch(
      /^go mod tidy -diff failed: .*cannot find module providing package example\.com\/b\/lib/s,
    )
    expect(report.diagnoses).toEqual([])
    expect(
      report.checks
        .filter((c) => c.module === 'a' || c.scope === 'workspace')
        .map((c) => `${c.scope}:${c.check}:${c.outcome}`),
    ).toEqual([
      'module:tidy:failed',
      'module:go.sum:skipped',
      'module:replace:passed',
      'workspace:go.sum:passed',
      'workspace:replace:passed',
    ])
    await expectUntouched(edited)
  })

  it('without tidy -diff (Go < 1.23), checks go.sum with go list and says tidy was skipped', async () => {
    const copy = await scenario('missing-gosum')
    const report = await check(copy.dir, { goVersion: 'go1.22.0' })
    expect(report.notices).toEqual([expect.stringMatching(/^go1\.22\.0 has no go mod tidy -diff/)])
    expect(brief(report.findings)).toEqual([
      [
        'go.sum',
        'go.sum',
        undefined,
        'go.sum lacks the checksum of the module providing package example.com/greet (imported by example.com/util)',
      ],
    ])
    expect(report.checks.map((c) => `${c.check}:${c.outcome}`)).toEqual([
      'tidy:skipped',
      'go.sum:failed',
      'replace:passed',
    ])
    await expectUntouched(copy)
  })

  it('post step: catches go.mod and go.sum changed by a later `go get`, and changes nothing itself', async () => {
    const copy = await scenario('later-go-get')
    const layout = await discoverModules(copy.dir, [], { go, env })
    const snapshotDir = await snapshotModuleFiles(layout, path.join(tmp, `snapshot-${path.basename(copy.dir)}`))
    expect((await compareSnapshot(snapshotDir)).findings).toEqual([])
    const got = await runGo(['get', 'example.com/greet@v1.1.0'], { cwd: copy.dir, env })
    expect(got.code).toBe(0)
    const afterGet = { dir: copy.dir, files: await hashTree(copy.dir) }
    const { findings, diffs } = await compareSnapshot(snapshotDir)
    expect(findings.map((f) => [f.check, f.file, f.message.split(':')[0]])).toEqual([
      ['post-step', 'go.mod', 'go.mod was changed (1 line added, 1 removed) after goproxy-guard checked it'],
      ['post-step', 'go.sum', 'go.sum was changed (2 lines added, 0 removed) after goproxy-guard checked it'],
    ])
    expect(diffs[0]?.diff).toContain(
      '-require example.com/greet v1.0.0 // indirect\n+require example.com/greet v1.1.0 // indirect\n',
    )
    expect(diffs[1]?.diff).toContain('+example.com/greet v1.1.0 h1:')
    await expectUntouched(afterGet)
  })

  it('verify: a modified zip in the module cache is a security diagnosis, not drift', async () => {
    const copy = await scenario('tidy')
    const cacheEnv = await isolatedGoEnv(path.join(tmp, 'go-verify'), { GOPROXY: env['GOPROXY'], GOSUMDB: 'off' })
    const layout = await discoverModules(copy.dir, [], { go, env: cacheEnv })
    expect((await runGo(['mod', 'download'], { cwd: copy.dir, env: cacheEnv })).code).toBe(0)
    const clean = await verifyModules(layout, { go, env: cacheEnv })
    expect(clean.checks.map((c) => `${c.check}:${c.outcome}`)).toEqual(['verify:passed'])

    // swap the cached zip of greet v1.0.0 for another module's (appending bytes would not do: Go hashes the files inside)
    const download = path.join(cacheEnv['GOMODCACHE'] as string, 'cache', 'download', 'example.com')
    expect((await runGo(['mod', 'download', 'example.com/unused@v1.0.0'], { cwd: copy.dir, env: cacheEnv })).code).toBe(
      0,
    )
    const zip = path.join(download, 'greet', '@v', 'v1.0.0.zip')
    await chmod(zip, 0o644)
    await writeFile(zip, await readFile(path.join(download, 'unused', '@v', 'v1.0.0.zip')))
    const report = await runDriftChecks({
      go,
      env: cacheEnv,
      workingDirectory: copy.dir,
      allowExternalReplace: false,
      verify: true,
    })
    expect(report.findings).toEqual([])
    expect(report.diagnoses.map((d) => [d.kind, d.code, d.module])).toEqual([
      ['security', 'module-cache-zip-modified', 'example.com/greet'],
    ])
    expect(report.checks.find((c) => c.check === 'verify')?.outcome).toBe('failed')
    await runGo(['clean', '-modcache'], { cwd: copy.dir, env: cacheEnv })
    await expectUntouched(copy)
  })
})

describe('drift checks when the proxy is down (real go, empty module cache)', () => {
  let server: http.Server
  let failingUrl: string
  let closedUrl: string

  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      res.writeHead(503, { 'Content-Type': 'text/plain' }).end('maintenance\n')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    failingUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const closed = http.createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`
    await new Promise((resolve) => closed.close(resolve))
  })

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve))
  })

  it.each([
    ['answers 503', () => failingUrl, 'proxy-http-5xx'],
    ['refuses connections', () => closedUrl, 'proxy-tcp-refused'],
  ])('reports a proxy that %s as a proxy failure, not drift', async (_what, url, code) => {
    const copy = await scenario('proxy-down')
    const root = path.join(tmp, `go-down-${code}`)
    await mkdir(root, { recursive: true })
    const downEnv = await isolatedGoEnv(root, { GOPROXY: url(), GOSUMDB: 'off' })
    const report = await runDriftChecks({ go, env: downEnv, workingDirectory: copy.dir, allowExternalReplace: false })
    expect(report.findings).toEqual([])
    expect(report.diagnoses.map((d) => [d.kind, d.code])).toEqual([['proxy', code]])
    expect(report.diagnoses[0]?.url).toContain(url())
    expect(report.checks.map((c) => `${c.check}:${c.outcome}`)).toEqual([
      'tidy:error',
      'go.sum:error',
      'replace:passed',
    ])
    await expectUntouched(copy)
  })
})
