import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { probeChain } from '../../../src/probe/chain.js'
import { renderProbeJson, renderProbeMarkdown, renderProbeText } from '../../../src/report/probe.js'
import type { ProbeInput } from '../../../src/probe/types.js'
import { judgeChain } from '../../../src/probe/verdict.js'
import type { GosumdbSetting, ProxyEntry } from '../../../src/settings/types.js'
import {
  CORP_TEST_HOST,
  blackholeProxyEnv,
  makeTestCertificates,
  startConnectProxy,
  startFaultServer,
  type FaultServer,
  type FaultServerOptions,
  type TestCertificates,
} from '../../helpers/fault-servers.js'
import { removeTempDirs, tempDir } from '../../helpers/temp-dir.js'

let scratch: string
let certificates: TestCertificates
let env: Record<string, string>
const closers: Array<() => Promise<void>> = []

beforeAll(async () => {
  scratch = await tempDir('probe-chain-')
  certificates = await makeTestCertificates(path.join(scratch, 'certs'))
  // Trust the test CA as Go would, and send anything that is not loopback into a refused port.
  env = { SSL_CERT_FILE: certificates.caFile, SSL_CERT_DIR: path.join(scratch, 'none'), ...(await blackholeProxyEnv()) }
}, 60_000)

afterAll(async () => {
  await Promise.all(closers.map((close) => close()))
  await removeTempDirs()
})

async function serve(options: FaultServerOptions): Promise<FaultServer> {
  const server = await startFaultServer(options, certificates)
  closers.push(server.close)
  return server
}

function entries(...parts: Array<string | ',' | '|'>): ProxyEntry[] {
  const list: ProxyEntry[] = []
  for (const part of parts) {
    if (part === ',' || part === '|') {
      const last = list.at(-1)
      if (last) last.separator = part
    } else list.push(part === 'direct' || part === 'off' ? { kind: part } : { kind: 'url', url: part })
  }
  return list
}

/** A checksum database of our own at a loopback URL (explicit GOSUMDB URL: Go bypasses the proxies). */
function sumdbAt(url: string): GosumdbSetting {
  return {
    value: `test.sumdb+00000000+AAAA ${url}`,
    off: false,
    name: 'test.sumdb',
    verifierKey: 'test.sumdb+00000000+AAAA',
    url,
  }
}

/** GOSUMDB by name only: Go asks each proxy for /sumdb/<name>/supported, then goes direct to https://<name>. */
function sumdbNamed(name: string): GosumdbSetting {
  return { value: `${name}+00000000+AAAA`, off: false, name, verifierKey: `${name}+00000000+AAAA` }
}

const OFF: GosumdbSetting = { value: 'off', off: true, name: '', verifierKey: '' }

function input(fields: Partial<ProbeInput> & Pick<ProbeInput, 'goproxy'>): ProbeInput {
  return { credentials: [], timeoutMs: 2000, env, gosumdb: OFF, publicModule: 'example.com/greet', ...fields }
}

