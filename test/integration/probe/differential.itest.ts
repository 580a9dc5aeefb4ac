// DIFFERENTIAL: for a table of GOPROXY chains over loopback servers, the verdict judgeChain predicts from the probes
// must match what the real `go mod download` then does against the same servers.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { spawn } from 'node:child_process'
import { mkdtemp, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { probeChain } from '../../../src/probe/chain.js'
import { judgeChain, type ChainVerdict } from '../../../src/probe/verdict.js'
import { parseGoproxy } from '../../../src/settings/goproxy.js'
import { parseGosumdb } from '../../../src/settings/gosumdb.js'
import { parsePatternList } from '../../../src/settings/patterns.js'
import type { Credential } from '../../../src/settings/types.js'
import { blackholeProxyEnv, startFaultServer, type FaultServer } from '../../helpers/fault-servers.js'
import { goBinary, isolatedGoEnv, startTestServer, type TestServer } from '../../servers/testserver.js'
import { removeTempDirs, tempDir } from '../../helpers/temp-dir.js'

type Result = 'ok' | 'fails' | 'hangs' | 'direct'

const PUBLIC = 'example.com/greet@v1.0.0'
const PRIVATE = 'corp.example/private/secret@v1.0.0'
const AUTH = { username: 'ci', password: 'pr0xy-T0ken' }
const GO_HANG_MS = 6000
const PROBE_TIMEOUT_MS = 1500

let scratch: string
let server: TestServer
let downSumdb: TestServer
let blackhole: Record<string, string>
/** accepts TCP and never speaks: Go's TLS handshake gives up after 10 s, an error `|` falls through on */
let silent: FaultServer

beforeAll(async () => {
  scratch = await tempDir('differential-')
  blackhole = await blackholeProxyEnv()
  silent = await startFaultServer({ behavior: 'silent' })
  server = await startTestServer({
    proxies: [
      { name: 'public', sumdb: true },
      { name: 'plain', tls: 'http' },
      { name: 'nf', behavior: 'not-found' },
      { name: 'gone', behavior: 'gone' },
      { name: 's503', behavior: 'status', status: 503 },
      { name: 's403', behavior: 'status', status: 403 },
      { name: 'reset', behavior: 'reset' },
      { name: 'expired', tls: 'expired' },
      { name: 'selfsigned', tls: 'self-signed' },
      { name: 'wronghost', tls: 'wrong-host' },
      { name: 'hang', behavior: 'hang' },
      { name: 'auth', auth: AUTH },
      { name: 'authgl', auth: { ...AUTH, failStatus: 404 } },
      { name: 'corp', auth: AUTH, modules: ['corp.example'] },
    ],
    sumdb: {},
  })
  downSumdb = await startTestServer({ proxies: [{ name: 'public' }], sumdb: { behavior: 'status', status: 503 } })
}, 120_000)

afterAll(async () => {
  await server?.stop()
  await downSumdb?.stop()
  await silent?.close()
  await removeTempDirs()
})

interface Row {
  /** GOPROXY with proxy names for URLs: `s503|public`, `nf,off` */
  chain: string
  module?: 'public' | 'private'
  /** `off` (default), `key` (through the proxies' /sumdb/), `url` (direct to the database), `down` (a 503 database) */
  sumdb?: 'off' | 'key' | 'url' | 'down'
  credentials?: boolean
  gonoproxy?: string
  gonosumdb?: string
  expected: Result
  /** how long go may run before it counts as hanging (default GO_HANG_MS) */
  goWaitMs?: number
  /** go must take at least this long (a cost the verdict warns about) */
  goTakesMs?: number
  /** a diagnosis the verdict must give, beyond the outcome */
  diagnosis?: string
}

const ROWS: Array<[string, Row]> = [
  ['healthy proxy', { chain: 'public', expected: 'ok' }],
  ['404, then healthy (`,`)', { chain: 'nf,public', expected: 'ok' }],
  ['410, then healthy (`,`)', { chain: 'gone,public', expected: 'ok' }],
  ['503 before `,` stops Go', { chain: 's503,public', expected: 'fails' }],
  ['503 before `|` falls through', { chain: 's503|public', expected: 'ok' }],
  ['403 before `,` stops Go', { chain: 's403,public', expected: 'fails' }],
  ['403 before `|` falls through', { chain: 's403|public', expected: 'ok' }],
  ['reset before `,`', { chain: 'reset,public', expected: 'fails' }],
  ['reset before `|`', { chain: 'reset|public', expected: 'ok' }],
  ['expired certificate before `,`', { chain: 'expired,public', expected: 'fails' }],
  ['expired certificate before `|`', { chain: 'expired|public', expected: 'ok' }],
  ['self-signed certificate before `|`', { chain: 'selfsigned|public', expected: 'ok' }],
  ['certificate for another host before `,`', { chain: 'wronghost,public', expected: 'fails' }],
  ['refused port before `,`', { chain: 'refused,public', expected: 'fails' }],
  ['refused port before `|`', { chain: 'refused|public', expected: 'ok' }],
  ['404 then off', { chain: 'nf,off', expected: 'fails' }],
  ['404 then 410, end of list', { chain: 'nf,gone', expected: 'fails' }],
  ['503 before `|`, then 404, end of list', { chain: 's503|nf', expected: 'fails' }],
  ['404 then direct', { chain: 'nf,direct', expected: 'direct' }],
  ['503 before `|`, then direct', { chain: 's503|direct', expected: 'direct' }],
  ['off', { chain: 'off', expected: 'fails' }],
  ['direct', { chain: 'direct', expected: 'direct' }],
  ['a hanging proxy hangs Go even before `|`', { chain: 'hang|public', expected: 'hangs' }],
  [
    // Go gives up each TLS handshake after 10 s and falls through — once per request (.info, .mod, .zip): ~30 s.
    'a silent TLS port before `|`: Go falls through, 10 s per request',
    { chain: 'silent|public', expected: 'ok', goWaitMs: 50_000, goTakesMs: 25_000, diagnosis: 'proxy-timeout-tls' },
  ],
  ['a silent TLS port before `,`', { chain: 'silent,public', expected: 'fails', goWaitMs: 20_000 }],
  ['401 without credentials before `,`', { chain: 'auth,public', expected: 'fails' }],
  ['the same proxy with credentials', { chain: 'auth,public', credentials: true, expected: 'ok' }],
  ['GitLab-style 404 for missing credentials falls through `,`', { chain: 'authgl,public', expected: 'ok' }],
  [
    'private module from the corporate proxy',
    { chain: 'corp,public', module: 'private', credentials: true, gonosumdb: 'corp.example', expected: 'ok' },
  ],
  [
    'private module after a public proxy that 404s it',
    { chain: 'public,corp', module: 'private', credentials: true, gonosumdb: 'corp.example', expected: 'ok' },
  ],
  [
    'private module without credentials',
    { chain: 'corp,public', module: 'private', gonosumdb: 'corp.example', expected: 'fails' },
  ],
  [
    'private module in GONOPROXY goes direct',
    { chain: 'public', module: 'private', gonoproxy: 'corp.example', gonosumdb: 'corp.example', expected: 'direct' },
  ],
  ['checksum database through the proxy mirror', { chain: 'public', sumdb: 'key', expected: 'ok' }],
  ['checksum database: 404 to supported, then the mirror', { chain: 'nf,public', sumdb: 'key', expected: 'ok' }],
  [
    'checksum database unavailable: 403 to supported, `|`, end of list',
    { chain: 's403|plain', sumdb: 'key', expected: 'fails' },
  ],
  ['checksum database at its own URL', { chain: 'plain', sumdb: 'url', expected: 'ok' }],
  ['checksum database answering 503', { chain: 'public', sumdb: 'down', expected: 'fails' }],
  [
    'private module outside GONOSUMDB: the database answers 410',
    { chain: 'corp', module: 'private', credentials: true, sumdb: 'url', expected: 'fails' },
  ],
  [
    'private module in GONOSUMDB with the database on',
    { chain: 'corp', module: 'private', credentials: true, sumdb: 'url', gonosumdb: 'corp.example', expected: 'ok' },
  ],
]

function goproxyValue(chain: string, set: TestServer): string {
  return chain.replace(/[A-Za-z0-9]+/g, (name) =>
    name === 'direct' || name === 'off'
      ? name
      : name === 'refused'
        ? set.refused.url
        : name === 'silent'
          ? silent.url.replace('http:', 'https:')
          : set.proxy(name).url,
  )
}

function gosumdbValue(mode: Row['sumdb']): string {
  switch (mode ?? 'off') {
    case 'key':
      return server.sumdb.key
    case 'url':
      return server.sumdb.gosumdb
    case 'down':
      return downSumdb.sumdb.gosumdb
    default:
      return 'off'
  }
}

/** What the verdict says `go mod download <module>` will do (go.sum is empty, so every module is looked up). */
function predict(verdict: ChainVerdict, module: 'public' | 'private'): Result {
  const route = module === 'public' ? verdict.publicModules : verdict.privateModules
  if (route === undefined || route.outcome === 'unknown') throw new Error('no prediction for this module')
  if (route.outcome === 'hangs') return 'hangs'
  if (route.outcome === 'fails') return 'fails'
  if (route.outcome === 'direct') return 'direct'
  const checked = module === 'public' || verdict.diagnoses.some((d) => d.code === 'sumdb-private-module')
  if (checked && verdict.checksums.outcome === 'hangs') return 'hangs'
  if (checked && verdict.checksums.outcome === 'fails') return 'fails'
  // The database is reachable, but it has never heard of a private module: the lookup fails (404/410).
  if (module === 'private' && verdict.diagnoses.some((d) => d.code === 'sumdb-private-module')) return 'fails'
  return 'ok'
}

/** Runs go, killing it when it hangs. */
function runGoWithin(
  args: string[],
  cwd: string,
  env: Record<string, string>,
  ms: number,
): Promise<{ code: number | null; stderr: string; killed: boolean; elapsedMs: number }> {
  const started = Date.now()
  return new Promise((resolve, reject) => {
    const child = spawn(goBinary(env.PATH), args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    let killed = false
    const timer = setTimeout(() => {
      killed = true
      child.kill('SIGKILL')
    }, ms)
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stderr, killed, elapsedMs: Date.now() - started })
    })
  })
}

