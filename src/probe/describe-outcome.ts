import { describeTlsProblem } from './failure-text.js'
import type { ProbeOutcome } from './types.js'

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  407: 'Proxy Authentication Required',
  410: 'Gone',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
}

export function statusLine(status: number): string {
  const text = STATUS_TEXT[status]
  return text === undefined ? String(status) : `${status} ${text}`
}

const STAGE_NAMES = {
  dns: 'DNS lookup',
  tcp: 'TCP connect',
  proxy: 'HTTP proxy (from HTTPS_PROXY/HTTP_PROXY)',
  tls: 'TLS handshake',
  http: 'waiting for the response',
  body: 'reading the response body',
} as const

/** The stage a failure belongs to, for tables: `dns`, `tls (expired)`, `http 403`, `timeout (tls)`. */
export function failingStage(outcome: ProbeOutcome): string {
  switch (outcome.stage) {
    case 'ok':
    case 'file':
      return outcome.status === undefined || outcome.status === 200
        ? ''
        : `${outcome.stage === 'file' ? 'file' : 'http'} ${outcome.status}`
    case 'tls':
      return `tls (${outcome.tlsProblem ?? 'handshake'})`
    case 'timeout':
      return `timeout (${outcome.timedOutDuring ?? 'unknown'})`
    default:
      return outcome.stage
  }
}

/** One sentence on what the probe saw, e.g. "TLS handshake failed: the certificate has expired". */
export function describeOutcome(outcome: ProbeOutcome): string {
  switch (outcome.stage) {
    case 'ok':
    case 'file': {
      const status = outcome.status ?? 0
      const head =
        outcome.stage === 'file'
          ? `${outcome.error ?? 'file proxy'} (Go reads this as ${statusLine(status)})`
          : `HTTP ${statusLine(status)}`
      return outcome.serverMessage === undefined
        ? head
        : `${head}; server response: ${outcome.serverMessage.replace(/\n/g, ' / ')}`
    }
    case 'tls':
      return `TLS handshake failed: ${describeTlsProblem(outcome.tlsProblem ?? 'handshake')}`
    case 'timeout':
      return `no answer within ${outcome.timings.totalMs} ms (stuck at: ${STAGE_NAMES[outcome.timedOutDuring ?? 'http']})`
    case 'config':
      return `not a usable URL: ${outcome.error ?? ''}`
    default:
      return `${STAGE_NAMES[outcome.stage]} failed: ${outcome.error ?? 'unknown error'}`
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}

/** The change that fixes what the probe saw (the entry's own problem; separator advice is added by the verdict). */
export function fixForOutcome(outcome: ProbeOutcome): string {
  const host = hostOf(outcome.url)
  const https = outcome.url.startsWith('https:')
  switch (outcome.stage) {
    case 'dns':
      return `Check the host name ${host} and that the runner can resolve it (DNS, /etc/hosts, VPN).`
    case 'tcp':
      return `Check that something listens on ${host} and that the runner may connect to it (port, firewall, HTTPS_PROXY).`
    case 'proxy':
      return 'Check HTTPS_PROXY/HTTP_PROXY (and NO_PROXY): Go uses the same proxy for its requests.'
    case 'tls':
      switch (outcome.tlsProblem) {
        case 'expired':
          return `Renew the certificate of ${host} (or fix the runner's clock).`
        case 'unknown-authority':
          return `Trust the CA that signed the certificate of ${host}: point SSL_CERT_FILE (or SSL_CERT_DIR) at a bundle that holds it — Go reads both on Linux.`
        case 'wrong-host':
          return `The certificate is for another host: write the host name the certificate names in GOPROXY, or reissue the certificate for ${host}.`
        default:
          return `Check that ${host} speaks TLS on this port (an http:// server behind an https:// URL fails like this).`
      }
    case 'timeout':
      return outcome.timedOutDuring === 'http' || outcome.timedOutDuring === 'body'
        ? `Fix or remove ${host}: it accepts connections but does not answer.`
        : `Check the network path to ${host}; raise probe-timeout if it is merely slow.`
    case 'body':
      return `${host} dropped the connection while sending the response; check the proxy's health and logs.`
    case 'http':
      return outcome.error?.includes('insecure URL')
        ? `${host} redirects to plain http, which Go refuses; make it redirect to https.`
        : `${host} reset the connection or redirected too often; check the proxy's health and logs.`
    case 'config':
      return 'Fix the GOPROXY entry.'
    case 'ok':
    case 'file':
      break
  }
  const status = outcome.status ?? 0
  if (status === 401 || status === 407 || status === 403) {
    if (!https && outcome.stage === 'ok') {
      return `Go never sends credentials over http: use https://${host} in GOPROXY.`
    }
    if (!outcome.authSent) {
      return `No credentials were sent to ${host}: add a line '${host} USERNAME TOKEN' to the auth input (Go sends netrc credentials over https only).`
    }
    return status === 403
      ? `The credentials for ${host} were accepted but not allowed this module: check the token's permissions, or the proxy's policy for this module.`
      : `The credentials for ${host} were refused: check the user name, the token and its expiry.`
  }
  if (status === 429) return `${host} is rate limiting: authenticate, slow down, or use a mirror closer to the runner.`
  if (status >= 500)
    return `${host} is failing (${statusLine(status)}): check its health and logs, or use another proxy.`
  if (status === 404 || status === 410)
    return `Check the URL of ${host} in GOPROXY (a wrong path makes every module 404).`
  return `Check ${host}: Go treats ${statusLine(status)} as an error.`
}

/** A stable code for a failure, e.g. `proxy-tls-expired`, `sumdb-http-5xx`, `proxy-hangs`. */
export function outcomeCode(prefix: 'proxy' | 'sumdb', outcome: ProbeOutcome): string {
  switch (outcome.stage) {
    case 'tls':
      return `${prefix}-tls-${outcome.tlsProblem ?? 'handshake'}`
    case 'timeout':
      return outcome.timedOutDuring === 'http' || outcome.timedOutDuring === 'body'
        ? `${prefix}-hangs`
        : `${prefix}-timeout-${outcome.timedOutDuring ?? 'connect'}`
    case 'ok':
    case 'file': {
      const status = outcome.status ?? 0
      if (status >= 500) return `${prefix}-http-5xx`
      return `${prefix}-http-${status}`
    }
    default:
      return `${prefix}-${outcome.stage}`
  }
}
