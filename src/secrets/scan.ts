import { isGoSpace } from '../settings/go-strings.js'
import { userinfoInValue, type UserinfoSpan } from '../settings/url-userinfo.js'
import { MIN_MASKED_LENGTH } from './redactor.js'

/** A credential-like value found in raw input text, before any parsing can fail on it. */
export interface FoundSecret {
  username?: string
  secret: string
  /** the whole URL that held it */
  url?: string
}

/**
 * Finds the user info of every URL in `text`. Runs on raw values so that even an input that fails validation
 * cannot show its credentials in the error that reports it. The user info is read the way that hides the most (see
 * userinfoInValue: up to the last `@` before the next `://`, whatever it holds — white space, quotes, line breaks, `,`
 * `|` `/` or more `@`); then it is a secret as a whole, and so are its user name, its password and every piece of
 * them that a parser could cut out and print (see pieces).
 */
export function findUrlSecrets(text: string): FoundSecret[] {
  const found: FoundSecret[] = []
  for (const found0 of userinfoInValue(text)) {
    const span = found0.start === 0 ? schemelessUrl(text, found0) : found0
    const userinfo = text.slice(span.start, span.at)
    if (userinfo === '') continue
    const url = text.slice(span.url, urlEnd(text, span.at + 1))
    const colon = userinfo.indexOf(':')
    if (colon < 0) {
      // a token written as the username (https://TOKEN@host) is the secret itself
      pushDecoded(found, { secret: userinfo, url })
    } else {
      const username = userinfo.slice(0, colon)
      const password = userinfo.slice(colon + 1)
      pushDecoded(found, { username, secret: password, url })
      pushDecoded(found, { secret: userinfo })
      if (username.length >= MIN_MASKED_LENGTH) pushDecoded(found, { secret: username })
    }
    for (const piece of pieces(userinfo)) pushDecoded(found, { secret: piece })
  }
  return found
}

/**
 * Pieces of a user info that a parser could print on their own: split at white space, quotes and every character
 * that ends a URL component or a list entry. Pieces shorter than MIN_MASKED_LENGTH are left out — masking them
 * would mask ordinary words — as are pieces equal to the whole.
 */
function pieces(userinfo: string): string[] {
  const out = new Set<string>()
  let start = 0
  for (let i = 0; i <= userinfo.length; i++) {
    if (i < userinfo.length && !PIECE_SEPARATORS.has(userinfo[i] as string) && !isGoSpace(userinfo.charCodeAt(i))) {
      continue
    }
    const piece = userinfo.slice(start, i)
    if (piece.length >= MIN_MASKED_LENGTH && piece !== userinfo) out.add(piece)
    // a user info of thousands of words is no credential; the whole of it is still a secret
    if (out.size === MAX_PIECES) break
    start = i + 1
  }
  return [...out]
}

const MAX_PIECES = 32

const PIECE_SEPARATORS = new Set([...':@/?#,|;"\'`'])

/**
 * Before the first `://`, a URL is one without a scheme, which Go reads as https:// (a GOPROXY entry `token@host`).
 * It is the word or list entry that holds the `@`: taking everything from the start of the value would make secrets of
 * the entries before it (`proxy.golang.org,token@host`).
 */
function schemelessUrl(text: string, span: UserinfoSpan): UserinfoSpan {
  let start = span.at
  while (start > 0) {
    const c = text.charCodeAt(start - 1)
    if (c === 0x2c || c === 0x7c || isGoSpace(c)) break
    start--
  }
  return { url: start, start, at: span.at }
}

/** The end of the URL whose host starts at `from`: white space, `,` or `|` */
function urlEnd(text: string, from: number): number {
  let end = from
  while (end < text.length) {
    const c = text.charCodeAt(end)
    if (c === 0x2c || c === 0x7c || isGoSpace(c)) break
    end++
  }
  return end
}

/** Every token of the `auth` input that may be a secret: the third field of `HOST USER SECRET`, or what follows `password`. */
export function findAuthSecrets(text: string): FoundSecret[] {
  const found: FoundSecret[] = []
  for (const line of text.split(/\r?\n/)) {
    const fields = line
      .trim()
      .split(/\s+/)
      .filter((f) => f !== '')
    if (fields.length === 0 || fields[0]?.startsWith('#')) continue
    const netrcStyle = fields.some((f) => f === 'machine' || f === 'login' || f === 'password' || f === 'default')
    if (netrcStyle) {
      let login: string | undefined
      for (let i = 0; i < fields.length - 1; i++) {
        if (fields[i] === 'login') login = fields[i + 1]
        if (fields[i] === 'password') found.push({ secret: fields[i + 1] as string, username: login })
      }
      continue
    }
    if (fields.length >= 3) {
      const rest = fields.slice(2)
      found.push({ username: fields[1], secret: rest.join(' ') })
      if (rest.length > 1) {
        const parts = new Set(rest.filter((part) => part.length >= MIN_MASKED_LENGTH).slice(0, MAX_PIECES))
        for (const part of parts) found.push({ username: fields[1], secret: part })
      }
    } else if (fields.length === 2) {
      // a line missing a field: the second may be a lone token
      found.push({ secret: fields[1] as string })
    }
  }
  return found
}

function pushDecoded(found: FoundSecret[], item: FoundSecret): void {
  if (item.secret === '') return
  found.push(item)
  const secret = safeDecode(item.secret)
  const username = item.username === undefined ? undefined : safeDecode(item.username)
  if (secret !== item.secret || username !== item.username) found.push({ ...item, secret, username })
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}
