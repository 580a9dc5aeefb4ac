// Provokes each failure with the real `go` command against loopback servers and checks that classifyGoFailure
// recognises the stderr Go really prints.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { classifyGoFailure, type GoFailureContext } from '../../src/diagnose/classify.js'
import { parseGoproxy } from '../../src/settings/goproxy.js'
import { parseGosumdb } from '../../src/settings/gosumdb.js'
import { parsePatternList } from '../../src/settings/patterns.js'
import { blackholeProxyEnv } from '../helpers/fault-servers.js'
import { goSumFor, isolatedGoEnv, runGo, startTestServer, type TestServer } from '../servers/testserver.js'
import { removeTempDirs, tempDir } from '../helpers/temp-dir.js'

const GIT_HOST = '127.0.0.7' // a loopback address of its own: other test files hold 127.0.0.1:443 for their git server
const gitAuth = { username: 'git-user', password: 'git-pass-4711' }

let scratch: string
let server: TestServer
let blackhole: Record<string, string>

beforeAll(async () => {
  scratch = await tempDir('diagnose-itest-')
  blackhole = await blackholeProxyEnv()
  server = await startTestServer({
    proxies: [
      { name: 'public', sumdb: true },
      { name: 'plain', tls: 'http' },
      { name: 'p403', behavior: 'status', status: 403, body: 'blocked by policy' },
      { name: 'auth', auth: { username: 'ci', password: 'right' } },
      { name: 'corp-open', modules: ['corp.example'] },
      { name: 'nf', behavior: 'not-found' },
      { name: 'gone', behavior: 'gone' },
      { name: 's503', behavior: 'status', status: 503, body: 'maintenance' },
      { name: 's429', behavior: 'status', status: 429 },
      { name: 'reset', behavior: 'reset' },
      { name: 'selfsigned', tls: 'self-signed' },
      { name: 'wronghost', tls: 'wrong-host' },
      { name: 'expired', tls: 'expired' },
      { name: 'tampered', tamperedZips: ['example.com/greet@v1.0.0'] },
    ],
    sumdb: {},
    git: { ...gitAuth, host: GIT_HOST },
  })
}, 120_000)

afterAll(async () => {
  await server?.stop()
  await removeTempDirs()
})

interface Case {
  env: Record<string, string>
  args?: string[]
  goMod?: string
  goSum?: string
  mainGo?: string
}

/** Runs go in a fresh main module and returns its stderr and the classification under the same settings. */
async function provoke(name: string, c: Case) {
  const dir = await mkdtemp(path.join(scratch, `${name}-`))
  await writeFile(path.join(dir, 'go.mod'), c.goMod ?? 'module example.com/main\n\ngo 1.21\n')
  if (c.goSum !== undefined) await writeFile(path.join(dir, 'go.sum'), c.goSum)
  if (c.mainGo !== undefined) await writeFile(path.join(dir, 'main.go'), c.mainGo)
  const env = await isolatedGoEnv(dir, {
    SSL_CERT_FILE: server.caFile,
    ...blackhole,
    // git (curl) would send even loopback requests to the blackhole proxy; Go never proxies loopback anyway.
    NO_PROXY: `127.0.0.1,${GIT_HOST},localhost`,
    ...c.env,
  })
  const result = await runGo(c.args ?? ['mod', 'download', 'example.com/greet@v1.0.0'], { cwd: dir, env })
  const context: GoFailureContext = {}
  const valid = (fn: () => void): void => {
    try {
      fn()
    } catch {
      // a value Go rejects: the classification must work without it
    }
  }
  valid(() => (context.goproxy = parseGoproxy(env.GOPROXY ?? '').value.entries))
  valid(() => (context.gosumdb = parseGosumdb(env.GOSUMDB ?? '').value))
  if (env.GONOSUMDB) context.gonosumdb = parsePatternList(env.GONOSUMDB, 'gonosumdb').value
  if (env.GOPRIVATE) context.goprivate = parsePatternList(env.GOPRIVATE, 'goprivate').value
  return { code: result.code, stderr: result.stderr, diagnoses: classifyGoFailure(result.stderr, context) }
}

const url = (name: string): string => server.proxy(name).url

