// templates/check.yml run by gitlab-ci-local: the job runs the CLI bundle (dist/cli, what the image ships) through a
// Basic-auth loopback proxy, publishes codequality.json, junit.xml and a credential-free dotenv, and fails on drift.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { access, chmod, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { parse as parseYaml, stringify } from 'yaml'
import { goSumFor, isolatedGoEnv, repoRoot, startTestServer, type TestServer } from '../../servers/testserver.js'
import { commitAll, createProject, findLeak, runPipeline, secretForms, type PipelineRun } from './gitlab-ci-local.js'
import { removeTempDirs, tempDir } from '../../helpers/temp-dir.js'

const PROXY_USER = 'ci-bot'
const PROXY_SECRET = 'ch3ck-T0ken:with@odd.chars~7'
const CLI_BUNDLE = path.join(repoRoot, 'dist', 'cli', 'index.js')
const NODE24 = path.join(repoRoot, 'node_modules', '.bin', 'node')
const REPORTS = path.join('.gitlab-ci-local', 'artifacts', 'go-modules', 'reports', 'goproxy-guard')

let scratch: string
let server: TestServer

beforeAll(async () => {
  await access(CLI_BUNDLE).catch(() => {
    throw new Error(`${CLI_BUNDLE} is missing: the check job runs the CLI bundle; build it with npm run build`)
  })
  scratch = await tempDir('gitlab-check-itest-')
  server = await startTestServer({
    proxies: [{ name: 'corp', auth: { username: PROXY_USER, password: PROXY_SECRET } }],
  })
}, 180_000)

afterAll(async () => {
  await server?.stop()
  await removeTempDirs()
})

/** What the Dockerfile installs: a `goproxy-guard` on PATH that runs the bundle with Node 24. */
async function installWrapper(binDir: string): Promise<void> {
  await mkdir(binDir, { recursive: true })
  const wrapper = path.join(binDir, 'goproxy-guard')
  await writeFile(wrapper, `#!/bin/sh\nexec '${NODE24}' '${CLI_BUNDLE}' "$@"\n`)
  await chmod(wrapper, 0o755)
}

async function checkProject(
  name: string,
  goMod?: (text: string) => string,
  token = PROXY_SECRET,
  inputs: Record<string, unknown> = {},
): Promise<{ project: string; run: PipelineRun }> {
  const root = await mkdtemp(path.join(scratch, `${name}-`))
  const project = await createProject(
    'check',
    path.join(root, 'project'),
    { PROXY_URL: server.proxy('corp').url, PROXY_HOST: server.proxy('corp').host, GOSUMDB: server.sumdb.gosumdb },
    { 'go.sum': goSumFor(server.goSum, 'corp.example/private/secret', 'example.com/util', 'example.com/greet@v1.0.0') },
  )
  if (goMod) {
    const file = path.join(project, 'go.mod')
    await writeFile(file, goMod(await readFile(file, 'utf8')))
  }
  if (Object.keys(inputs).length > 0) {
    const file = path.join(project, '.gitlab-ci.yml')
    const pipeline = parseYaml(await readFile(file, 'utf8'))
    Object.assign(pipeline.include[0].inputs, inputs)
    await writeFile(file, stringify(pipeline))
  }
  await commitAll(project)
  await installWrapper(path.join(root, 'bin'))
  const env = await isolatedGoEnv(root, { SSL_CERT_FILE: server.caFile })
  env.PATH = `${path.join(root, 'bin')}${path.delimiter}${env.PATH}`
  const run = await runPipeline(project, [], { env, variables: { GOPROXY_GUARD_TOKEN: token } })
  return { project, run }
}

