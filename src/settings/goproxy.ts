import { InputError } from './errors.js'
import { assertSingleLine } from './injection.js'
import { goQuote, goTrimSpace } from './go-strings.js'
import { GoUrlError, parseGoUrl, withoutGoUserinfo, type GoUrl } from './go-url.js'
import { joinLines } from './list-lines.js'
import { quoteValue, redactPart } from './quote.js'
import type { Credential, CredentialParseResult, GoproxySetting, ProxyEntry } from './types.js'
import { liftUserinfo } from './userinfo.js'

const EXAMPLE = 'https://proxy.golang.org,direct'
/** entries a warning names; the rest are counted */
const LISTED = 3

/**
 * Parses GOPROXY as the go command does (cmd/go/internal/modfetch proxyList and newProxyRepo).
 *
 * Differences, all in the direction of refusing what can only fail:
 * - line breaks separate entries like `,` (inputs are often YAML block scalars); a line that already ends with
 *   `,` or `|` keeps that separator;
 * - an http(s) URL without a host, or with a port above 65535, is an error here (Go accepts it, then fails every fetch);
 * - credentials in an http URL are an error here (Go fails every fetch through it);
 * - entries after `direct` or `off`, which Go ignores, are dropped from the exported value, with a warning.
 * Credentials in https URLs are lifted out into `credentials`; the exported URLs carry none.
 */
export function parseGoproxy(raw: string, input = 'goproxy'): CredentialParseResult<GoproxySetting> {
  const fail = (message: string): never => {
    throw new InputError(input, message)
  }
  if (raw === '') {
    fail(
      `the value is empty. Leave the input unset to keep Go's default (${EXAMPLE}), or give a list such as ${EXAMPLE}.`,
    )
  }

  const entries: ProxyEntry[] = []
  const credentials: Credential[] = []
  const warnings: string[] = []
  const ignored: string[] = []
  let stopper: string | undefined

  let rest = joinLines(raw, ',|', ',')
  while (rest !== '') {
    const i = rest.search(/[,|]/)
    const element = goTrimSpace(i < 0 ? rest : rest.slice(0, i))
    const separator = i < 0 ? undefined : (rest[i] as ',' | '|')
    rest = i < 0 ? '' : rest.slice(i + 1)
    if (element === '') continue
    if (stopper !== undefined) {
      ignored.push(element)
      continue
    }
    if (element === 'off' || element === 'direct') {
      entries.push({ kind: element })
      stopper = element
      continue
    }
    const entry = parseProxyUrl(element, raw, input, fail)
    if (entry.credential) credentials.push(entry.credential)
    warnings.push(...entry.warnings)
    entries.push({ kind: 'url', url: entry.url, separator })
  }

  if (entries.length === 0) {
    fail(
      `${quoteValue(raw)} names no proxy: go would stop every module download with: ` +
        `GOPROXY list is not the empty string, but contains no entries. Give a list such as ${EXAMPLE}.`,
    )
  }
  const last = entries[entries.length - 1] as ProxyEntry
  delete last.separator
  if (ignored.length > 0) {
    const listed = ignored.slice(0, LISTED).map((e) => redactPart(e, raw))
    if (ignored.length > LISTED) listed.push(`and ${ignored.length - LISTED} more`)
    warnings.push(
      `${input}: '${listed.join(', ')}' after '${stopper}' ${ignored.length === 1 ? 'is' : 'are'} ignored by Go ` +
        `('${stopper}' ends the list), so ${ignored.length === 1 ? 'it is' : 'they are'} left out of the exported GOPROXY. ` +
        `Put '${stopper}' last.`,
    )
  }
  const value = entries.map((e) => (e.kind === 'url' ? (e.url as string) : e.kind) + (e.separator ?? '')).join('')
  assertSingleLine(input, value)
  return { value: { entries, value }, warnings, credentials }
}

interface ParsedProxyUrl {
  url: string
  credential?: Credential
  warnings: string[]
}