const CASES: Array<[string, () => Case, string, RegExp]> = [
  [
    '403 from a proxy',
    () => ({ env: { GOPROXY: url('p403') } }),
    'proxy-http-403',
    /403 Forbidden\n\tserver response: blocked by policy/,
  ],
  [
    '401 without credentials',
    () => ({
      env: { GOPROXY: url('auth'), GONOSUMDB: 'corp.example' },
      args: ['mod', 'download', 'corp.example/private/secret@v1.0.0'],
    }),
    'proxy-http-401',
    /401 Unauthorized/,
  ],
  ['404 for everything', () => ({ env: { GOPROXY: url('nf') } }), 'proxy-http-404', /404 Not Found/],
  ['410 for everything', () => ({ env: { GOPROXY: url('gone') } }), 'proxy-http-410', /410 Gone/],
  ['503', () => ({ env: { GOPROXY: url('s503') } }), 'proxy-http-5xx', /503 Service Unavailable/],
  ['429', () => ({ env: { GOPROXY: url('s429') } }), 'proxy-http-429', /429 Too Many Requests/],
  [
    'connection reset',
    () => ({ env: { GOPROXY: url('reset') } }),
    'proxy-connection-reset',
    /connection reset by peer/,
  ],
  [
    'connection refused',
    () => ({ env: { GOPROXY: server.refused.url } }),
    'proxy-tcp-refused',
    /connect: connection refused/,
  ],
  [
    'self-signed certificate',
    () => ({ env: { GOPROXY: url('selfsigned') } }),
    'proxy-tls-unknown-authority',
    /x509: certificate signed by unknown authority/,
  ],
  [
    'certificate for another host',
    () => ({ env: { GOPROXY: url('wronghost') } }),
    'proxy-tls-wrong-host',
    /x509: cannot validate certificate for 127\.0\.0\.1/,
  ],
  [
    'expired certificate',
    () => ({ env: { GOPROXY: url('expired') } }),
    'proxy-tls-expired',
    /x509: certificate has expired or is not yet valid/,
  ],
  [
    'private module unknown to the checksum database (410)',
    () => ({
      env: { GOPROXY: url('corp-open'), GOSUMDB: server.sumdb.gosumdb },
      args: ['mod', 'download', 'corp.example/private/secret@v1.0.0'],
    }),
    'sumdb-gone-private-module',
    /verifying go\.mod: .*410 Gone/,
  ],
  [
    'checksum database unavailable through a proxy (403 to supported, `|`, end of list)',
    () => ({ env: { GOPROXY: `${url('p403')}|${url('plain')}`, GOSUMDB: server.sumdb.key } }),
    'sumdb-unavailable',
    /\/sumdb\/localhost\/test-sumdb\/supported: 403 Forbidden/,
  ],
  [
    'go.sum mismatch (tampered zip)',
    () => ({
      env: { GOPROXY: url('tampered') },
      goMod: 'module example.com/main\n\ngo 1.21\n\nrequire example.com/greet v1.0.0\n',
      goSum: goSumFor(server.goSum, 'example.com/greet@v1.0.0'),
      args: ['mod', 'download'],
    }),
    'checksum-mismatch-go-sum',
    /earlier download recorded in go\.sum/,
  ],
  [
    'checksum database mismatch (tampered zip)',
    () => ({ env: { GOPROXY: url('tampered'), GOSUMDB: server.sumdb.gosumdb } }),
    'checksum-mismatch-sumdb',
    /reported by the checksum server/,
  ],
  ['GOPROXY=off', () => ({ env: { GOPROXY: 'off' } }), 'goproxy-off', /module lookup disabled by GOPROXY=off/],
  [
    '404 then off',
    () => ({ env: { GOPROXY: `${url('nf')},off` } }),
    'goproxy-off',
    /module lookup disabled by GOPROXY=off/,
  ],
  [
    'toolchain not available',
    () => ({ env: { GOPROXY: url('nf'), GOTOOLCHAIN: 'go1.99.0' }, args: ['version'] }),
    'toolchain-not-available',
    /toolchain not available/,
  ],
  [
    'missing go.sum entry',
    () => ({
      env: { GOPROXY: url('plain') },
      goMod: 'module example.com/main\n\ngo 1.21\n\nrequire example.com/greet v1.0.0\n',
      goSum: '',
      mainGo: 'package main\n\nimport "example.com/greet"\n\nfunc main() { println(greet.Hello("x")) }\n',
      args: ['build', './...'],
    }),
    'missing-go-sum-entry',
    /missing go\.sum entry/,
  ],
  [
    'updates to go.mod needed',
    () => ({
      env: { GOPROXY: url('plain') },
      goMod: 'module example.com/main\n\ngo 1.21\n\nrequire example.com/greet v1.0\n',
      args: ['build', './...'],
    }),
    'go-mod-update-needed',
    /updates to go\.mod needed/,
  ],
  [
    'GOFLAGS unknown flag',
    () => ({ env: { GOPROXY: 'off', GOFLAGS: '-bogus' } }),
    'goflags-invalid',
    /parsing \$GOFLAGS: unknown flag -bogus/,
  ],
  [
    'GOFLAGS flag without value',
    () => ({ env: { GOPROXY: 'off', GOFLAGS: '-mod' }, args: ['build', './...'] }),
    'goflags-invalid',
    /flag needs an argument: -mod \(from \$GOFLAGS\)/,
  ],
  [
    'GOAUTH with an empty command',
    () => ({ env: { GOPROXY: url('public'), GOAUTH: 'netrc;' } }),
    'goauth-invalid',
    /GOAUTH encountered an empty command/,
  ],
  [
    'GOAUTH off combined',
    () => ({ env: { GOPROXY: url('public'), GOAUTH: 'off;netrc' } }),
    'goauth-invalid',
    /GOAUTH=off cannot be combined/,
  ],
  [
    'GOPROXY word without scheme',
    () => ({ env: { GOPROXY: 'myproxy' } }),
    'goproxy-missing-scheme',
    /invalid proxy URL missing scheme: myproxy/,
  ],
  [
    'GOPROXY with ftp://',
    () => ({ env: { GOPROXY: 'ftp://mirror.example' } }),
    'goproxy-bad-scheme',
    /invalid proxy URL scheme/,
  ],
  ['GOPROXY of separators only', () => ({ env: { GOPROXY: ',' } }), 'goproxy-empty-list', /contains no entries/],
  [
    'credentials in an http:// proxy URL',
    () => ({ env: { GOPROXY: url('plain').replace('http://', 'http://user:pw@') } }),
    'goproxy-credentials-over-http',
    /refusing to pass credentials to insecure URL/,
  ],
  [
    'direct fetch with no go-import meta tag',
    () => ({ env: { GOPROXY: 'direct' } }),
    'direct-unrecognized-import-path',
    /unrecognized import path "example\.com\/greet"/,
  ],
]

