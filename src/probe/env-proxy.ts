import net from 'node:net'

type Env = Readonly<Record<string, string | undefined>>

function first(env: Env, ...names: string[]): string {
  for (const name of names) {
    const value = env[name]
    if (value !== undefined && value !== '') return value
  }
  return ''
}

function isLoopback(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost')) return true
  if (net.isIPv4(host)) return host.startsWith('127.')
  return host === '::1'
}

function ipv4ToNumber(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0)
}

function inCidr(host: string, cidr: string): boolean {
  const [base = '', bitsText = ''] = cidr.split('/')
  const bits = Number(bitsText)
  if (!net.isIPv4(host) || !net.isIPv4(base) || !Number.isInteger(bits) || bits < 0 || bits > 32) return false
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0
  return (ipv4ToNumber(host) & mask) >>> 0 === (ipv4ToNumber(base) & mask) >>> 0
}

/** One NO_PROXY element against host and port, the way golang.org/x/net/http/httpproxy reads it. */
function excludedBy(element: string, host: string, port: string): boolean {
  const item = element.trim().toLowerCase()
  if (item === '') return false
  if (item === '*') return true
  if (item.includes('/')) return inCidr(host, item)
  if (net.isIP(item) !== 0) return item === host
  const [name = '', itemPort = ''] = item.startsWith('[') ? [item] : item.split(':')
  if (itemPort !== '' && itemPort !== port) return false
  if (net.isIP(name) !== 0) return name === host
  const domain = name.replace(/^\*?\./, '')
  return host === domain || host.endsWith(`.${domain}`)
}

/**
 * The HTTP proxy the go command would use for `url` (HTTPS_PROXY for https, HTTP_PROXY for http, NO_PROXY
 * exclusions, loopback never proxied), so probes take the same path as Go's own requests. Undefined: connect directly.
 */
export function environmentProxyFor(url: string, env: Env): string | undefined {
  let target: URL
  try {
    target = new URL(url)
  } catch {
    return undefined
  }
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase()
  if (isLoopback(host)) return undefined
  const proxy =
    target.protocol === 'https:'
      ? first(env, 'HTTPS_PROXY', 'https_proxy')
      : env['REQUEST_METHOD'] !== undefined
        ? '' // Go ignores HTTP_PROXY in a CGI environment (httpoxy)
        : first(env, 'HTTP_PROXY', 'http_proxy')
  if (proxy === '') return undefined
  const port = target.port !== '' ? target.port : target.protocol === 'https:' ? '443' : '80'
  const noProxy = first(env, 'NO_PROXY', 'no_proxy')
  if (noProxy.split(',').some((element) => excludedBy(element, host, port))) return undefined
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`
}
