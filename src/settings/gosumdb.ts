import { createHash } from 'node:crypto'
import { InputError } from './errors.js'
import { assertSingleLine, refuseControlCharacters } from './injection.js'
import { goCut, goFields, goQuote, goTrimSpace, isGoSpace } from './go-strings.js'
import { escapedPath, GoUrlError, parseGoUrl, withoutGoUserinfo, type GoUrl } from './go-url.js'
import { quoteValue, redactPart } from './quote.js'
import type { Credential, CredentialParseResult, GosumdbSetting } from './types.js'
import { liftUserinfo } from './userinfo.js'

/** cmd/go/internal/modfetch knownGOSUMDB: the only database Go knows by name alone */
export const SUM_GOLANG_ORG_KEY = 'sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8'
const KNOWN_KEYS: ReadonlyMap<string, string> = new Map([['sum.golang.org', SUM_GOLANG_ORG_KEY]])
/** Go rewrites exactly this value to `sum.golang.org https://sum.golang.google.cn` (modfetch dbDial) */
const CHINA_ALIAS = 'sum.golang.google.cn'

/**
 * Parses GOSUMDB as the go command does (modfetch dbDial, golang.org/x/mod/sumdb/note.NewVerifier):
 * `off`, a known name, `name+hash+key`, each optionally followed by the URL to reach the database at.
 * The value is trimmed first (and the exported value has its fields joined by one space): Go compares `off` and
 * `sum.golang.google.cn` with the raw value, so ` off` would be an invalid key to Go, but never reaches Go from here.
 * Credentials in an https URL are lifted into `credentials`; an http URL with credentials is refused (Go refuses
 * to send them); a URL without a scheme is given `https://`, which is what Go fetches.
 */
export function parseGosumdb(raw: string, input = 'gosumdb'): CredentialParseResult<GosumdbSetting> {
  const fail = (message: string): never => {
    throw new InputError(input, message)
  }
  const text = goTrimSpace(raw)
  refuseControlCharacters(input, text, {
    tab: true,
    goReads:
      'Go reads GOSUMDB as one line: it compares the whole value with off (and sum.golang.google.cn) before splitting ' +
      'it at spaces, so a line break or control character inside makes it a database name or URL that does not exist.',
    fix: 'Write the database, optionally followed by one space and its URL, on one line.',
  })
  if (text === '') {
    fail(
      "the value is empty. Leave the input unset to keep Go's default (sum.golang.org), or write off, sum.golang.org or name+hash+key.",
    )
  }
  if (text === 'off') {
    return {
      value: { value: 'off', off: true, name: '', verifierKey: '' },
      warnings: [
        `${input}: off stops Go from checking new modules against a checksum database, and toolchain downloads ` +
          '(GOTOOLCHAIN switches) then fail for lack of verification. To skip only private modules, set gonosumdb or goprivate.',
      ],
      credentials: [],
    }
  }

  const fields = goFields(text === CHINA_ALIAS ? `sum.golang.org https://${CHINA_ALIAS}` : text)
  if (fields.length > 2) {
    fail(
      `${quoteValue(text)} has ${fields.length} fields: go would stop every checksum lookup with: invalid GOSUMDB: too many fields. ` +
        'Write the database (a known name or name+hash+key), optionally followed by one space and its URL.',
    )
  }
  const first = fields[0] as string
  const verifierKey = KNOWN_KEYS.get(first) ?? first
  const name = checkVerifierKey(verifierKey, first, text, fail)
  checkName(name, text, fail)

  const credentials: Credential[] = []
  const warnings: string[] = []
  let url: string | undefined
  if (fields[1] !== undefined) {
    const checked = checkUrl(fields[1], input, fail)
    url = checked.url
    if (checked.credential) credentials.push(checked.credential)
    warnings.push(...checked.warnings)
  }
  const value = text === CHINA_ALIAS ? CHINA_ALIAS : url === undefined ? first : `${first} ${url}`
  assertSingleLine(input, value)
  return { value: { value, off: false, name, verifierKey, url }, warnings, credentials }
}

function checkVerifierKey(key: string, written: string, text: string, fail: (message: string) => never): string {
  const goSays = (reason: string): string => `go would stop every checksum lookup with: invalid GOSUMDB: ${reason}`
  const [name, afterName] = goCut(key, '+')
  const [hash16, key64] = goCut(afterName, '+')
  const keyBytes = decodeBase64(key64)
  if (!/^[0-9A-Fa-f]{8}$/.test(hash16) || keyBytes === undefined || !isValidName(name) || keyBytes.length === 0) {
    if (written === 'off') {
      fail(
        `${quoteValue(text)} names a database called off: ${goSays('malformed verifier id')}. Go turns the checksum ` +
          'database off only when the whole value is off; a URL after it makes it a name. Write off alone.',
      )
    }
    if (!key.includes('+')) {
      // never proposes what was written: `off` itself is handled above
      const hint = written.toLowerCase() === 'off' ? ` Did you mean 'off'?` : ''
      fail(
        `${quoteValue(written, text)} is not a database Go knows by name: ${goSays('malformed verifier id')}.${hint} ` +
          `Go knows only sum.golang.org (and ${CHINA_ALIAS}, alone); for another database give its verifier key ` +
          `name+hash+key as its operator publishes it, and to reach sum.golang.org through a mirror write ` +
          `'sum.golang.org https://mirror.example/sumdb/sum.golang.org'.`,
      )
    }
    fail(
      `${quoteValue(written, text)} is not a verifier key: ${goSays('malformed verifier id')}. A key is ` +
        'name+hash+key: a name without spaces or +, 8 hex digits, and the base64 of the key (with = padding).',
    )
  }
  const bytes = keyBytes as Uint8Array
  const digest = createHash('sha256').update(Buffer.from(name, 'utf8')).update('\n').update(bytes).digest()
  if (digest.readUInt32BE(0) !== Number.parseInt(hash16, 16)) {
    fail(
      `${quoteValue(written, text)} has a hash that does not match its name and key: ${goSays('invalid verifier hash')}. ` +
        'Copy the whole key again from the database operator.',
    )
  }
  if (bytes[0] !== 1) {
    fail(
      `${quoteValue(written, text)} is not an Ed25519 key: ${goSays('unknown verifier algorithm')}. ` +
        'Copy the whole key again from the database operator.',
    )
  }
  if (bytes.length !== 33) {
    fail(
      `${quoteValue(written, text)} holds a key of ${bytes.length - 1} bytes instead of 32: ${goSays('malformed verifier id')}. ` +
        'Copy the whole key again from the database operator.',
    )
  }
  return name
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** note.isValidName: non-empty UTF-8 without white space or + */
function isValidName(name: string): boolean {
  if (name === '' || name.includes('+') || LONE_SURROGATE.test(name)) return false
  for (let i = 0; i < name.length; i++) if (isGoSpace(name.charCodeAt(i))) return false
  return true
}

/** base64.StdEncoding.DecodeString: padded, standard alphabet; undefined when Go would refuse it */
function decodeBase64(text: string): Uint8Array | undefined {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) return undefined
  return Uint8Array.from(Buffer.from(text, 'base64'))
}

