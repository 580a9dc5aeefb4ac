import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import path from 'node:path'
import { createHttpProbe } from '../../../src/probe/http-probe.js'
import { describeOutcome, fixForOutcome } from '../../../src/probe/describe-outcome.js'
import { goTrustedCertificates } from '../../../src/probe/trust.js'
import type { HttpProbe, ProbeOutcome } from '../../../src/probe/types.js'
import type { Credential } from '../../../src/settings/types.js'
import {
  makeTestCertificates,
  refusedUrl,
  startFaultServer,
  type FaultServer,
  type FaultServerOptions,
  type TestCertificates,
} from '../../helpers/fault-servers.js'
import { removeTempDirs, tempDir } from '../../helpers/temp-dir.js'

let scratch: string
let certificates: TestCertificates
let probe: HttpProbe
const servers: FaultServer[] = []

beforeAll(async () => {
  scratch = await tempDir('probe-stages-')
  certificates = await makeTestCertificates(path.join(scratch, 'certs'))
  // Trust exactly what Go would with SSL_CERT_FILE pointing at the test CA.
  const env = { SSL_CERT_FILE: certificates.caFile, SSL_CERT_DIR: path.join(scratch, 'no-such-dir') }
  probe = createHttpProbe({ caCertificates: goTrustedCertificates(env, 'linux'), env })
}, 60_000)

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()))
  await removeTempDirs()
})

async function serve(options: FaultServerOptions): Promise<FaultServer> {
  const server = await startFaultServer(options, certificates)
  servers.push(server)
  return server
}

const LIST = '/example.com/greet/@v/list'

async function ask(base: string, credentials: Credential[] = [], timeoutMs = 2000): Promise<ProbeOutcome> {
  return probe({ url: `${base}${LIST}`, credentials, timeoutMs })
}