function observe(run: { code: number | null; stderr: string; killed: boolean }): Result {
  if (run.killed) return 'hangs'
  if (run.code === 0) return 'ok'
  // Go reached `direct` (or GONOPROXY sent it there): the go-get lookup fails at the blackhole proxy.
  if (/unrecognized import path|\?go-get=1/.test(run.stderr)) return 'direct'
  return 'fails'
}

describe('differential: the predicted verdict matches the real go command', () => {
  test.each(ROWS)(
    '%s',
    async (name, row) => {
      const set = row.sumdb === 'down' ? downSumdb : server
      const module = row.module ?? 'public'
      const goproxy = goproxyValue(row.chain, set)
      const gosumdb = gosumdbValue(row.sumdb)
      const dir = await mkdtemp(path.join(scratch, `${name.replace(/\W+/g, '-').slice(0, 40)}-`))
      await writeFile(path.join(dir, 'go.mod'), 'module example.com/main\n\ngo 1.21\n')

      // The credential for every proxy that asks, as host:port (what the netrc we write holds).
      const credentials: Credential[] = row.credentials
        ? ['auth', 'corp'].map((p) => ({
            host: set === server ? server.proxy(p).host : '',
            ...AUTH,
            secret: AUTH.password,
            origin: 'auth',
          }))
        : []
      const netrc = path.join(dir, 'netrc')
      await writeFile(
        netrc,
        credentials.map((c) => `machine ${c.host} login ${c.username} password ${c.secret}\n`).join(''),
        { mode: 0o600 },
      )

      const probeEnv = { SSL_CERT_FILE: set.caFile, SSL_CERT_DIR: path.join(dir, 'none'), ...blackhole }
      const entries = parseGoproxy(goproxy).value.entries
      const report = await probeChain({
        goproxy: entries,
        gosumdb: parseGosumdb(gosumdb).value,
        ...(row.gonoproxy ? { gonoproxy: parsePatternList(row.gonoproxy, 'gonoproxy').value } : {}),
        ...(row.gonosumdb ? { gonosumdb: parsePatternList(row.gonosumdb, 'gonosumdb').value } : {}),
        credentials,
        ...(module === 'public' ? { publicModule: PUBLIC } : { privateModule: PRIVATE }),
        timeoutMs: PROBE_TIMEOUT_MS,
        env: probeEnv,
      })
      const verdict = judgeChain(report, entries)
      const predicted = predict(verdict, module)

      const env = await isolatedGoEnv(dir, {
        GOPROXY: goproxy,
        GOSUMDB: gosumdb,
        GONOPROXY: row.gonoproxy,
        GONOSUMDB: row.gonosumdb,
        NETRC: netrc,
        SSL_CERT_FILE: set.caFile,
        ...blackhole,
      })
      const run = await runGoWithin(
        ['mod', 'download', module === 'public' ? PUBLIC : PRIVATE],
        dir,
        env,
        row.goWaitMs ?? GO_HANG_MS,
      )
      const observed = observe(run)

      expect({ predicted, observed }).toEqual({ predicted: row.expected, observed: row.expected })
      if (row.goTakesMs !== undefined) expect(run.elapsedMs).toBeGreaterThanOrEqual(row.goTakesMs)
      if (row.diagnosis !== undefined) expect(verdict.diagnoses.map((d) => d.code)).toContain(row.diagnosis)
      // A failing chain is always explained by at least one error.
      if (predicted !== 'ok' && predicted !== 'direct') {
        expect(verdict.diagnoses.some((d) => d.severity === 'error' || d.code === 'sumdb-private-module')).toBe(true)
      }
    },
    70_000,
  )
})
