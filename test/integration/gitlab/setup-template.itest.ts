// templates/setup.yml run by gitlab-ci-local on fixture projects, against the loopback module proxy, checksum
// database and git server: credentials, the real `go` command, the cache, and what the job log must never contain.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { createHash } from 'node:crypto'
import { access, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { parse as parseYaml, parseAllDocuments } from 'yaml'
import {
  goSumFor,
  isolatedGoEnv,
  startTestServer,
  warmTestBuildCache,
  type TestServer,
} from '../../servers/testserver.js'
import { commitAll, createProject, findLeak, runPipeline, secretForms } from './gitlab-ci-local.js'
import { removeTempDirs, tempDir } from '../../helpers/temp-dir.js'

const PROXY_USER = 'ci-bot'
// a masked GitLab variable: one line, no spaces; the characters make its URL-encoded form differ
const PROXY_SECRET = 'pr0xy-T0ken:with@odd.chars~42'
const GIT_USER = 'git-bot'
const GIT_SECRET = 'g1t-T0ken_5ecret.value'
const GIT_HOST = '127.0.0.7' // not 127.0.0.1: another test file may hold 127.0.0.1:443 for its git server
const DECOY_NETRC = 'machine decoy.example login someone password decoy-password\n'

let scratch: string
let server: TestServer

beforeAll(async () => {
  scratch = await tempDir('gitlab-setup-itest-')
  server = await startTestServer({
    proxies: [{ name: 'corp', auth: { username: PROXY_USER, password: PROXY_SECRET } }],
    git: { username: GIT_USER, password: GIT_SECRET, host: GIT_HOST },
  })
  // the pipeline's jobs build and run the module
  await warmTestBuildCache()
}, 600_000)

afterAll(async () => {
  await server?.stop()
  await removeTempDirs()
})

/** A private HOME with a ~/.netrc of its own, and the isolated Go environment the jobs inherit. */
async function jobEnvironment(root: string, extra: Record<string, string> = {}): Promise<Record<string, string>> {
  const env = await isolatedGoEnv(root, { SSL_CERT_FILE: server.caFile, GIT_SSL_CAINFO: server.caFile, ...extra })
  await writeFile(path.join(env.HOME as string, '.netrc'), DECOY_NETRC, { mode: 0o600 })
  return env
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex')

describe('setup template: a job extending .goproxy-guard-setup, through a Basic-auth proxy', () => {
  let root: string
  let project: string
  let env: Record<string, string>

  beforeAll(async () => {
    root = await mkdtemp(path.join(scratch, 'proxy-'))
    project = path.join(root, 'project')
    await createProject(
      'proxy-auth',
      project,
      { PROXY_URL: server.proxy('corp').url, PROXY_HOST: server.proxy('corp').host, GOSUMDB: server.sumdb.gosumdb },
      {
        'go.sum': goSumFor(server.goSum, 'corp.example/private/secret', 'example.com/util', 'example.com/greet@v1.0.0'),
      },
    )
    env = await jobEnvironment(root)
  })

  test('runs the real go mod download and build with a 0600 netrc that is not ~/.netrc, and leaks nothing', async () => {
    const run = await runPipeline(project, ['build'], { env, variables: { GOPROXY_GUARD_TOKEN: PROXY_SECRET } })
    const firstLog = await run.jobLog('build')
    expect(run.output).toContain('PASS  build')
    expect(run.code).toBe(0)
    expect(firstLog).toContain('netrc mode 600, git include mode 600')
    expect(firstLog).toContain('restored before download 0 zip(s)')
    expect(firstLog).toContain('HELLO, GOPHER 17')
    expect(firstLog).toContain(`goproxy-guard: GOPROXY=${server.proxy('corp').url}`)
    expect(firstLog).toContain('goproxy-guard: GONOSUMDB=corp.example')

    // the netrc lived in a private temp dir, outside HOME and the project, and is gone with the job
    const netrc = firstLog.match(/NETRC=(\S+)/)?.[1]
    expect(netrc).toBeDefined()
    expect(path.dirname(netrc as string)).toMatch(/goproxy-guard\.[A-Za-z0-9]{6}$/)
    expect(netrc?.startsWith(env.HOME as string)).toBe(false)
    expect(netrc?.startsWith(project)).toBe(false)
    await expect(access(path.dirname(netrc as string))).rejects.toThrow()
    expect(await readFile(path.join(env.HOME as string, '.netrc'), 'utf8')).toBe(DECOY_NETRC)

    const leak = findLeak({ output: run.output, ...(await run.allFiles()) }, secretForms(PROXY_USER, PROXY_SECRET))
    expect(leak).toBeUndefined()
  }, 180_000)

  test('the cache entries are what the README says: exact key on go.sum, rolling key per ref, fallbacks', async () => {
    const expanded = parseYaml(await readFile(path.join(project, '.gitlab-ci-local', 'expanded-gitlab-ci.yml'), 'utf8'))
    expect(expanded.build.cache).toEqual([
      {
        key: { files: ['go.sum', 'go.work.sum'], prefix: 'gomod' },
        paths: ['.go/pkg/mod/cache/download/'],
        policy: 'pull-push',
        when: 'on_success',
      },
      { key: 'gomod-$CI_COMMIT_REF_SLUG', paths: ['.go/pkg/mod/cache/download/'], policy: 'push', when: 'on_success' },
    ])
    expect(expanded.build.variables.GOMODCACHE).toBe('$CI_PROJECT_DIR/.go/pkg/mod')
    // gitlab-ci-local drops fallback_keys (it has no such feature): read them from the template itself
    const [, body] = parseAllDocuments(await readFile(path.join(project, 'templates', 'setup.yml'), 'utf8'))
    expect(body?.toJS()['.goproxy-guard-setup'].cache[0].fallback_keys).toEqual([
      '$[[ inputs.cache-key-prefix ]]-$CI_COMMIT_REF_SLUG',
      '$[[ inputs.cache-key-prefix ]]-$CI_DEFAULT_BRANCH',
    ])
  })

  test('the saved caches hold only the download cache, and the next run restores the exact key', async () => {
    const cacheRoot = path.join(project, '.gitlab-ci-local', 'cache')
    const names = (await readdir(cacheRoot)).sort()
    // gitlab-ci-local names the exact entry <index>_<prefix>-<checksum of the key files>
    expect(names).toEqual([expect.stringMatching(/^0_gomod-[0-9a-f]{40,64}$/), 'gomod-main'])
    for (const name of names) {
      const files = Object.keys(await listFiles(path.join(cacheRoot, name)))
      expect(files.length).toBeGreaterThan(0)
      for (const file of files) expect(file.startsWith('.go/pkg/mod/cache/download/')).toBe(true)
      expect(files).toContain('.go/pkg/mod/cache/download/corp.example/private/secret/@v/v1.0.0.zip')
    }

    const again = await runPipeline(project, ['build'], { env, variables: { GOPROXY_GUARD_TOKEN: PROXY_SECRET } })
    expect(again.code).toBe(0)
    expect(again.output).toContain(`imported cache '${names[0]}'`)
    expect(await again.jobLog('build')).toContain('restored before download 3 zip(s)')

    // other go.sum content, other exact key
    const goSum = path.join(project, 'go.sum')
    await writeFile(goSum, (await readFile(goSum, 'utf8')) + goSumFor(server.goSum, 'example.com/greet@v1.1.0'))
    await commitAll(project)
    const changed = await runPipeline(project, ['build'], { env, variables: { GOPROXY_GUARD_TOKEN: PROXY_SECRET } })
    expect(changed.code).toBe(0)
    const after = (await readdir(cacheRoot)).filter((name) => name.startsWith('0_gomod-'))
    expect(after).toHaveLength(2)
  }, 240_000)
})

describe('setup template: private git host over HTTPS', () => {
  test('go-get discovery uses the netrc and git uses the included Authorization header', async () => {
    const root = await mkdtemp(path.join(scratch, 'git-'))
    const project = await createProject('git-auth', path.join(root, 'project'), { GIT_HOST })
    const env = await jobEnvironment(root)
    const run = await runPipeline(project, ['fetch'], { env, variables: { GIT_FIXTURE_TOKEN: GIT_SECRET } })
    const log = await run.jobLog('fetch')
    expect(run.code).toBe(0)
    expect(log).toContain(`"Path": "${GIT_HOST}/private/gitmod"`)
    expect(log).toContain('"Version": "v1.0.0"')
    expect(
      findLeak({ output: run.output, ...(await run.allFiles()) }, secretForms(GIT_USER, GIT_SECRET)),
    ).toBeUndefined()
  }, 180_000)
})

describe('setup template: credential sources', () => {
  const TOKEN = 'T0ken-for-the-proxy.value'
  const JOB_TOKEN = 'glcbt-J0bT0ken.value_123'
  const FILE_SECRET = 'f1le-Secret.value_456'
  const fileNetrc = `machine files.corp.example\n  login file-user\n  password ${FILE_SECRET}\n`
  const expectedNetrc = [
    `machine proxy.corp.example:8443 login ci-bot password ${TOKEN}\n`,
    `machine proxy.corp.example login ci-bot password ${TOKEN}\n`,
    fileNetrc,
    '\n',
    `machine gitlab.example.com login gitlab-ci-token password ${JOB_TOKEN}\n`,
    '\n',
    DECOY_NETRC,
  ].join('')
  const header = (user: string, secret: string): string =>
    `Authorization: Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}\n`

  async function runSources(
    variables: Record<string, string>,
  ): Promise<{ code: number | null; log: string; leak?: string }> {
    const root = await mkdtemp(path.join(scratch, 'sources-'))
    const project = await createProject('sources', path.join(root, 'project'))
    // an include set by someone else: ours must come after it
    const env = await jobEnvironment(root, {
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'core.autocrlf',
      GIT_CONFIG_VALUE_0: 'false',
    })
    const run = await runPipeline(project, ['show'], { env, variables })
    const texts = { output: run.output, ...(await run.allFiles()) }
    const forms = [TOKEN, JOB_TOKEN, FILE_SECRET].flatMap((secret) => secretForms('x', secret))
    return { code: run.code, log: await run.jobLog('show'), leak: findLeak(texts, forms) }
  }

  test('token variable, File-type netrc variable and CI_JOB_TOKEN end up in one netrc and in git headers', async () => {
    const netrcFile = path.join(scratch, 'file-variable-netrc')
    await writeFile(netrcFile, fileNetrc, { mode: 0o600 })
    const { code, log, leak } = await runSources({
      GOPROXY_GUARD_TOKEN: TOKEN,
      CORP_NETRC: netrcFile,
      CI_JOB_TOKEN: JOB_TOKEN,
    })
    expect(code).toBe(0)
    expect(log).toContain('modes 600 600')
    expect(log).toContain('include at index 1, GIT_CONFIG_COUNT=2')
    expect(log).toContain(`netrc sha256 ${sha256(expectedNetrc)}`)
    expect(log).toContain(`proxy header sha256 ${sha256(header('ci-bot', TOKEN))}`)
    expect(log).toContain(`file header sha256 ${sha256(header('file-user', FILE_SECRET))}`)
    expect(log).toContain(`gitlab header sha256 ${sha256(header('gitlab-ci-token', JOB_TOKEN))}`)
    expect(leak).toBeUndefined()
  }, 120_000)

  test('a netrc variable holding the text itself works the same as a File-type one', async () => {
    const { code, log, leak } = await runSources({
      GOPROXY_GUARD_TOKEN: TOKEN,
      CORP_NETRC: fileNetrc,
      CI_JOB_TOKEN: JOB_TOKEN,
    })
    expect(code).toBe(0)
    expect(log).toContain(`netrc sha256 ${sha256(expectedNetrc)}`)
    expect(log).toContain(`file header sha256 ${sha256(header('file-user', FILE_SECRET))}`)
    expect(leak).toBeUndefined()
  }, 120_000)

  test('a missing token variable fails the job before the script, naming the variable', async () => {
    const { code, log } = await runSources({ CI_JOB_TOKEN: JOB_TOKEN })
    expect(code).toBe(1)
    expect(log).toContain(
      'goproxy-guard: auth-host is set, but the variable GOPROXY_GUARD_TOKEN (auth-token-variable) is empty or not defined',
    )
    expect(log).not.toContain('netrc sha256')
  }, 120_000)
})

/** Relative paths of every file below dir. */
async function listFiles(dir: string, prefix = ''): Promise<Record<string, true>> {
  const out: Record<string, true> = {}
  for (const entry of await readdir(path.join(dir, prefix), { withFileTypes: true })) {
    const relative = path.posix.join(prefix, entry.name)
    if (entry.isDirectory()) Object.assign(out, await listFiles(dir, relative))
    else out[relative] = true
  }
  return out
}
