import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { startTestServer, goSumFor, runGo, type TestServer } from '../servers/testserver.js'
import { findLeaks, runAction, type JobRun } from '../helpers/action-runner.js'
import { problemMatcherJson } from '../../src/diagnose/problem-matcher.js'
import { removeTempDirs, tempDir } from '../helpers/temp-dir.js'
import { makeModule, runnerEnv, treeHashes } from '../helpers/workspace.js'

// A proxy that demands Basic auth (credentials given in the GOPROXY URL) and a git server that demands Basic auth
// (credentials given in the auth input), both reached by the real go command with what the action exported.
const PROXY_USER = 'ci-bot'
const PROXY_SECRET = 'pr0xy-S3cret/with+chars'
const GIT_USER = 'git-bot'
const GIT_SECRET = 'g1t-T0ken_9f8e7d6c'
const GIT_HOST = '127.0.0.3'

let server: TestServer
let root: string
let workspace: string
let job: JobRun
let goEnv: Record<string, string>
let workspaceBefore: Record<string, string>
let downloadInBetween: { code: number | null; stderr: string }
let modesInBetween: number[] = []

beforeAll(async () => {
  server = await startTestServer({
    proxies: [{ name: 'corp', auth: { username: PROXY_USER, password: PROXY_SECRET } }],
    git: { username: GIT_USER, password: GIT_SECRET, host: GIT_HOST },
  })
  root = await tempDir('gpg-e2e-creds-')
  workspace = path.join(root, 'workspace')
  const gitModule = `${GIT_HOST}/private/gitmod`
  await makeModule(workspace, {
    requires: { 'corp.example/private/secret': 'v1.0.0', 'example.com/greet': 'v1.0.0', [gitModule]: 'v1.0.0' },
    goSum: goSumFor(
      server.goSum,
      'corp.example/private/secret@v1.0.0',
      'example.com/greet@v1.0.0',
      `${gitModule}@v1.0.0`,
    ),
    imports: ['corp.example/private/secret', 'example.com/greet', gitModule],
  })
  workspaceBefore = await treeHashes(workspace)
  goEnv = await runnerEnv(root, server.caFile)
  const proxyUrl = new URL(server.proxy('corp').url)
  proxyUrl.username = encodeURIComponent(PROXY_USER)
  proxyUrl.password = encodeURIComponent(PROXY_SECRET)
  job = await runAction({
    workspace,
    env: goEnv,
    inputs: {
      goproxy: `${proxyUrl.toString()},off`,
      goprivate: `${GIT_HOST}/private`,
      gonosumdb: 'corp.example',
      gosumdb: 'off',
      auth: `${GIT_HOST} ${GIT_USER} ${GIT_SECRET}\n`,
      probe: 'false',
      cache: 'false',
      download: 'false',
      'check-drift': 'false',
    },
    between: async (jobEnv) => {
      modesInBetween = [jobEnv['NETRC'], jobEnv['GIT_CONFIG_VALUE_0'], path.dirname(jobEnv['NETRC'] as string)].map(
        (f) => statSync(f as string).mode & 0o777,
      )
      downloadInBetween = await runGo(['mod', 'download', 'all'], { cwd: workspace, env: jobEnv })
    },
  })
}, 120_000)

afterAll(async () => {
  await server?.stop()
  await removeTempDirs()
})