describe('each fault is pinned to its stage', () => {
  test('healthy over trusted TLS: 200, with dns/tcp/tls/http/body timings', async () => {
    const server = await serve({ behavior: 'healthy', tls: 'trusted' })
    const outcome = await ask(server.url)
    expect(outcome).toMatchObject({ stage: 'ok', status: 200, statusClass: 'success', authSent: false })
    expect(outcome.timings.dnsMs).toBeDefined()
    expect(outcome.timings.tcpMs).toBeGreaterThanOrEqual(0)
    expect(outcome.timings.tlsMs).toBeGreaterThan(0)
    expect(outcome.timings.httpMs).toBeGreaterThanOrEqual(0)
    expect(outcome.timings.bodyMs).toBeGreaterThanOrEqual(0)
    expect(server.requests.map((r) => r.path)).toEqual([LIST])
  })

  test('404 for everything: reachable, "not found" (the only class `,` falls through on, with 410)', async () => {
    const server = await serve({ behavior: 'not-found' })
    const outcome = await ask(server.url)
    expect(outcome).toMatchObject({ stage: 'ok', status: 404, statusClass: 'not-found' })
    expect(outcome.serverMessage).toBe(`not found: ${LIST}`)
  })

  test('410 is not-found too', async () => {
    const server = await serve({ behavior: 'gone' })
    expect(await ask(server.url)).toMatchObject({ status: 410, statusClass: 'not-found' })
  })

  test.each([
    [401, 'auth'],
    [403, 'auth'],
    [407, 'auth'],
    [429, 'rate-limited'],
    [500, 'server-error'],
    [503, 'server-error'],
  ] as const)('status %i is class %s', async (status, statusClass) => {
    const server = await serve({ behavior: 'status', status })
    const outcome = await ask(server.url)
    expect(outcome).toMatchObject({ stage: 'ok', status, statusClass })
    expect(describeOutcome(outcome)).toContain(`HTTP ${status}`)
  })

  test('401 over https without credentials: the fix says none were sent', async () => {
    const server = await serve({ behavior: 'healthy', tls: 'trusted', auth: { username: 'u', password: 'p' } })
    const outcome = await ask(server.url)
    expect(outcome).toMatchObject({ status: 401, authSent: false })
    expect(fixForOutcome(outcome)).toMatch(/No credentials were sent to 127\.0\.0\.1:\d+/)
  })

  test('credentials go over https, by host:port before host, and open the door', async () => {
    const server = await serve({ behavior: 'healthy', tls: 'trusted', auth: { username: 'u', password: 'right' } })
    const credentials: Credential[] = [
      { host: '127.0.0.1', username: 'u', secret: 'wrong', origin: 'auth line 1' },
      { host: `127.0.0.1:${server.port}`, username: 'u', secret: 'right', origin: 'auth line 2' },
    ]
    const outcome = await ask(server.url, credentials)
    expect(outcome).toMatchObject({ status: 200, authSent: true })
    expect(server.requests.at(-1)?.authorization).toBe(`Basic ${Buffer.from('u:right').toString('base64')}`)
  })

  test('credentials are never sent over http, as Go never sends them', async () => {
    const server = await serve({ behavior: 'healthy', auth: { username: 'u', password: 'p' } })
    const credentials: Credential[] = [{ host: '127.0.0.1', username: 'u', secret: 'p', origin: 'auth line 1' }]
    const outcome = await ask(server.url, credentials)
    expect(outcome).toMatchObject({ status: 401, authSent: false })
    expect(server.requests.at(-1)?.authorization).toBeUndefined()
    expect(fixForOutcome(outcome)).toContain('Go never sends credentials over http')
  })

  test('wrong credentials: 401 with authSent, and the fix says they were refused', async () => {
    const server = await serve({ behavior: 'healthy', tls: 'trusted', auth: { username: 'u', password: 'p' } })
    const outcome = await ask(server.url, [{ host: '127.0.0.1', username: 'u', secret: 'nope', origin: 'auth line 1' }])
    expect(outcome).toMatchObject({ status: 401, authSent: true })
    expect(fixForOutcome(outcome)).toContain('were refused')
  })

  test('a server that never answers: timeout while waiting for the response, after about the timeout', async () => {
    const server = await serve({ behavior: 'hang' })
    const started = Date.now()
    const outcome = await ask(server.url, [], 500)
    const elapsed = Date.now() - started
    expect(outcome).toMatchObject({ stage: 'timeout', timedOutDuring: 'http' })
    expect(elapsed).toBeGreaterThanOrEqual(450)
    expect(elapsed).toBeLessThan(3000) // the probe's own limit, not the 10 s default nor a hang
  })

  test('a TLS port that accepts and never speaks: timeout during the TLS handshake', async () => {
    const server = await serve({ behavior: 'silent' })
    const outcome = await ask(server.url.replace('http:', 'https:'), [], 500)
    expect(outcome).toMatchObject({ stage: 'timeout', timedOutDuring: 'tls' })
  })

  test('connection reset: the http stage, "connection reset by peer"', async () => {
    const server = await serve({ behavior: 'reset' })
    const outcome = await ask(server.url)
    expect(outcome.stage).toBe('http')
    expect(outcome.error).toBe('connection reset by peer')
  })

  test('refused port: the tcp stage, "connection refused"', async () => {
    const outcome = await ask(await refusedUrl())
    expect(outcome).toMatchObject({ stage: 'tcp', error: 'connection refused' })
    expect(outcome.timings.dnsMs).toBeDefined()
  })

  test('unknown host: the dns stage', async () => {
    const noSuchHost: HttpProbe = createHttpProbe({
      caCertificates: [certificates.ca],
      env: {},
      lookup: () =>
        Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND proxy.corp.invalid'), { code: 'ENOTFOUND' })),
    })
    const outcome = await noSuchHost({ url: `https://proxy.corp.invalid${LIST}`, credentials: [], timeoutMs: 1000 })
    expect(outcome).toMatchObject({ stage: 'dns', error: 'no such host' })
  })

  test.each([
    ['self-signed', 'unknown-authority', /unknown authority/],
    ['wrong-host', 'wrong-host', /for another host/],
    ['expired', 'expired', /expired/],
  ] as const)('%s certificate: the tls stage names %s', async (tls, tlsProblem, words) => {
    const server = await serve({ behavior: 'healthy', tls })
    const outcome = await ask(server.url)
    expect(outcome).toMatchObject({ stage: 'tls', tlsProblem })
    expect(describeOutcome(outcome)).toMatch(words)
    expect(server.requests).toEqual([])
  })

  test('http:// server behind an https:// URL: a TLS handshake failure', async () => {
    const server = await serve({ behavior: 'healthy' })
    const outcome = await ask(server.url.replace('http:', 'https:'))
    expect(outcome).toMatchObject({ stage: 'tls', tlsProblem: 'handshake' })
  })

  test('slow but healthy: 200, and the wait shows in the http timing', async () => {
    const server = await serve({ behavior: 'slow', delayMs: 300 })
    const outcome = await ask(server.url)
    expect(outcome).toMatchObject({ stage: 'ok', status: 200 })
    expect(outcome.timings.httpMs).toBeGreaterThanOrEqual(280)
    expect(outcome.timings.totalMs).toBeGreaterThanOrEqual(290)
  })

  test('without the CA in SSL_CERT_FILE, the trusted server is an unknown authority, as for Go', async () => {
    const server = await serve({ behavior: 'healthy', tls: 'trusted' })
    const env = { SSL_CERT_FILE: path.join(scratch, 'missing.pem'), SSL_CERT_DIR: path.join(scratch, 'no-such-dir') }
    const untrusting = createHttpProbe({ caCertificates: goTrustedCertificates(env, 'linux'), env })
    const outcome = await untrusting({ url: `${server.url}${LIST}`, credentials: [], timeoutMs: 2000 })
    expect(outcome).toMatchObject({ stage: 'tls', tlsProblem: 'unknown-authority' })
  })
})
