import type { TlsProblem } from './types.js'

const EXPIRED = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID'])
const UNKNOWN_AUTHORITY = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_CHAIN_TOO_LONG',
  'INVALID_CA',
])
const WRONG_HOST = new Set(['ERR_TLS_CERT_ALTNAME_INVALID', 'HOSTNAME_MISMATCH'])

export function errorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string')
    return error.code
  return ''
}

export function errorMessage(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string') {
    return error.message
  }
  return String(error)
}

/** What a TLS error from Node means, in Go's terms. */
export function tlsProblemOf(error: unknown): TlsProblem {
  const code = errorCode(error)
  if (EXPIRED.has(code)) return 'expired'
  if (UNKNOWN_AUTHORITY.has(code)) return 'unknown-authority'
  if (WRONG_HOST.has(code)) return 'wrong-host'
  return 'handshake'
}

/** True when the error came from certificate checks or the TLS handshake rather than the network. */
export function isTlsError(error: unknown): boolean {
  const code = errorCode(error)
  return (
    EXPIRED.has(code) ||
    UNKNOWN_AUTHORITY.has(code) ||
    WRONG_HOST.has(code) ||
    code.startsWith('ERR_SSL') ||
    code.startsWith('ERR_TLS') ||
    code === 'EPROTO'
  )
}

/** A short description of a network error, worded like Go's (so people can match it with what `go` prints). */
export function describeNetworkError(error: unknown): string {
  const code = errorCode(error)
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_NONAME':
      return 'no such host'
    case 'EAI_AGAIN':
      return 'temporary DNS failure (server misbehaving)'
    case 'ECONNREFUSED':
      return 'connection refused'
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'connection reset by peer'
    case 'EHOSTUNREACH':
      return 'no route to host'
    case 'ENETUNREACH':
      return 'network is unreachable'
    case 'ETIMEDOUT':
      return 'i/o timeout'
    case 'EPIPE':
      return 'broken pipe'
    default:
      return code === '' ? errorMessage(error) : `${errorMessage(error)} (${code})`
  }
}

/** The certificate problem in words, naming the cause rather than the OpenSSL code. */
export function describeTlsProblem(problem: TlsProblem): string {
  switch (problem) {
    case 'expired':
      return 'the certificate has expired (or is not valid yet)'
    case 'unknown-authority':
      return 'the certificate is signed by an unknown authority (self-signed, or a private CA that is not trusted)'
    case 'wrong-host':
      return 'the certificate is for another host'
    case 'handshake':
      return 'the TLS handshake failed'
  }
}
