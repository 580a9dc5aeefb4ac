import tls from 'node:tls'
import { Agent, ProxyAgent, type Dispatcher } from 'undici'
import { withoutUserinfo } from '../settings/errors.js'
import { authorizationFor } from './credentials.js'
import { environmentProxyFor } from './env-proxy.js'
import { describeNetworkError, describeTlsProblem, errorMessage, isTlsError, tlsProblemOf } from './failure-text.js'
import { goServerMessage } from './server-message.js'
import { statusClassOf } from './status-class.js'
import { addTiming, newRecorder, timedConnector, type ConnectionRecorder, type HostLookup } from './timed-connector.js'
import type { HttpProbe, ProbeOutcome, ProbeRequest } from './types.js'

const MAX_REDIRECTS = 10
/** Enough for any `@v/list`, `.info` or sumdb `latest`; larger bodies are cut off (the probe only needs to see them flow). */
const MAX_BODY_BYTES = 1 << 20
const USER_AGENT = 'goproxy-guard-probe (+https://go.dev/ref/mod#goproxy-protocol)'

export interface HttpProbeOptions {
  /** PEM roots to trust: what Go trusts (see goTrustedCertificates) plus any extra */
  caCertificates: string[]
  /** for HTTPS_PROXY / HTTP_PROXY / NO_PROXY */
  env: Readonly<Record<string, string | undefined>>
  /** name resolution (default: the system resolver, as Go's cgo/netgo resolvers read /etc/hosts and DNS) */
  lookup?: HostLookup
}

/**
 * The real probe: undici over a connector that times DNS, TCP and TLS separately. Each probe gets a fresh
 * connection (no pooling), so timings describe what a new `go` process sees. Redirects are followed as Go follows
 * them (at most 10, never from https to http), with credentials chosen afresh for each hop.
 *
 * When an HTTP proxy from the environment applies, requests go through undici's ProxyAgent, as Go's would go through
 * the proxy; stage timings are then not split, and a failure is pinned to a stage from the error it produced.
 */
export function createHttpProbe(options: HttpProbeOptions): HttpProbe {
  const secureContext = tls.createSecureContext({ ca: options.caCertificates })
  return (request) => probeOnce(request, secureContext, options)
}

type HopResponse = Dispatcher.ResponseData

async function probeOnce(
  request: ProbeRequest,
  secureContext: tls.SecureContext,
  options: HttpProbeOptions,
): Promise<ProbeOutcome> {
  const started = performance.now()
  const recorder = newRecorder()
  const controller = new AbortController()
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    controller.abort(new Error('probe timeout'))
    for (const socket of recorder.sockets) socket.destroy()
  }, request.timeoutMs)

  const proxy = environmentProxyFor(request.url, options.env)
  const dispatcher: Dispatcher = proxy
    ? new ProxyAgent({ uri: proxy, requestTls: { secureContext }, proxyTls: { secureContext } })
    : new Agent({ connect: timedConnector(recorder, secureContext, controller.signal, options.lookup), pipelining: 0 })
  if (proxy) recorder.stage = 'proxy'

  let url = request.url
  let authSent = false
  const outcome = (fields: Partial<ProbeOutcome>): ProbeOutcome => ({
    url: withoutUserinfo(request.url),
    stage: 'ok',
    authSent,
    ...fields,
    timings: { ...recorder.timings, totalMs: Math.round(performance.now() - started) },
  })

  try {
    for (let hop = 0; ; hop++) {
      const authorization = authorizationFor(url, request.credentials)
      if (authorization !== undefined) authSent = true
      const sentAt = performance.now()
      const target = new URL(url)
      const response = await dispatcher.request({
        origin: target.origin,
        path: `${target.pathname}${target.search}`,
        method: 'GET',
        headers: { 'user-agent': USER_AGENT, ...(authorization ? { authorization } : {}) },
        signal: controller.signal,
      })
      addTiming(recorder, 'httpMs', performance.now() - Math.max(sentAt, recorder.connectedAt ?? sentAt))
      recorder.stage = 'body'
      const location = header(response.headers, 'location')
      if (response.statusCode >= 300 && response.statusCode < 400 && location !== undefined) {
        await response.body.dump()
        const next = new URL(location, url)
        if (target.protocol === 'https:' && next.protocol !== 'https:') {
          return outcome({
            stage: 'http',
            status: response.statusCode,
            statusClass: 'redirect',
            error: `redirected from secure URL ${withoutUserinfo(url)} to insecure URL ${withoutUserinfo(next.href)}`,
          })
        }
        if (hop + 1 >= MAX_REDIRECTS) {
          return outcome({
            stage: 'http',
            status: response.statusCode,
            statusClass: 'redirect',
            error: 'stopped after 10 redirects',
          })
        }
        url = next.href
        // A new connection, if needed, moves the stage back to dns in the connector.
        recorder.stage = 'http'
        continue
      }
      const bodyStarted = performance.now()
      const text = await readCapped(response.body)
      addTiming(recorder, 'bodyMs', performance.now() - bodyStarted)
      const contentType = header(response.headers, 'content-type')
      return outcome({
        url: withoutUserinfo(url),
        status: response.statusCode,
        statusClass: statusClassOf(response.statusCode),
        ...(response.statusCode === 200 ? {} : { serverMessage: goServerMessage(contentType, text) }),
      })
    }
  } catch (error) {
    if (timedOut) {
      return outcome({
        stage: 'timeout',
        timedOutDuring: recorder.stage,
        error: `no answer within ${request.timeoutMs} ms`,
      })
    }
    return outcome(failureFields(error, recorder, proxy !== undefined))
  } finally {
    clearTimeout(timer)
    for (const socket of recorder.sockets) socket.destroy()
    await dispatcher.destroy().catch(() => undefined)
  }
}

function failureFields(error: unknown, recorder: ConnectionRecorder, viaProxy: boolean): Partial<ProbeOutcome> {
  const message = withoutUserinfo(errorMessage(error))
  if (isTlsError(error)) {
    const tlsProblem = tlsProblemOf(error)
    return { stage: 'tls', tlsProblem, error: `${describeTlsProblem(tlsProblem)}: ${message}` }
  }
  if (viaProxy) {
    const stage = /Proxy response|tunnel/i.test(message) || recorder.stage === 'proxy' ? 'proxy' : recorder.stage
    return { stage, error: message }
  }
  const stage = recorder.failedStage ?? recorder.stage
  return { stage, error: describeNetworkError(error) }
}

function header(headers: HopResponse['headers'], name: string): string | undefined {
  const value = headers[name]
  return Array.isArray(value) ? value[0] : value
}

async function readCapped(body: HopResponse['body']): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array)
    chunks.push(buffer)
    size += buffer.length
    if (size >= MAX_BODY_BYTES) {
      body.destroy()
      break
    }
  }
  return Buffer.concat(chunks).toString('utf8')
}
