import { isIP } from 'node:net'
import { containsControlCharacter, goQuote } from './go-strings.js'

// A port of the parts of Go's net/url.Parse that decide whether the go command accepts a URL (Go 1.26, with the
// strict colon rule for http and https hosts). WHATWG URL parsing (Node's URL) accepts and rejects different strings,
// so validating GOPROXY or GOSUMDB with it would disagree with Go.

type Mode = 'path' | 'host' | 'zone' | 'userPassword' | 'fragment'

/** The URL as Go's url.Parse sees it. Strings are decoded; bytes that are not UTF-8 become U+FFFD. */
export interface GoUrl {
  /** lower-case */
  scheme: string
  opaque: string
  user?: GoUserinfo
  /** decoded host[:port] */
  host: string
  path: string
  /** set when the path's escaping differs from Go's default escaping of it */
  rawPath: string
  rawQuery: string
  forceQuery: boolean
  fragment: string
  /** `scheme:/path`: a scheme and an absolute path but no `//` authority */
  omitHost: boolean
}

export interface GoUserinfo {
  username: Uint8Array
  /** undefined when the userinfo has no `:` */
  password?: Uint8Array
}

/** Why url.Parse refused a URL, in Go's words (the part after `parse "<url>": `). */
export class GoUrlError extends Error {
  override readonly name = 'GoUrlError'
  constructor(
    /** the text Go quotes in `parse "<url>"`: the URL without its fragment, or all of it for a fragment error */
    readonly url: string,
    private readonly failure: Reason,
  ) {
    // the piece of the URL in Go's reason may be part of a password: the plain message leaves it out
    super(failure.describe(() => '…'))
  }

  /** Go's reason, exactly (it may quote a piece of the URL: use describe() for messages) */
  get reason(): string {
    return this.failure.message
  }

  /**
   * Go's reason with the piece of the URL it quotes (a port, a host character, an escape) passed through `show`,
   * which returns it unchanged when it is safe to print: in a password cut short by a `#` or `/`, that piece may be
   * part of the secret.
   */
  describe(show: (piece: string) => string): string {
    return this.failure.describe(show)
  }
}

/** url.Parse */
export function parseGoUrl(raw: string): GoUrl {
  const hash = raw.indexOf('#')
  const beforeFragment = hash < 0 ? raw : raw.slice(0, hash)
  const fragment = hash < 0 ? '' : raw.slice(hash + 1)
  let url: GoUrl
  try {
    url = parseWithoutFragment(beforeFragment)
  } catch (error) {
    if (error instanceof Reason) throw new GoUrlError(beforeFragment, error)
    throw error
  }
  if (fragment !== '') {
    try {
      url.fragment = decode(unescape(fragment, 'fragment'))
    } catch (error) {
      if (error instanceof Reason) throw new GoUrlError(raw, error)
      throw error
    }
  }
  return url
}

/** URL.EscapedPath: the path as URL.String writes it */
export function escapedPath(url: GoUrl): string {
  if (url.rawPath !== '' && validEncodedPath(url.rawPath)) {
    try {
      if (decode(unescape(url.rawPath, 'path')) === url.path) return url.rawPath
    } catch (error) {
      if (!(error instanceof Reason)) throw error
    }
  }
  if (url.path === '*') return '*'
  return escapePath(Buffer.from(url.path, 'utf8'))
}

function validEncodedPath(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if ("!$&'()*+,;=:@[]%".includes(text[i] as string)) continue
    if (c >= 0x80 || shouldEscape(c, 'path')) return false
  }
  return true
}

/** The URL text with the userinfo (everything up to the last `@` of the authority) removed, as Go splits it. */
export function withoutGoUserinfo(raw: string): string {
  const authority = authorityRange(raw)
  if (authority === undefined) return raw
  const at = raw.lastIndexOf('@', authority.end - 1)
  if (at < authority.start) return raw
  return raw.slice(0, authority.start) + raw.slice(at + 1)
}

/** Where the `//authority` of a URL with a scheme starts and ends, by Go's rules; undefined if it has none. */
function authorityRange(raw: string): { start: number; end: number } | undefined {
  const hash = raw.indexOf('#')
  const beforeFragment = hash < 0 ? raw : raw.slice(0, hash)
  const colon = schemeEnd(beforeFragment)
  if (colon <= 0 || !beforeFragment.startsWith('//', colon + 1)) return undefined
  const start = colon + 3
  let end = beforeFragment.length
  for (const stop of ['/', '?']) {
    const i = beforeFragment.indexOf(stop, start)
    if (i >= 0 && i < end) end = i
  }
  return { start, end }
}