describe('credentials through files, end to end with the real go command', () => {
  it('main and post steps succeed', () => {
    expect({ code: job.main.code, stderr: job.main.stderr }).toEqual({ code: 0, stderr: '' })
    expect(job.post?.code).toBe(0)
  })

  it('exports credential-free variables and a netrc plus git include under RUNNER_TEMP', () => {
    const env = job.main.env
    expect(env['GOPROXY']).toBe(`${server.proxy('corp').url}/,off`)
    expect(env['GOPRIVATE']).toBe(`${GIT_HOST}/private`)
    expect(env['NETRC']).toMatch(new RegExp(`^${job.runnerTemp}/goproxy-guard-[0-9a-f-]+/netrc$`))
    expect(env['GIT_CONFIG_COUNT']).toBe('1')
    expect(env['GIT_CONFIG_KEY_0']).toBe('include.path')
    expect(path.dirname(env['GIT_CONFIG_VALUE_0'] as string)).toBe(path.dirname(env['NETRC'] as string))
  })

  it('lets go download from the Basic-auth proxy and, in direct mode, from the Basic-auth git server', () => {
    expect(downloadInBetween.stderr).toBe('')
    expect(downloadInBetween.code).toBe(0)
    const cache = path.join(goEnv['GOMODCACHE'] as string, 'cache/download')
    expect(existsSync(path.join(cache, 'corp.example/private/secret/@v/v1.0.0.zip'))).toBe(true)
    expect(existsSync(path.join(cache, `${GIT_HOST}/private/gitmod/@v/v1.0.0.zip`))).toBe(true)
  })

  it('writes the credential files readable by their owner only, and the post step removes them', () => {
    expect(modesInBetween).toEqual([0o600, 0o600, 0o700])
    const workDirs = readdirSync(job.runnerTemp).filter((n) => n.startsWith('goproxy-guard-'))
    expect(workDirs).toEqual([])
  })

  it('after the post step, both downloads fail for lack of credentials', async () => {
    const fresh: Record<string, string> = { ...goEnv, ...job.main.env }
    fresh['GOMODCACHE'] = path.join(root, 'after/pkg/mod')
    fresh['GOPATH'] = path.join(root, 'after')
    fresh['PATH'] = `/usr/local/go/bin:${process.env['PATH'] ?? ''}`
    fresh['GIT_TERMINAL_PROMPT'] = '0'
    const proxied = await runGo(['mod', 'download', 'corp.example/private/secret@v1.0.0'], {
      cwd: workspace,
      env: fresh,
    })
    expect(proxied.code).not.toBe(0)
    expect(proxied.stderr).toContain('401 Unauthorized')
    const direct = await runGo(['mod', 'download', `${GIT_HOST}/private/gitmod@v1.0.0`], { cwd: workspace, env: fresh })
    expect(direct.code).not.toBe(0)
    expect(direct.stderr).toMatch(/401 Unauthorized|terminal prompts disabled/)
    // the problem matcher the main step registered annotates such lines in later steps
    expect(job.main.stdout).toMatch(/^::add-matcher::.*\/go-problem-matcher\.json$/m)
    const matcher = JSON.parse(problemMatcherJson()) as {
      problemMatcher: Array<{ pattern: Array<{ regexp: string }> }>
    }
    const annotated = (stderr: string): boolean =>
      stderr
        .split('\n')
        .some((line) => matcher.problemMatcher.some((m) => new RegExp(m.pattern[0]?.regexp ?? '$^').test(line)))
    expect(annotated(proxied.stderr)).toBe(true)
    expect(annotated(direct.stderr)).toBe(true)
  })

  it('never writes the user files and never emits a secret or a variant of one', async () => {
    expect(await treeHashes(workspace)).toEqual(workspaceBefore)
    const leaks = findLeaks(job.emitted(), [
      { username: PROXY_USER, secret: PROXY_SECRET },
      { username: GIT_USER, secret: GIT_SECRET },
    ])
    expect(leaks).toEqual([])
    // and the runner was told to mask them before anything was printed
    expect(job.main.masks).toEqual(expect.arrayContaining([PROXY_SECRET, GIT_SECRET]))
    expect(statSync(workspace).isDirectory()).toBe(true)
  })
})

describe('a GOPROXY set for the whole workflow, credentials in auth for the bare host', () => {
  it('still gets a netrc line for the host:port Go 1.24+ looks up, and the download works', async () => {
    const dir = await tempDir('gpg-e2e-envproxy-')
    let download = { code: -1 as number | null, stderr: '' }
    const run = await runAction({
      workspace,
      env: {
        ...(await runnerEnv(dir, server.caFile)),
        GOPROXY: `${server.proxy('corp').url},off`,
        GONOSUMDB: 'corp.example',
        GOSUMDB: 'off',
      },
      inputs: {
        auth: `127.0.0.1 ${PROXY_USER} ${PROXY_SECRET}`,
        probe: 'false',
        cache: 'false',
        download: 'false',
        'check-drift': 'false',
      },
      between: async (jobEnv) => {
        download = await runGo(['mod', 'download', 'corp.example/private/secret@v1.0.0'], {
          cwd: workspace,
          env: jobEnv,
        })
      },
    })
    expect(run.main.code).toBe(0)
    expect(download).toMatchObject({ code: 0, stderr: '' })
    expect(run.main.env['GOPROXY']).toBeUndefined() // not an input: the job's own value stays
  }, 60_000)
})