/** "No funny business in the database name": https://<name> must be just a host and an optional path. */
function checkName(name: string, text: string, fail: (message: string) => never): void {
  let direct: GoUrl | undefined
  try {
    direct = parseGoUrl(`https://${name}`)
  } catch (error) {
    if (!(error instanceof GoUrlError)) throw error
  }
  const plain =
    direct !== undefined &&
    !name.endsWith('/') &&
    direct.opaque === '' &&
    direct.user === undefined &&
    direct.rawQuery === '' &&
    !direct.forceQuery &&
    direct.fragment === '' &&
    !direct.omitHost &&
    direct.rawPath === '' &&
    direct.host !== ''
  if (!plain) {
    fail(
      `the database name ${quoteValue(name, text)} is not a host with an optional path: go would stop every checksum lookup ` +
        `with: invalid sumdb name (must be host[/path]): ${redactPart(name, text)}. Name the database like sum.golang.org.`,
    )
  }
}

function checkUrl(
  written: string,
  input: string,
  fail: (message: string) => never,
): { url: string; credential?: Credential; warnings: string[] } {
  const goSays = (reason: string): string => `go would stop every checksum lookup with: ${reason}`
  // a piece of the URL as it may be printed (the https:// added for a URL without a scheme is not the user's)
  const safe = (piece: string): string => {
    const added =
      piece.startsWith('https://') && !written.startsWith('https://')
        ? written.startsWith('//')
          ? 'https:'
          : 'https://'
        : ''
    return added + redactPart(piece.slice(added.length), written)
  }
  const parse = (text: string): GoUrl => {
    try {
      return parseGoUrl(text)
    } catch (error) {
      if (!(error instanceof GoUrlError)) throw error
      return fail(
        `the URL ${quoteValue(written)} cannot be parsed: ` +
          `${goSays(`invalid GOSUMDB URL: parse ${goQuote(safe(error.url))}: ${error.describe(safe)}`)}. ` +
          'Write it as https://host[:port][/path].',
      )
    }
  }
  let text = written
  let url = parse(text)
  if (url.scheme === '') {
    // Go fetches a URL without a scheme over https (cmd/go/internal/web): the URL it requests is URL.String()
    // of this one with the scheme set, which writes the path escaped its own way
    if (text.startsWith('//')) {
      text = `https:${text}`
    } else {
      const query = url.forceQuery || url.rawQuery !== '' ? `?${url.rawQuery}` : ''
      const hash = text.indexOf('#')
      text = `https://${escapedPath(url)}${query}${hash < 0 ? '' : text.slice(hash)}`
    }
    url = parse(text)
  }
  const shown = quoteValue(written)
  const redacted = safe(text)
  if (url.scheme === 'file') return { url: text, warnings: [] }
  if (url.scheme !== 'http' && url.scheme !== 'https') {
    fail(
      `the URL ${shown} has the scheme '${url.scheme}': ${goSays(`unsupported scheme: ${redacted}/lookup/…`)}. Use https://.`,
    )
  }
  // an empty port is dropped (`https://h:` is h), so `https://:` has no host either
  if (url.host.replace(/:$/, '') === '') {
    fail(
      `the URL ${shown} has no host: ${goSays(`Get "${redacted}/lookup/…": http: no Host in request URL`)}. Write https://host[/path].`,
    )
  }
  const port = /:([0-9]+)$/.exec(url.host)?.[1]
  if (port !== undefined && Number(port) > 65535) {
    const shownPort = redactPart(port, written)
    fail(
      `the URL ${shown} has the port ${shownPort}: ${goSays(`dial tcp: address ${shownPort}: invalid port`)}. Ports go up to 65535.`,
    )
  }
  if (url.user === undefined) return { url: text, warnings: [] }
  if (url.scheme === 'http') {
    fail(
      `the URL ${shown} carries credentials on plain http: ` +
        `${goSays(`refusing to pass credentials to insecure URL: ${redacted}/lookup/…`)}. Use https:// for a database that needs credentials.`,
    )
  }
  const lifted = liftUserinfo(url, input, written, fail)
  const warnings = lifted.warning === undefined ? [] : [lifted.warning]
  return { url: withoutGoUserinfo(text), credential: lifted.credential, warnings }
}