/** index of the `:` ending a valid scheme, or -1 */
function schemeEnd(raw: string): number {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i)
    if (isAlpha(c)) continue
    if (isDigit(c) || c === 0x2b || c === 0x2d || c === 0x2e) {
      if (i === 0) return -1
      continue
    }
    return c === 0x3a ? i : -1
  }
  return -1
}

/** A parse failure inside this module, `before + quoted piece + after`; becomes a GoUrlError. */
class Reason extends Error {
  constructor(
    private readonly before: string,
    private readonly piece?: { text: string; quoted: string },
    private readonly after = '',
  ) {
    super(`${before}${piece?.quoted ?? ''}${after}`)
  }

  describe(show: (piece: string) => string): string {
    if (this.piece === undefined) return this.message
    const shown = show(this.piece.text)
    return `${this.before}${shown === this.piece.text ? this.piece.quoted : goQuote(shown)}${this.after}`
  }
}

function quotedPiece(text: string): { text: string; quoted: string } {
  return { text, quoted: goQuote(text) }
}

function escapePiece(bytes: Uint8Array): { text: string; quoted: string } {
  return { text: decode(bytes), quoted: goQuoteBytes(bytes) }
}

function parseWithoutFragment(raw: string): GoUrl {
  const url: GoUrl = {
    scheme: '',
    opaque: '',
    host: '',
    path: '',
    rawPath: '',
    rawQuery: '',
    forceQuery: false,
    fragment: '',
    omitHost: false,
  }
  if (containsControlCharacter(raw)) throw new Reason('net/url: invalid control character in URL')
  if (raw === '*') {
    url.path = '*'
    return url
  }

  let rest = raw
  const colon = schemeEnd(raw)
  if (colon === 0) throw new Reason('missing protocol scheme')
  if (colon > 0) {
    url.scheme = raw.slice(0, colon).toLowerCase()
    rest = raw.slice(colon + 1)
  }

  if (rest.endsWith('?') && rest.indexOf('?') === rest.length - 1) {
    url.forceQuery = true
    rest = rest.slice(0, -1)
  } else {
    const q = rest.indexOf('?')
    if (q >= 0) {
      url.rawQuery = rest.slice(q + 1)
      rest = rest.slice(0, q)
    }
  }

  if (!rest.startsWith('/')) {
    if (url.scheme !== '') {
      url.opaque = rest
      return url
    }
    const slash = rest.indexOf('/')
    const segment = slash < 0 ? rest : rest.slice(0, slash)
    if (segment.includes(':')) throw new Reason('first path segment in URL cannot contain colon')
  }

  if ((url.scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
    let authority = rest.slice(2)
    rest = ''
    const slash = authority.indexOf('/')
    if (slash >= 0) {
      rest = authority.slice(slash)
      authority = authority.slice(0, slash)
    }
    const { user, host } = parseAuthority(url.scheme, authority)
    url.user = user
    url.host = host
  } else if (url.scheme !== '' && rest.startsWith('/')) {
    url.omitHost = true
  }

  const path = unescape(rest, 'path')
  url.path = decode(path)
  url.rawPath = escapePath(path) === rest ? '' : rest
  return url
}

function parseAuthority(scheme: string, authority: string): { user?: GoUserinfo; host: string } {
  const at = authority.lastIndexOf('@')
  const host = parseHost(scheme, at < 0 ? authority : authority.slice(at + 1))
  if (at < 0) return { host }
  const userinfo = authority.slice(0, at)
  if (!validUserinfo(userinfo)) throw new Reason('net/url: invalid userinfo')
  // Go quotes the bad escape (`invalid URL escape "%zz"`), which would show part of a password
  const decodeUserinfo = (text: string): Uint8Array => {
    try {
      return unescape(text, 'userPassword')
    } catch (error) {
      if (error instanceof Reason) throw new Reason('invalid URL escape in the user info')
      throw error
    }
  }
  const colon = userinfo.indexOf(':')
  if (colon < 0) return { user: { username: decodeUserinfo(userinfo) }, host }
  return {
    user: { username: decodeUserinfo(userinfo.slice(0, colon)), password: decodeUserinfo(userinfo.slice(colon + 1)) },
    host,
  }
}

function parseHost(scheme: string, host: string): string {
  const open = host.lastIndexOf('[')
  if (open > 0) throw new Reason('invalid IP-literal')
  if (open === 0) {
    const close = host.lastIndexOf(']')
    if (close < 0) throw new Reason("missing ']' in host")
    const colonPort = host.slice(close + 1)
    if (!validOptionalPort(colonPort)) throw new Reason('invalid port ', quotedPiece(colonPort), ' after host')
    const port = decode(unescape(colonPort, 'host'))
    const literal = host.slice(1, close)
    const zone = literal.indexOf('%25')
    const address =
      zone >= 0
        ? decode(unescape(literal.slice(0, zone), 'host')) + decode(unescape(literal.slice(zone), 'zone'))
        : decode(unescape(literal, 'host'))
    // netip.ParseAddr; an IPv4 address is not allowed in brackets
    const bare = address.split('%')[0] as string
    const kind = isIP(bare)
    if (kind === 0) throw new Reason('invalid host: ParseAddr(', quotedPiece(address), '): unable to parse IP')
    if (kind === 4) throw new Reason('invalid IP-literal')
    return `[${address}]${port}`
  }
  const first = host.indexOf(':')
  if (first >= 0) {
    const last = host.lastIndexOf(':')
    // Go 1.26 refuses extra colons in http and https hosts (urlstrictcolons); other schemes keep the last one
    const i = first !== last && scheme !== 'http' && scheme !== 'https' ? last : first
    const colonPort = host.slice(i)
    if (!validOptionalPort(colonPort)) throw new Reason('invalid port ', quotedPiece(colonPort), ' after host')
  }
  return decode(unescape(host, 'host'))
}

function validOptionalPort(port: string): boolean {
  return port === '' || /^:[0-9]*$/.test(port)
}

function validUserinfo(text: string): boolean {
  return /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(text)
}

function isAlpha(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
}

function unhex(c: number): number {
  return isDigit(c) ? c - 0x30 : (c | 0x20) - 0x61 + 10
}

/** net/url shouldEscape for ASCII bytes; every byte >= 0x80 is escaped. */
function shouldEscape(c: number, mode: Mode): boolean {
  if (isAlpha(c) || isDigit(c)) return false
  const ch = String.fromCharCode(c)
  if ((mode === 'host' || mode === 'zone') && `!$&'()*+,;=:[]<>"`.includes(ch)) return false
  if ('-_.~'.includes(ch)) return false
  if ('$&+,/:;=?@'.includes(ch)) {
    switch (mode) {
      case 'path':
        return ch === '?'
      case 'userPassword':
        return ch === '@' || ch === '/' || ch === '?' || ch === ':'
      case 'fragment':
        return false
      default:
        return true
    }
  }
  if (mode === 'fragment' && '!()*'.includes(ch)) return false
  return true
}

/** net/url unescape: the decoded bytes, or Go's error. */
function unescape(text: string, mode: Mode): Uint8Array {
  const bytes = Buffer.from(text, 'utf8')
  const out: number[] = []
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i] as number
    if (b === 0x25) {
      const h1 = bytes[i + 1]
      const h2 = bytes[i + 2]
      if (h1 === undefined || h2 === undefined || !isHex(h1) || !isHex(h2)) {
        throw new Reason('invalid URL escape ', escapePiece(bytes.subarray(i, i + 3)))
      }
      const value = (unhex(h1) << 4) | unhex(h2)
      const isPercent25 = h1 === 0x32 && h2 === 0x35
      if (mode === 'host' && unhex(h1) < 8 && !isPercent25) {
        throw new Reason('invalid URL escape ', escapePiece(bytes.subarray(i, i + 3)))
      }
      if (mode === 'zone' && !isPercent25 && value !== 0x20 && shouldEscape(value, 'host')) {
        throw new Reason('invalid URL escape ', escapePiece(bytes.subarray(i, i + 3)))
      }
      out.push(value)
      i += 3
      continue
    }
    if ((mode === 'host' || mode === 'zone') && b < 0x80 && shouldEscape(b, mode)) {
      throw new Reason('invalid character ', quotedPiece(String.fromCharCode(b)), ' in host name')
    }
    out.push(b)
    i++
  }
  return Uint8Array.from(out)
}

/** net/url escape in path mode, used to decide whether Go keeps a RawPath */
function escapePath(bytes: Uint8Array): string {
  let out = ''
  for (const b of bytes) {
    out += shouldEscape(b, 'path') ? `%${b.toString(16).toUpperCase().padStart(2, '0')}` : String.fromCharCode(b)
  }
  return out
}

function decode(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('utf8')
}

/** strconv.Quote of bytes: valid UTF-8 quoted as text (like goQuote), other bytes as \xNN */
function goQuoteBytes(bytes: Uint8Array): string {
  let out = ''
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i] as number
    const size = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 ? 2 : 0
    const rune = size === 0 ? undefined : strictUtf8(bytes.subarray(i, i + size))
    if (rune === undefined || rune.length === 0) {
      out += `\\x${b.toString(16).padStart(2, '0')}`
      i++
    } else {
      out += goQuote(rune).slice(1, -1)
      i += size
    }
  }
  return `"${out}"`
}

function strictUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return undefined
  }
}