function parseProxyUrl(element: string, raw: string, input: string, fail: (message: string) => never): ParsedProxyUrl {
  // "Single-word tokens are reserved for built-in behaviors, and anything containing the string ":/" or matching an
  // absolute file path must be a complete URL. For all other paths, implicitly add "https://"." (proxyList)
  let text = element
  if (/[.:/]/.test(text) && !text.includes(':/') && !text.startsWith('/')) text = `https://${text}`
  // only an entry that is refused is quoted: quoting every entry of a long list would search the list once per entry
  const shown = (): string => quoteValue(element, raw)
  // the URL (or a piece of it) as it may be printed: Go's `https://` prefix is not part of the raw value
  const prefix = text === element ? '' : 'https://'
  const safe = (piece: string): string =>
    piece.startsWith(prefix) ? prefix + redactPart(piece.slice(prefix.length), raw) : redactPart(piece, raw)
  const goSays = (reason: string): string => `go would stop every module download with: ${reason}`

  let url: GoUrl
  try {
    url = parseGoUrl(text)
  } catch (error) {
    if (!(error instanceof GoUrlError)) throw error
    fail(
      `${shown()} is not a URL Go can parse: ${goSays(`parse ${goQuote(safe(error.url))}: ${error.describe(safe)}`)}. ` +
        `Write each proxy as https://host[:port][/path]${text === element ? '' : ` (Go read this entry as '${safe(text)}')`}.`,
    )
  }

  const redacted = (): string => safe(text)
  switch (url.scheme) {
    case 'http':
    case 'https':
      break
    case 'file': {
      const onlyPath =
        url.opaque === '' &&
        url.user === undefined &&
        url.host === '' &&
        url.rawQuery === '' &&
        !url.forceQuery &&
        url.fragment === '' &&
        !url.omitHost
      if (!onlyPath) {
        fail(
          `${shown()} is not a file proxy Go accepts: ${goSays(`invalid file:// proxy URL with non-path elements: ${redacted()}`)}. ` +
            `Write a local directory as file:///absolute/path (three slashes, no host, query or fragment).`,
        )
      }
      return { url: text, warnings: [] }
    }
    case '':
      fail(
        `${shown()} has no scheme: ${goSays(`invalid proxy URL missing scheme: ${redacted()}`)}. ` +
          (text.startsWith('/')
            ? `Write a local directory as file://${redacted()}.`
            : `Only 'direct' and 'off' are single words; write a proxy as a URL such as https://proxy.example.com.`),
      )
      break
    default:
      fail(
        `${shown()} has the scheme '${url.scheme}': ${goSays(`invalid proxy URL scheme (must be https, http, file): ${redacted()}`)}. ` +
          `Use https://, http:// or file://.`,
      )
  }

  // an empty port is dropped (`https://h:` is h), so `https://:` has no host either
  if (url.host.replace(/:$/, '') === '') {
    fail(
      `${shown()} has no host: ${goSays(`Get "${redacted()}/…": http: no Host in request URL`)}. ` +
        `Write the proxy as ${url.scheme}://host[:port][/path].`,
    )
  }
  const port = /:([0-9]+)$/.exec(url.host)?.[1]
  if (port !== undefined && Number(port) > 65535) {
    const shownPort = redactPart(port, raw)
    fail(
      `${shown()} has the port ${shownPort}: ${goSays(`dial tcp: address ${shownPort}: invalid port`)}. Ports go up to 65535.`,
    )
  }
  if (url.user === undefined) return { url: text, warnings: [] }

  if (url.scheme === 'http') {
    fail(
      `${shown()} carries credentials on plain http: ${goSays(`refusing to pass credentials to insecure URL: ${redacted()}`)}. ` +
        `Use https:// for a proxy that needs credentials, or give them in the auth input for an https proxy.`,
    )
  }
  const lifted = liftUserinfo(url, input, raw, fail)
  const warnings = lifted.warning === undefined ? [] : [lifted.warning]
  return { url: withoutGoUserinfo(text), credential: lifted.credential, warnings }
}
