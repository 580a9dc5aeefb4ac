// In-process loopback servers that misbehave on purpose, for the probe and diagnosis tests: healthy, 404/410,
// any status, auth, hang, reset, slow, silent (accepts TCP and never speaks), and TLS that is trusted, self-signed,
// for another host, or expired. Certificates come from the openssl CLI (argv only), under a throwaway CA.
import { execFile } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import http from 'node:http'
import https from 'node:https'
import net from 'node:net'
import path from 'node:path'
import { promisify } from 'node:util'

const execFileAsync = promisify(execFile)

export type FaultBehavior = 'healthy' | 'not-found' | 'gone' | 'status' | 'hang' | 'reset' | 'slow' | 'silent'
export type TlsMode = 'none' | 'trusted' | 'self-signed' | 'wrong-host' | 'expired' | 'corp-name'

/** A made-up host name that is never resolved: only a CONNECT proxy from startConnectProxy knows where it is. */
export const CORP_TEST_HOST = 'proxy.corp.test'

export interface KeyPair {
  key: string
  cert: string
}

export interface TestCertificates {
  dir: string
  /** PEM file of the throwaway CA: point SSL_CERT_FILE here so Go and the probe trust it */
  caFile: string
  ca: string
  trusted: KeyPair
  selfSigned: KeyPair
  wrongHost: KeyPair
  expired: KeyPair
  /** CA-signed, for the made-up name proxy.corp.test (reached only through startConnectProxy) */
  corpName: KeyPair
}

export interface FaultServerOptions {
  behavior: FaultBehavior
  /** behavior `status`: the status to answer everything with */
  status?: number
  /** error body (text/plain) */
  body?: string
  /** behavior `slow`: delay before each answer */
  delayMs?: number
  tls?: TlsMode
  /** required Basic credentials; failures get failStatus (default 401) */
  auth?: { username: string; password: string; failStatus?: number }
  /** a directory in GOPROXY layout to serve (healthy/slow); without it, any `@v/list` gets `v1.0.0` */
  root?: string
  /** status for `/sumdb/<name>/supported` (default 404: "this proxy does not mirror checksum databases") */
  sumdbSupported?: number
  /** status for `/sumdb/<name>/latest` and `/latest` (default 200 with a signed-note-like body) */
  sumdbLatest?: number
}

export interface RecordedRequest {
  method: string
  path: string
  authorization?: string
}

export interface FaultServer {
  /** base URL, e.g. https://127.0.0.1:40123 */
  url: string
  port: number
  requests: RecordedRequest[]
  close(): Promise<void>
}

const certificateCache = new Map<string, Promise<TestCertificates>>()

async function openssl(args: string[], cwd: string): Promise<void> {
  await execFileAsync('openssl', args, { cwd })
}

