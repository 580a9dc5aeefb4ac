// templates/setup.yml run by gitlab-ci-local on fixture projects, against the loopback module proxy, checksum
// database and git server: credentials, the real `go` command, the cache, and what the job log must never contain.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { access, cp, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { parse as parseYaml, parseAllDocuments, stringify } from 'yaml'
import {
  exportFileProxy,
  fixtureModulesDir,
  goSumFor,
  isolatedGoEnv,
  runGo,
  startTestServer,
  warmTestBuildCache,
  type TestServer,
} from '../../servers/testserver.js'
import { removeTempDirs, tempDir } from '../../helpers/temp-dir.js'
import { commitAll, createProject, findLeak, runPipeline, secretForms, templatesDir } from './gitlab-ci-local.js'

const execFileAsync = promisify(execFile)

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
    expect(firstLog).toContain('go version go1.26')
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

  test('the cache entries are what the README says: module entries on go.sum and per ref, build entries per job', async () => {
    const expanded = parseYaml(await readFile(path.join(project, '.gitlab-ci-local', 'expanded-gitlab-ci.yml'), 'utf8'))
    expect(expanded.build.cache).toEqual([
      {
        key: { files: ['go.sum', 'go.work.sum'], prefix: 'gomod' },
        paths: ['.go/pkg/mod/cache/download/'],
        policy: 'pull-push',
        when: 'on_success',
      },
      { key: 'gomod-$CI_COMMIT_REF_SLUG', paths: ['.go/pkg/mod/cache/download/'], policy: 'push', when: 'on_success' },
      {
        key: 'gomod-build-$CI_JOB_NAME_SLUG-$CI_DEFAULT_BRANCH',
        paths: ['.go/cache/'],
        policy: 'pull',
        when: 'on_success',
      },
      {
        key: 'gomod-build-$CI_JOB_NAME_SLUG-$CI_COMMIT_REF_SLUG',
        paths: ['.go/cache/'],
        policy: 'push',
        when: 'on_success',
      },
    ])
    expect(expanded.build.variables.GOMODCACHE).toBe('$CI_PROJECT_DIR/.go/pkg/mod')
    expect(expanded.build.variables.GOPROXY_GUARD_GOCACHE).toBe('$CI_PROJECT_DIR/.go/cache')
    // gitlab-ci-local drops fallback_keys and unprotect (it has no such features): read them from the template itself
    const [, body] = parseAllDocuments(await readFile(path.join(project, 'templates', 'setup.yml'), 'utf8'))
    const cache = body?.toJS()['.goproxy-guard-setup'].cache
    expect(cache.map((entry: { fallback_keys?: string[] }) => entry.fallback_keys)).toEqual([
      ['$[[ inputs.cache-key-prefix ]]-$CI_COMMIT_REF_SLUG', '$[[ inputs.cache-key-prefix ]]-$CI_DEFAULT_BRANCH'],
      undefined,
      ['$[[ inputs.cache-key-prefix ]]-build-$CI_JOB_NAME_SLUG-$CI_COMMIT_REF_SLUG'],
      undefined,
    ])
    // the module entries may be shared across protection levels (verified on restore), the build entries never
    expect(cache.map((entry: { unprotect?: unknown }) => entry.unprotect)).toEqual([
      '$[[ inputs.cache-unprotect ]]',
      '$[[ inputs.cache-unprotect ]]',
      undefined,
      undefined,
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
    const againLog = await again.jobLog('build')
    expect(againLog).toContain('restored before download 3 zip(s)')
    // a restored module cache is verified before the script builds from it
    expect(againLog).toContain('go mod verify: the restored module cache matches what was downloaded (1 module(s)')

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
  // one line per machine (an entry spread over lines becomes one), ours first, then the job's own netrc
  const expectedNetrc = [
    `machine proxy.corp.example:8443 login ci-bot password ${TOKEN}\n`,
    `machine proxy.corp.example login ci-bot password ${TOKEN}\n`,
    `machine files.corp.example login file-user password ${FILE_SECRET}\n`,
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

describe('setup template: auth-host without a port, a proxy on 127.0.0.1:<port>', () => {
  test('Go 1.26 matches the netrc by host:port, and setup wrote that line from GOPROXY', async () => {
    const corp = server.proxy('corp')
    const [host] = corp.host.split(':')
    expect(host).toBe('127.0.0.1')
    const root = await mkdtemp(path.join(scratch, 'bare-host-'))
    const project = await createProject(
      'proxy-auth',
      path.join(root, 'project'),
      { PROXY_URL: corp.url, PROXY_HOST: host as string, GOSUMDB: server.sumdb.gosumdb },
      {
        'go.sum': goSumFor(server.goSum, 'corp.example/private/secret', 'example.com/util', 'example.com/greet@v1.0.0'),
      },
    )
    const env = await jobEnvironment(root)
    const run = await runPipeline(project, ['build'], { env, variables: { GOPROXY_GUARD_TOKEN: PROXY_SECRET } })
    const log = await run.jobLog('build')
    expect(log).toContain('go version go1.26')
    expect(log).toMatch(/credentials: \d+ netrc line\(s\) for 1 host\(s\)/)
    expect(log).toContain('HELLO, GOPHER 17')
    expect(run.code).toBe(0)
    expect(findLeak({ output: run.output, ...(await run.allFiles()) }, secretForms(PROXY_USER, PROXY_SECRET))).toBe(
      undefined,
    )

    // the control: the same download with only the bare host in the netrc is refused (Go 1.24+ sends nothing)
    const control = path.join(root, 'control')
    await mkdir(control)
    await writeFile(path.join(control, 'netrc'), `machine ${host} login ${PROXY_USER} password ${PROXY_SECRET}\n`, {
      mode: 0o600,
    })
    const goEnv = await isolatedGoEnv(control, {
      GOPROXY: corp.url,
      GOSUMDB: 'off',
      NETRC: path.join(control, 'netrc'),
      SSL_CERT_FILE: server.caFile,
    })
    const bare = await runGo(['mod', 'download', '-json', 'corp.example/private/secret@v1.0.0'], {
      cwd: control,
      env: goEnv,
    })
    expect(bare.code).not.toBe(0)
    expect(bare.stdout + bare.stderr).toMatch(/401|Unauthorized/)
  }, 240_000)
})

describe('setup template: a tampered module cache', () => {
  test('a zip swapped under its .ziphash in the restored cache fails the job, naming the module', async () => {
    const root = await mkdtemp(path.join(scratch, 'tampered-'))
    const project = await createProject(
      'proxy-auth',
      path.join(root, 'project'),
      { PROXY_URL: server.proxy('corp').url, PROXY_HOST: server.proxy('corp').host, GOSUMDB: server.sumdb.gosumdb },
      {
        'go.sum': goSumFor(server.goSum, 'corp.example/private/secret', 'example.com/util', 'example.com/greet@v1.0.0'),
      },
    )
    const env = await jobEnvironment(root)
    const variables = { GOPROXY_GUARD_TOKEN: PROXY_SECRET }
    const first = await runPipeline(project, ['build'], { env, variables })
    expect(first.code).toBe(0)

    // other content under the same file names, written into the saved exact entry
    const modules = path.join(root, 'modules')
    await cp(fixtureModulesDir, modules, { recursive: true })
    const greet = path.join(modules, 'example.com/greet@v1.0.0')
    const goFile = (await readdir(greet)).find((name) => name.endsWith('.go')) as string
    await writeFile(path.join(greet, goFile), `${await readFile(path.join(greet, goFile), 'utf8')}\nfunc Evil() {}\n`)
    await exportFileProxy(path.join(root, 'evil'), modules)
    const cacheRoot = path.join(project, '.gitlab-ci-local', 'cache')
    const exact = (await readdir(cacheRoot)).find((name) => name.startsWith('0_gomod-')) as string
    await cp(
      path.join(root, 'evil', 'example.com/greet/@v/v1.0.0.zip'),
      path.join(cacheRoot, exact, '.go/pkg/mod/cache/download/example.com/greet/@v/v1.0.0.zip'),
    )

    const second = await runPipeline(project, ['build'], { env, variables })
    const log = await second.jobLog('build')
    expect(second.output).toContain(`imported cache '${exact}'`)
    expect(second.code).toBe(1)
    expect(log).toContain('example.com/greet v1.0.0: zip has been modified')
    expect(log).toContain('goproxy-guard: SECURITY: example.com/greet@v1.0.0 in the restored module cache')
    // before_script stopped the job: nothing was built from the altered zip
    expect(log).not.toContain('compiled [')
  }, 300_000)
})

describe('setup template: goflags checked by Go', () => {
  test('goflags: -trimpth fails the job in before_script, naming goflags, with Go words', async () => {
    const root = await mkdtemp(path.join(scratch, 'goflags-'))
    const project = await createProject('sources', path.join(root, 'project'))
    await writeFile(
      path.join(project, '.gitlab-ci.yml'),
      stringify({
        include: [
          { component: '$CI_SERVER_FQDN/$CI_PROJECT_PATH/setup@$CI_COMMIT_SHA', inputs: { goflags: '-trimpth' } },
        ],
        build: { extends: '.goproxy-guard-setup', image: null, script: ['echo the script ran'] },
      }),
    )
    await commitAll(project)
    const run = await runPipeline(project, ['build'], { env: await jobEnvironment(root) })
    const log = await run.jobLog('build')
    expect(run.code).toBe(1)
    expect(log).toContain(
      "goproxy-guard: goflags '-trimpth' is refused by Go: go: parsing $GOFLAGS: unknown flag -trimpth",
    )
    expect(log).not.toContain('the script ran')
  }, 120_000)
})

describe('setup template: the build cache', () => {
  // gitlab-ci-local 4.75.1 stops restoring at the first cache entry without pull and stops saving at the first one
  // without push, so it never runs both build entries of the template (pull, then push). On the default branch
  // GitLab restores and saves the same key; the test job has that one entry, the template's own key and path, as
  // pull-push. On another branch, the template's two entries in their order (the restoring one is first).
  let templateCache: { key: string; paths: string[]; policy: string }[]
  let project: string
  let env: Record<string, string>
  const variables = { GOPROXY_GUARD_TOKEN: PROXY_SECRET }

  async function pipeline(cache: object[]): Promise<void> {
    const fixture = await readFile(path.join(project, '.gitlab-ci.yml'), 'utf8')
    const parsed = parseYaml(fixture)
    parsed.build.cache = cache
    await writeFile(path.join(project, '.gitlab-ci.yml'), stringify(parsed))
    await commitAll(project)
  }
  // the echo's output, not the command line gitlab-ci-local prints before it
  const compiled = (log: string): string => /compiled \[([^$\]]*)\]/.exec(log)?.[1]?.trim() ?? '<missing>'

  beforeAll(async () => {
    const [, body] = parseAllDocuments(await readFile(path.join(templatesDir, 'setup.yml'), 'utf8'))
    templateCache = (body?.toJS()['.goproxy-guard-setup'].cache as typeof templateCache)
      .filter((entry) => typeof entry.key === 'string' && entry.key.includes('-build-'))
      .map((entry) => ({
        key: entry.key.replace('$[[ inputs.cache-key-prefix ]]', 'gomod'),
        paths: entry.paths.map((p) => p.replace('$[[ inputs.gocache ]]', '.go/cache')),
        policy: entry.policy,
      }))
    expect(templateCache.map((entry) => entry.policy)).toEqual(['pull', 'push'])
    const root = await mkdtemp(path.join(scratch, 'build-cache-'))
    project = await createProject(
      'proxy-auth',
      path.join(root, 'project'),
      { PROXY_URL: server.proxy('corp').url, PROXY_HOST: server.proxy('corp').host, GOSUMDB: server.sumdb.gosumdb },
      {
        'go.sum': goSumFor(server.goSum, 'corp.example/private/secret', 'example.com/util', 'example.com/greet@v1.0.0'),
      },
    )
    env = await jobEnvironment(root)
  })

  test('on the default branch: saved pruned to what the job used, restored so that nothing compiles again', async () => {
    const [restore, save] = templateCache as [(typeof templateCache)[0], (typeof templateCache)[0]]
    // on main both keys name the same entry
    expect(restore.key.replace('$CI_DEFAULT_BRANCH', 'main')).toBe(save.key.replace('$CI_COMMIT_REF_SLUG', 'main'))
    await pipeline([{ ...save, policy: 'pull-push' }])

    const first = await runPipeline(project, ['build'], { env, variables })
    const firstLog = await first.jobLog('build')
    expect(first.code).toBe(0)
    expect(firstLog).toContain('(0 entries restored)')
    expect(compiled(firstLog)).toContain('example.com/util')
    expect(firstLog).toMatch(/build cache: saving \d+ entries this job used or built; left out 0 restored entries/)
    const entry = path.join(project, '.gitlab-ci-local', 'cache', 'gomod-build-build-main', '.go', 'cache')
    const saved = await entries(entry)
    expect(saved.length).toBeGreaterThan(10)
    expect(await readdir(entry)).not.toContain('goproxy-guard.marker')

    // an entry nobody uses, as an older commit would have left
    await mkdir(path.join(entry, 'ff'), { recursive: true })
    await writeFile(path.join(entry, 'ff', 'ffff0000-d'), 'stale')
    const second = await runPipeline(project, ['build'], { env, variables })
    const secondLog = await second.jobLog('build')
    expect(second.code).toBe(0)
    expect(second.output).toContain("imported cache 'gomod-build-build-main'")
    expect(secondLog).toContain(`(${saved.length + 1} entries restored)`)
    // nothing compiled: every package came from the restored build cache
    expect(compiled(secondLog)).toBe('')
    expect(secondLog).toContain('HELLO, GOPHER 17')
    const pruned = /build cache: saving (\d+) entries this job used or built; left out (\d+) restored entries/.exec(
      secondLog,
    )
    expect(Number(pruned?.[2])).toBeGreaterThanOrEqual(1)
    const after = await entries(entry)
    expect(after).not.toContain('ff/ffff0000-d')
    expect(after.length).toBe(Number(pruned?.[1]))
  }, 300_000)

  test("on another branch: the default branch's entry restored, nothing saved", async () => {
    await execFileAsync('git', ['checkout', '-q', '-b', 'feature'], { cwd: project })
    await pipeline(templateCache)
    const run = await runPipeline(project, ['build'], { env, variables })
    const log = await run.jobLog('build')
    expect(run.code).toBe(0)
    expect(run.output).toContain("imported cache 'gomod-build-build-main'")
    // no dependency and no standard-library package compiled; only the main package, whose build information names
    // the commit (this branch has another)
    expect(compiled(log)).toBe('example.com/consumer')
    expect(log).toContain(
      'goproxy-guard: build cache not saved: build-cache-save is default-branch and feature is not main',
    )
    // what GitLab would upload for this ref: nothing
    await expect(access(path.join(project, '.gitlab-ci-local', 'builds', 'build', '.go', 'cache'))).rejects.toThrow()
  }, 300_000)
})

/** The entries of a GOCACHE (files, and directories of cached executables) in its directories 00 … ff. */
async function entries(cache: string): Promise<string[]> {
  const out: string[] = []
  for (const dir of await readdir(cache)) {
    if (!/^[0-9a-f]{2}$/.test(dir)) continue
    for (const file of await readdir(path.join(cache, dir))) out.push(`${dir}/${file}`)
  }
  return out.sort()
}

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