describe('probeChain', () => {
  test('probes everything at once: one hanging proxy among five costs about one timeout', async () => {
    const healthy = await Promise.all([1, 2, 3, 4].map(() => serve({ behavior: 'slow', delayMs: 50 })))
    const hanging = await serve({ behavior: 'hang' })
    const urls = [
      healthy[0]?.url ?? '',
      hanging.url,
      healthy[1]?.url ?? '',
      healthy[2]?.url ?? '',
      healthy[3]?.url ?? '',
    ]
    const started = Date.now()
    const report = await probeChain(
      input({
        goproxy: entries(urls[0] ?? '', '|', urls[1] ?? '', '|', urls[2] ?? '', '|', urls[3] ?? '', '|', urls[4] ?? ''),
        timeoutMs: 1000,
      }),
    )
    const elapsed = Date.now() - started
    expect(elapsed).toBeGreaterThanOrEqual(950)
    expect(elapsed).toBeLessThan(1900)
    expect(report.entries.map((e) => e.publicModule?.stage)).toEqual(['ok', 'timeout', 'ok', 'ok', 'ok'])
    expect(report.entries[1]?.publicModule?.timedOutDuring).toBe('http')
  })

  test('asks `@v/list` with Go’s case-encoding, or `.info` for a known version', async () => {
    const server = await serve({ behavior: 'healthy' })
    await probeChain(input({ goproxy: entries(server.url), publicModule: 'example.com/Upper' }))
    await probeChain(input({ goproxy: entries(server.url), publicModule: 'example.com/Upper@v1.0.0' }))
    expect(server.requests.map((r) => r.path)).toEqual([
      '/example.com/!upper/@v/list',
      '/example.com/!upper/@v/v1.0.0.info',
    ])
  })

  test('the checksum database through the first proxy that serves it, then /latest there', async () => {
    const noMirror = await serve({ behavior: 'healthy' })
    const mirror = await serve({ behavior: 'healthy', sumdbSupported: 200 })
    const report = await probeChain(
      input({ goproxy: entries(noMirror.url, ',', mirror.url, ',', 'direct'), gosumdb: sumdbNamed('sum.example') }),
    )
    expect(report.sumdb.route).toEqual({ via: 'proxy', viaEntry: 1, baseUrl: `${mirror.url}/sumdb/sum.example` })
    expect(report.sumdb.latest).toMatchObject({ stage: 'ok', status: 200 })
    expect(noMirror.requests.map((r) => r.path)).toContain('/sumdb/sum.example/supported')
    expect(mirror.requests.map((r) => r.path)).toContain('/sumdb/sum.example/latest')
    expect(judgeChain(report, entries(noMirror.url, ',', mirror.url, ',', 'direct')).checksums.outcome).toBe('verified')
  })

  test('no proxy mirrors it: direct to https://<name>/latest', async () => {
    const proxy = await serve({ behavior: 'healthy' })
    const database = await serve({ behavior: 'healthy', tls: 'trusted' })
    const name = `127.0.0.1:${database.port}`
    const report = await probeChain(input({ goproxy: entries(proxy.url, ',', 'direct'), gosumdb: sumdbNamed(name) }))
    expect(report.sumdb.route).toEqual({ via: 'direct', baseUrl: `https://${name}` })
    expect(database.requests.map((r) => r.path)).toEqual(['/latest'])
  })

  test('a 403 to `supported` before `,`: unavailable, and /latest is never asked', async () => {
    const blocking = await serve({ behavior: 'status', status: 403 })
    const report = await probeChain(
      input({ goproxy: entries(blocking.url, ',', 'direct'), gosumdb: sumdbNamed('sum.example') }),
    )
    expect(report.sumdb.unavailableAt).toMatchObject({ entryIndex: 0, outcome: { status: 403 } })
    expect(report.sumdb.latest).toBeUndefined()
    const verdict = judgeChain(report, entries(blocking.url, ',', 'direct'))
    expect(verdict.diagnoses.map((d) => d.code)).toContain('sumdb-unavailable')
  })

  test('an explicit GOSUMDB URL bypasses the proxies', async () => {
    const proxy = await serve({ behavior: 'healthy', sumdbSupported: 200 })
    const database = await serve({ behavior: 'healthy' })
    const report = await probeChain(
      input({ goproxy: entries(proxy.url, ',', 'direct'), gosumdb: sumdbAt(database.url) }),
    )
    expect(report.sumdb.route?.via).toBe('url')
    expect(proxy.requests.some((r) => r.path.includes('/sumdb/'))).toBe(false)
    expect(database.requests.map((r) => r.path)).toEqual(['/latest'])
  })

  test('without a module, the proxies are asked `supported` (a request Go makes), not `<base>/`', async () => {
    const server = await serve({ behavior: 'healthy' })
    const report = await probeChain(input({ goproxy: entries(server.url, ',', 'direct'), publicModule: undefined }))
    expect(server.requests.map((r) => r.path)).toEqual(['/sumdb/sum.golang.org/supported'])
    expect(judgeChain(report, entries(server.url, ',', 'direct')).publicModules.outcome).toBe('served')
  })

  test('file:// entries are checked on disk', async () => {
    const root = path.join(scratch, 'file-proxy')
    await mkdir(path.join(root, 'example.com', 'greet', '@v'), { recursive: true })
    await writeFile(path.join(root, 'example.com', 'greet', '@v', 'list'), 'v1.0.0\n')
    const missing = pathToFileURL(path.join(scratch, 'no-such-dir')).href
    const present = pathToFileURL(root).href
    const report = await probeChain(input({ goproxy: entries(missing, ',', present, ',', 'off') }))
    expect(report.entries[0]?.publicModule).toMatchObject({ stage: 'file', status: 404 })
    expect(report.entries[1]?.publicModule).toMatchObject({ stage: 'ok', status: 200 })
    const other = await probeChain(input({ goproxy: entries(present), publicModule: 'example.com/other' }))
    expect(other.entries[0]?.publicModule).toMatchObject({ status: 404, statusClass: 'not-found' })
    expect(judgeChain(report, entries(missing, ',', present, ',', 'off')).publicModules).toMatchObject({
      outcome: 'served',
      entryIndex: 1,
    })
  })

  test('GOPROXY=direct: nothing to probe, with a notice; the checksum database is still probed', async () => {
    const database = await serve({ behavior: 'healthy' })
    const report = await probeChain(input({ goproxy: entries('direct'), gosumdb: sumdbAt(database.url) }))
    expect(report.notices.join('\n')).toContain('GOPROXY=direct')
    expect(report.entries[0]?.skipped).toBeDefined()
    expect(report.sumdb.latest?.status).toBe(200)
  })

  test('GOPROXY=off: the checksum database is not asked (Go downloads nothing, so never consults it)', async () => {
    const database = await serve({ behavior: 'healthy' })
    const report = await probeChain(input({ goproxy: entries('off'), gosumdb: sumdbAt(database.url) }))
    expect(report.notices.join('\n')).toContain('GOPROXY=off')
    expect(report.sumdb.skipped).toContain('GOPROXY=off')
    expect(database.requests).toEqual([])
    // ...unless a module Go fetches directly (GONOPROXY) is not covered by GONOSUMDB.
    const gonoproxy = { patterns: ['corp.example'], value: 'corp.example' }
    const direct = await probeChain(
      input({ goproxy: entries('off'), gosumdb: sumdbAt(database.url), privateModule: 'corp.example/x', gonoproxy }),
    )
    expect(direct.sumdb.latest?.status).toBe(200)
  })

  test('private module: through the proxies with credentials, unless GONOPROXY sends it direct', async () => {
    const corp = await serve({
      behavior: 'healthy',
      tls: 'trusted',
      auth: { username: 'ci', password: 'tok3n-Secret' },
    })
    const credentials = [
      { host: `127.0.0.1:${corp.port}`, username: 'ci', secret: 'tok3n-Secret', origin: 'auth line 1' },
    ]
    const through = await probeChain(
      input({ goproxy: entries(corp.url, ',', 'direct'), credentials, privateModule: 'corp.example/secret' }),
    )
    expect(through.entries[0]?.privateModule).toMatchObject({ status: 200, authSent: true })
    const goauthOff = await probeChain(
      input({
        goproxy: entries(corp.url),
        credentials,
        privateModule: 'corp.example/secret',
        goauth: { value: 'off', commands: ['off'] },
      }),
    )
    expect(goauthOff.entries[0]?.privateModule).toMatchObject({ status: 401, authSent: false })
    const gonoproxy = { patterns: ['corp.example'], value: 'corp.example' }
    const direct = await probeChain(
      input({
        goproxy: entries(corp.url, ',', 'direct'),
        credentials,
        privateModule: 'corp.example/secret',
        gonoproxy,
      }),
    )
    expect(direct.privateModuleDirect).toBe(true)
    expect(direct.entries[0]?.privateModule).toBeUndefined()
    expect(corp.requests.filter((r) => r.path.startsWith('/corp.example/'))).toHaveLength(2)

    // Nothing rendered carries the secret, in any form.
    const verdict = judgeChain(through, entries(corp.url, ',', 'direct'))
    const basic = Buffer.from('ci:tok3n-Secret').toString('base64')
    for (const text of [
      renderProbeText(through, verdict),
      renderProbeMarkdown(through, verdict),
      renderProbeJson(through, verdict),
    ]) {
      expect(text).not.toContain('tok3n-Secret')
      expect(text).not.toContain(basic)
    }
  })

  test('select-fastest orders healthy proxies by median latency and keeps direct last', async () => {
    const slow = await serve({ behavior: 'slow', delayMs: 150 })
    const fast = await serve({ behavior: 'healthy' })
    const broken = await serve({ behavior: 'status', status: 500 })
    const chain = entries(broken.url, '|', slow.url, ',', fast.url, ',', 'direct')
    const report = await probeChain(input({ goproxy: chain, selectFastest: true, samples: 3 }))
    // Each separator travels with its entry: the broken proxy keeps its `|`.
    expect(report.fastest?.setting.value).toBe(`${fast.url},${slow.url},${broken.url}|direct`)
    const slowLatency = report.fastest?.latencies.find((l) => l.label === slow.url)
    expect(slowLatency?.samplesMs).toHaveLength(3)
    expect(slowLatency?.medianMs).toBeGreaterThanOrEqual(140)
    expect(report.fastest?.latencies.find((l) => l.label === broken.url)?.healthy).toBe(false)
    expect(slow.requests.filter((r) => r.path.endsWith('/@v/list'))).toHaveLength(4)
  })

  test('through a CONNECT proxy from HTTPS_PROXY, as Go would go', async () => {
    const target = await serve({ behavior: 'healthy', tls: 'corp-name' })
    const tunnel = await startConnectProxy(target.port)
    closers.push(tunnel.close)
    const viaProxy = { ...env, HTTPS_PROXY: tunnel.url, NO_PROXY: '' }
    const report = await probeChain(input({ goproxy: entries(`https://${CORP_TEST_HOST}`), env: viaProxy }))
    expect(report.entries[0]?.publicModule).toMatchObject({ stage: 'ok', status: 200 })
    expect(tunnel.connects).toEqual([`${CORP_TEST_HOST}:443`])

    const refusing = await startConnectProxy(target.port, 407)
    closers.push(refusing.close)
    const refused = await probeChain(
      input({ goproxy: entries(`https://${CORP_TEST_HOST}`), env: { ...viaProxy, HTTPS_PROXY: refusing.url } }),
    )
    expect(refused.entries[0]?.publicModule?.stage).toBe('proxy')
  })
})