describe('classifyGoFailure on the real go command’s stderr', () => {
  test.each(CASES)(
    '%s → %s',
    async (name, make, code, stderrShape) => {
      const { code: exit, stderr, diagnoses } = await provoke(name.replace(/\W+/g, '-'), make())
      expect(exit).not.toBe(0)
      expect(stderr).toMatch(stderrShape)
      expect(diagnoses.map((d) => d.code)).toContain(code)
      const found = diagnoses.find((d) => d.code === code)
      for (const text of [found?.title, found?.detail, found?.fix]) expect(text ?? '').not.toBe('')
      if (found?.module !== undefined) expect(stderr).toContain(found.module)
    },
    60_000,
  )

  test('terminal prompts disabled: a direct git fetch without git credentials', async () => {
    const dir = await mkdtemp(path.join(scratch, 'git-'))
    const netrc = path.join(dir, 'netrc')
    await mkdir(path.join(dir, 'home'), { recursive: true })
    await writeFile(netrc, `machine ${GIT_HOST} login ${gitAuth.username} password ${gitAuth.password}\n`, {
      mode: 0o600,
    })
    const { stderr, diagnoses } = await provoke('git-prompt', {
      env: { GOPROXY: 'direct', GOPRIVATE: `${GIT_HOST}/private`, NETRC: netrc, GIT_SSL_CAINFO: server.caFile },
      args: ['mod', 'download', `${GIT_HOST}/private/gitmod@v1.0.0`],
    })
    expect(stderr).toMatch(/terminal prompts disabled/)
    expect(diagnoses[0]).toMatchObject({ code: 'direct-git-auth', module: `${GIT_HOST}/private/gitmod` })
    expect(diagnoses[0]?.detail).toContain('matches GONOPROXY/GOPRIVATE')
  }, 60_000)

  test('the explanations carry the user’s settings: `,` after a 403 proxy, the pattern for GONOSUMDB', async () => {
    const forbidden = await provoke('explain-403', { env: { GOPROXY: `${url('p403')},${url('public')}` } })
    expect(forbidden.diagnoses[0]?.detail).toContain('makes Go stop here')
    expect(forbidden.diagnoses[0]?.fix).toContain('put `|` after this proxy')
    const gone = await provoke('explain-410', {
      env: { GOPROXY: url('corp-open'), GOSUMDB: server.sumdb.gosumdb },
      args: ['mod', 'download', 'corp.example/private/secret@v1.0.0'],
    })
    expect(gone.diagnoses[0]?.fix).toContain('add corp.example to GONOSUMDB')
  }, 60_000)
})