async function issue(dir: string, name: string, subjectAltName: string, days: string): Promise<KeyPair> {
  await openssl(
    [
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
      '-subj',
      `/CN=${name}`,
    ],
    dir,
  )
  await writeFile(
    path.join(dir, `${name}.ext`),
    `subjectAltName=${subjectAltName}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`,
  )
  // A negative -days gives a certificate whose notAfter is already past: an expired one.
  await openssl(
    [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      days,
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.pem`,
    ],
    dir,
  )
  return {
    key: await readFile(path.join(dir, `${name}.key`), 'utf8'),
    cert: await readFile(path.join(dir, `${name}.pem`), 'utf8'),
  }
}

/** A CA and leaf certificates for 127.0.0.1 / localhost (trusted, expired), another host, and a self-signed one. */
export function makeTestCertificates(dir: string): Promise<TestCertificates> {
  const cached = certificateCache.get(dir)
  if (cached) return cached
  const made = (async (): Promise<TestCertificates> => {
    await mkdir(dir, { recursive: true })
    await openssl(
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        'ca.key',
        '-out',
        'ca.pem',
        '-days',
        '7',
        '-subj',
        '/CN=goproxy-guard fault-server CA',
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign',
      ],
      dir,
    )
    const loopback = 'IP:127.0.0.1,DNS:localhost'
    const trusted = await issue(dir, 'trusted', loopback, '7')
    const wrongHost = await issue(dir, 'wrong-host', 'DNS:wrong-host.invalid', '7')
    const expired = await issue(dir, 'expired', loopback, '-1')
    const corpName = await issue(dir, 'corp-name', `DNS:${CORP_TEST_HOST}`, '7')
    await openssl(
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        'self.key',
        '-out',
        'self.pem',
        '-days',
        '7',
        '-subj',
        '/CN=self-signed',
        '-addext',
        `subjectAltName=${loopback}`,
      ],
      dir,
    )
    const selfSigned = {
      key: await readFile(path.join(dir, 'self.key'), 'utf8'),
      cert: await readFile(path.join(dir, 'self.pem'), 'utf8'),
    }
    const caFile = path.join(dir, 'ca.pem')
    return { dir, caFile, ca: await readFile(caFile, 'utf8'), trusted, selfSigned, wrongHost, expired, corpName }
  })()
  certificateCache.set(dir, made)
  return made
}

function keyPairFor(mode: TlsMode, certificates: TestCertificates | undefined): KeyPair | undefined {
  if (mode === 'none') return undefined
  if (certificates === undefined) throw new Error(`tls ${mode} needs certificates (makeTestCertificates)`)
  switch (mode) {
    case 'trusted':
      return certificates.trusted
    case 'self-signed':
      return certificates.selfSigned
    case 'wrong-host':
      return certificates.wrongHost
    case 'expired':
      return certificates.expired
    case 'corp-name':
      return certificates.corpName
  }
}

function text(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) })
  res.end(body)
}

function serveFromRoot(root: string | undefined, urlPath: string, res: http.ServerResponse): void {
  if (root === undefined) {
    if (urlPath.endsWith('/@v/list')) return text(res, 200, 'v1.0.0\n')
    if (/\/@v\/[^/]+\.info$/.test(urlPath)) {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end('{"Version":"v1.0.0","Time":"2024-01-01T00:00:00Z"}')
      return
    }
    return text(res, 404, `not found: ${urlPath}\n`)
  }
  const file = path.join(root, ...urlPath.split('/').filter((p) => p !== '' && p !== '..'))
  if (existsSync(file) && statSync(file).isFile()) {
    const data = readFileSync(file)
    res.writeHead(200, { 'content-length': data.length })
    res.end(data)
    return
  }
  text(res, 404, `not found: ${urlPath}\n`)
}

function handler(options: FaultServerOptions, requests: RecordedRequest[]): http.RequestListener {
  return (req, res) => {
    const urlPath = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/')
    requests.push({
      method: req.method ?? 'GET',
      path: urlPath,
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    })
    if (options.behavior === 'hang') return // never answer; close() destroys the socket
    if (options.behavior === 'reset') {
      req.socket.resetAndDestroy()
      return
    }
    if (options.auth) {
      const expected = `Basic ${Buffer.from(`${options.auth.username}:${options.auth.password}`).toString('base64')}`
      if (req.headers.authorization !== expected)
        return text(res, options.auth.failStatus ?? 401, 'authentication required\n')
    }
    switch (options.behavior) {
      case 'not-found':
        return text(res, 404, `not found: ${urlPath}\n`)
      case 'gone':
        return text(res, 410, `gone: ${urlPath}\n`)
      case 'status':
        return text(res, options.status ?? 500, options.body ?? `failing on purpose (${options.status ?? 500})\n`)
      default:
        break
    }
    const answer = (): void => {
      const sumdb = /^\/sumdb\/[^/]+\/(supported|latest)$/.exec(urlPath)
      if (sumdb?.[1] === 'supported') {
        const status = options.sumdbSupported ?? 404
        return status === 200 ? text(res, 200, '') : text(res, status, `no checksum database here\n`)
      }
      if (sumdb?.[1] === 'latest' || urlPath === '/latest') {
        const status = options.sumdbLatest ?? 200
        return text(
          res,
          status,
          status === 200 ? 'go.sum database tree\n1\nAAAA\n\n— fault-server sig\n' : 'unavailable\n',
        )
      }
      serveFromRoot(options.root, urlPath, res)
    }
    if (options.behavior === 'slow') setTimeout(answer, options.delayMs ?? 300)
    else answer()
  }
}

/** Starts one server on 127.0.0.1 with a random port. */
export async function startFaultServer(
  options: FaultServerOptions,
  certificates?: TestCertificates,
): Promise<FaultServer> {
  const requests: RecordedRequest[] = []
  const mode = options.tls ?? 'none'
  const sockets = new Set<net.Socket>()
  let server: net.Server
  if (options.behavior === 'silent') {
    server = net.createServer((socket) => {
      socket.on('error', () => undefined)
    })
  } else {
    const pair = keyPairFor(mode, certificates)
    server = pair
      ? https.createServer({ key: pair.key, cert: pair.cert }, handler(options, requests))
      : http.createServer(handler(options, requests))
    server.on('tlsClientError', () => undefined)
  }
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => undefined)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  const scheme = mode === 'none' ? 'http' : 'https'
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

/** A URL whose port has nothing listening (bound, then released), for "connection refused". */
export async function refusedUrl(scheme: 'http' | 'https' = 'http'): Promise<string> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return `${scheme}://127.0.0.1:${port}`
}

/**
 * An environment fragment that keeps the real `go` (and the probe) off the internet: every non-loopback HTTP(S)
 * request goes to an HTTP proxy on a loopback port where nothing listens, so it fails at once without DNS.
 * Loopback addresses are never proxied, by Go or by the probe.
 */
export async function blackholeProxyEnv(): Promise<Record<string, string>> {
  const url = await refusedUrl('http')
  return { HTTPS_PROXY: url, HTTP_PROXY: url, NO_PROXY: '' }
}

export interface ConnectProxy {
  url: string
  /** `host:port` of every CONNECT request */
  connects: string[]
  close(): Promise<void>
}

/**
 * An HTTP CONNECT proxy on loopback that tunnels every request to `target` (a loopback port), whatever host was
 * asked for — so a client can reach "proxy.corp.test" without any DNS. With `refuse`, it answers that status instead.
 */
export async function startConnectProxy(target: number, refuse?: number): Promise<ConnectProxy> {
  const connects: string[] = []
  const sockets = new Set<net.Socket>()
  const server = http.createServer((_req, res) => text(res, 405, 'CONNECT only\n'))
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    connects.push(req.url ?? '')
    sockets.add(client)
    client.on('error', () => undefined)
    if (refuse !== undefined) {
      client.end(`HTTP/1.1 ${refuse} Refused\r\nContent-Length: 0\r\n\r\n`)
      return
    }
    const upstream = net.connect({ host: '127.0.0.1', port: target }, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      if (head.length > 0) upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    sockets.add(upstream)
    upstream.on('error', () => client.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    connects,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