describe('check template', () => {
  test('a tidy module: goproxy-guard run passes, reports are published, the dotenv reaches the next job', async () => {
    const { project, run } = await checkProject('tidy')
    const log = await run.jobLog('go-modules')
    expect(run.output).toContain('PASS  go-modules')
    expect(run.code).toBe(0)
    expect(log).toContain('$ # goproxy-guard check: script')

    const codequality = JSON.parse(await readFile(path.join(project, REPORTS, 'codequality.json'), 'utf8'))
    // nothing to fix: at most notes (info, minor), no finding
    const severities = (codequality as { severity: string }[]).map((issue) => issue.severity)
    expect(severities.filter((severity) => severity !== 'info' && severity !== 'minor')).toEqual([])
    const junit = await readFile(path.join(project, REPORTS, 'junit.xml'), 'utf8')
    expect(junit).toContain('<testsuite')
    expect(junit).not.toContain('<failure')

    const dotenv = await readFile(path.join(project, REPORTS, 'goproxy-guard.env'), 'utf8')
    const variables = Object.fromEntries(
      dotenv
        .trim()
        .split('\n')
        .map((line) => line.split(/=(.*)/s).slice(0, 2)),
    )
    expect(variables.GOPROXY).toBe(server.proxy('corp').url)
    expect(variables.GONOSUMDB).toBe('corp.example')
    expect(variables.GOPROXY_GUARD_EXIT_CODE).toBe('0')
    expect(Object.keys(variables).filter((name) => name === 'NETRC' || name.startsWith('GIT_CONFIG'))).toEqual([])

    const later = await run.jobLog('use-dotenv')
    expect(later).toContain(`dotenv GOPROXY=${server.proxy('corp').url}`)
    expect(later).toContain('NETRC in a later job=unset, GIT_CONFIG_COUNT=unset')

    expect(
      findLeak({ output: run.output, ...(await run.allFiles()) }, secretForms(PROXY_USER, PROXY_SECRET)),
    ).toBeUndefined()
  }, 240_000)

  test('drift fails the job with exit code 1 and still publishes the reports naming go.mod', async () => {
    // example.com/unused is required but never imported: go mod tidy would remove it
    const { project, run } = await checkProject('drift', (text) => `${text}\nrequire example.com/unused v1.0.0\n`)
    const log = await run.jobLog('go-modules')
    expect(run.output).toMatch(/FAIL\s+go-modules/)
    expect(run.code).toBe(1)
    // gitlab-ci-local prints the job's exit code after FAIL: the CLI's 1 (drift), not 2 (input) or 3 (proxy)
    expect(run.output).toMatch(/go-modules finished in .* FAIL 1\b/)
    expect(log).toContain('go.mod')
    const codequality = JSON.parse(await readFile(path.join(project, REPORTS, 'codequality.json'), 'utf8'))
    expect(codequality.length).toBeGreaterThan(0)
    expect(codequality.map((issue: { location: { path: string } }) => issue.location.path)).toContain('go.mod')
    expect(await readFile(path.join(project, REPORTS, 'junit.xml'), 'utf8')).toContain('<failure')
    expect(
      findLeak({ output: run.output, ...(await run.allFiles()) }, secretForms(PROXY_USER, PROXY_SECRET)),
    ).toBeUndefined()
  }, 240_000)

  test('a wrong token fails the job with exit code 3 (proxy), and neither token shows anywhere', async () => {
    const wrong = 'wr0ng-T0ken:for@the.proxy~9'
    const { run } = await checkProject('wrong-token', undefined, wrong)
    expect(run.output).toMatch(/go-modules finished in .* FAIL 3\b/)
    expect(run.code).toBe(1)
    expect(await run.jobLog('go-modules')).toMatch(/401|unauthori[sz]ed|credentials/i)
    const texts = { output: run.output, ...(await run.allFiles()) }
    expect(
      findLeak(texts, [...secretForms(PROXY_USER, wrong), ...secretForms(PROXY_USER, PROXY_SECRET)]),
    ).toBeUndefined()
  }, 240_000)

  test('an early failure still leaves the dotenv report, with the exit code; a number input gets the CLI rule', async () => {
    // probe-timeout is a number input: GitLab accepts 0 (no range), the CLI refuses it with its rule
    const { project, run } = await checkProject('zero-timeout', undefined, PROXY_SECRET, { 'probe-timeout': 0 })
    const log = await run.jobLog('go-modules')
    expect(run.output).toMatch(/go-modules finished in .* FAIL 2\b/)
    expect(log).toContain('probe-timeout')
    expect(log).toContain('greater than 0 and at most 600')
    const dotenv = await readFile(path.join(project, REPORTS, 'goproxy-guard.env'), 'utf8')
    expect(dotenv).toMatch(/^GOPROXY_GUARD_EXIT_CODE=2$/m)
    expect(dotenv).not.toMatch(/NETRC|GIT_CONFIG/)
  }, 240_000)

  test('a failure before the CLI reads anything (no CI_JOB_TOKEN for auth-job-token) leaves a dotenv too', async () => {
    const { project, run } = await checkProject('no-job-token', undefined, PROXY_SECRET, { 'auth-job-token': true })
    expect(run.output).toMatch(/go-modules finished in .* FAIL 2\b/)
    expect(await run.jobLog('go-modules')).toContain('--auth-job-token is set, but CI_JOB_TOKEN is not set')
    expect(await readFile(path.join(project, REPORTS, 'goproxy-guard.env'), 'utf8')).toBe('GOPROXY_GUARD_EXIT_CODE=2\n')
    expect(
      findLeak({ output: run.output, ...(await run.allFiles()) }, secretForms(PROXY_USER, PROXY_SECRET)),
    ).toBeUndefined()
  }, 240_000)
})
