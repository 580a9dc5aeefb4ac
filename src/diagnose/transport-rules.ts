import { isSumdbUrl, type GoFailureContext } from './context.js'
import { entryFacts, fallbackWords, hostOf, separatorFix } from './entry-words.js'
import { urlInText, type GoErrorEntry } from './go-error.js'
import { headThenTail } from './text-scan.js'
import type { Diagnosis } from './types.js'

interface TransportRule {
  matches: (text: string) => boolean
  code: string
  title: (where: string) => string
  detail: string
  fix: (host: string) => string
}

const TRANSPORT_RULES: TransportRule[] = [
  {
    matches: (text) =>
      /x509: certificate signed by unknown authority|x509: certificate is not trusted/.test(text) ||
      headThenTail(text, /failed to verify certificate: x509: /, ['unknown authority', 'not standards compliant']) !==
        undefined,
    code: 'tls-unknown-authority',
    title: (where) => `${where}: certificate signed by an unknown authority`,
    detail:
      'The certificate was not issued by a CA Go trusts (self-signed, or a private CA missing from the trust store).',
    fix: (host) =>
      `Trust the CA that signed the certificate of ${host}: point SSL_CERT_FILE (or SSL_CERT_DIR) at a bundle that holds it — Go reads both on Linux.`,
  },
  {
    matches: (text) => text.includes('x509: certificate has expired or is not yet valid'),
    code: 'tls-expired',
    title: (where) => `${where}: certificate expired (or not yet valid)`,
    detail: 'The certificate is outside its validity period.',
    fix: (host) => `Renew the certificate of ${host} (or fix the runner's clock).`,
  },
  {
    matches: (text) =>
      headThenTail(text, /x509: certificate is valid for /, [', not ']) !== undefined ||
      /x509: cannot validate certificate for \S+ because it doesn't contain any IP SANs/.test(text),
    code: 'tls-wrong-host',
    title: (where) => `${where}: the certificate is for another host`,
    detail: 'The certificate does not name the host Go connected to.',
    fix: (host) => `Use the host name the certificate names in the URL, or reissue the certificate for ${host}.`,
  },
  {
    matches: (text) => text.includes('proxyconnect tcp:'),
    code: 'http-proxy',
    title: (where) => `${where}: the HTTP proxy from HTTPS_PROXY/HTTP_PROXY failed`,
    detail:
      'Go sends its requests through the proxy named in HTTPS_PROXY/HTTP_PROXY, and connecting to that proxy failed.',
    fix: () => 'Check HTTPS_PROXY, HTTP_PROXY and NO_PROXY in the job environment.',
  },
  {
    matches: (text) => /lookup \S+(?: on \S+)?: (?:no such host|server misbehaving)/.test(text),
    code: 'dns',
    title: (where) => `${where}: host name not found`,
    detail: 'DNS has no address for the host.',
    fix: (host) => `Check the spelling of ${host} and that the runner can resolve it (DNS, /etc/hosts, VPN).`,
  },
  {
    matches: (text) => headThenTail(text, /lookup \S/, [': i/o timeout']) !== undefined,
    code: 'dns-timeout',
    title: (where) => `${where}: DNS lookup timed out`,
    detail: 'The DNS server did not answer.',
    fix: () => 'Check the runner’s DNS configuration and network.',
  },
  {
    matches: (text) => text.includes('connect: connection refused'),
    code: 'tcp-refused',
    title: (where) => `${where}: connection refused`,
    detail: 'Nothing accepts connections at that address and port.',
    fix: (host) => `Check the port in the URL and that ${host} is running and reachable from the runner.`,
  },
  {
    matches: (text) =>
      headThenTail(text, /dial tcp /, [': i/o timeout']) !== undefined ||
      /net\/http: TLS handshake timeout|context deadline exceeded|Client\.Timeout exceeded/.test(text),
    code: 'timeout',
    title: (where) => `${where}: timed out`,
    detail: 'The connection could not be made in time (a firewall dropping packets looks like this).',
    fix: (host) => `Check that the runner may reach ${host} (firewall, egress rules, HTTPS_PROXY).`,
  },
  {
    matches: (text) =>
      /connection reset by peer|EOF$|unexpected EOF|server closed the connection|broken pipe/m.test(text),
    code: 'connection-reset',
    title: (where) => `${where}: connection dropped`,
    detail: 'The server (or something in between) closed the connection before answering.',
    fix: (host) => `Check the health of ${host}, and any proxy or firewall in between.`,
  },
  {
    matches: (text) => /no route to host|network is unreachable/.test(text),
    code: 'unreachable',
    title: (where) => `${where}: network unreachable`,
    detail: 'There is no network route to the host.',
    fix: (host) => `Check the runner's network and that ${host} is reachable from it.`,
  },
  {
    // `tls: ` as Go's crypto/tls prints it, not the end of a package path such as example.com/x/tls
    matches: (text) => /(?:^|[\s"(])tls: |remote error: tls|http: server gave HTTP response to HTTPS client/.test(text),
    code: 'tls-handshake',
    title: (where) => `${where}: TLS handshake failed`,
    detail: 'Go could not set up TLS with the server (an http server behind an https:// URL fails like this).',
    fix: (host) => `Check that ${host} speaks TLS on that port, or use the URL scheme it serves.`,
  },
]

/** Transport failures (`Get "<url>": …`): TLS, DNS, TCP, timeouts, resets. */
export function classifyTransport(entry: GoErrorEntry, context: GoFailureContext): Diagnosis | undefined {
  const rule = TRANSPORT_RULES.find((r) => r.matches(entry.text))
  if (rule === undefined) return undefined
  const url = urlInText(entry.text)
  const host = url ? hostOf(url) : 'the server'
  const sumdb = url !== undefined && isSumdbUrl(url, context)
  const direct = /unrecognized import path|https fetch:|go-get=1/.test(entry.text)
  const where = sumdb ? `checksum database ${host}` : direct ? `direct fetch from ${host}` : `module proxy ${host}`
  const prefix = sumdb ? 'sumdb' : direct ? 'direct' : 'proxy'
  const fallback = url !== undefined && !sumdb && !direct ? fallbackWords(url, 'error', context) : ''
  const sumdbWords = sumdb
    ? ' Every module missing from go.sum fails verification until the checksum database is reachable.'
    : ''
  return {
    code: `${prefix}-${rule.code}`,
    kind: 'proxy',
    severity: 'error',
    title: rule.title(where),
    detail: `${rule.detail}${fallback}${sumdbWords}`,
    fix: `${rule.fix(host)}${url !== undefined && !sumdb && !direct ? separatorFix(url, context) : ''}`,
    ...entryFacts(entry, url),
  }
}
