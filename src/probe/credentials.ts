import type { Credential } from '../settings/types.js'

/**
 * The credential Go would send with a request to `url`: only over https (Go never adds netrc or GOAUTH credentials
 * to http requests), looked up by `host:port` first and then by host, as the netrc file we write gives them.
 */
export function credentialFor(url: string, credentials: readonly Credential[]): Credential | undefined {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return undefined
  }
  if (parsed.protocol !== 'https:') return undefined
  const host = parsed.hostname.toLowerCase()
  const withPort = parsed.port === '' ? undefined : `${host}:${parsed.port}`
  return (
    (withPort === undefined ? undefined : credentials.find((c) => c.host.toLowerCase() === withPort)) ??
    credentials.find((c) => c.host.toLowerCase() === host)
  )
}

/** The Authorization header value for a credential (HTTP Basic, as net/http's SetBasicAuth writes it). */
export function basicAuthorization(credential: Credential): string {
  return `Basic ${Buffer.from(`${credential.username}:${credential.secret}`, 'utf8').toString('base64')}`
}

/** The Authorization value Go would send to `url`, if any. */
export function authorizationFor(url: string, credentials: readonly Credential[]): string | undefined {
  const credential = credentialFor(url, credentials)
  return credential === undefined ? undefined : basicAuthorization(credential)
}
