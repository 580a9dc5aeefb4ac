import { containsControlCharacter, isGoSpace } from './go-strings.js'
import type { GoUrl } from './go-url.js'
import { redactPart } from './quote.js'
import type { Credential } from './types.js'

export interface LiftedUserinfo {
  credential: Credential
  /** set when the user info was one word (`https://TOKEN@host`), which is then taken as the secret too */
  warning?: string
}

/**
 * The credential held in a URL's user info, for a netrc file. A netrc entry needs a login and a password (Go 1.24+
 * ignores entries missing either), so a lone word before `@`, usually a token, becomes both; an empty user name
 * cannot be written at all.
 */
export function liftUserinfo(
  url: GoUrl,
  origin: string,
  whole: string,
  fail: (message: string) => never,
): LiftedUserinfo {
  const host = credentialHost(url.host)
  // what Go reads as the host may be the end of a password holding `@` and `/`: show it only if it is plainly a host
  const shownHost = redactPart(host, whole)
  const user = url.user
  if (user === undefined) throw new Error('liftUserinfo needs a URL with user info')
  const username = utf8(user.username)
  const password = user.password === undefined ? '' : utf8(user.password)
  if (username === undefined || password === undefined) {
    return fail(
      `the user info of the URL for ${shownHost} is not valid UTF-8 once percent-decoded, so it cannot be written to a ` +
        'netrc file. Percent-encode only UTF-8 text.',
    )
  }
  const both = username + password
  if (/\s/.test(both) || [...both].some((ch) => isGoSpace(ch.charCodeAt(0))) || containsControlCharacter(both)) {
    return fail(
      `the user info of the URL for ${shownHost} holds white space or a control character once percent-decoded, which ` +
        'a netrc file cannot hold. Use a credential without them.',
    )
  }
  if (username === '') {
    return fail(
      `the URL for ${shownHost} has user info without a user name. A netrc file cannot hold an empty login; write any ` +
        `user name before ':' (servers that only read the token ignore it), e.g. https://oauth2:TOKEN@${shownHost}.`,
    )
  }
  if (password !== '') return { credential: { host, username, secret: password, origin } }
  return {
    credential: { host, username, secret: username, origin },
    warning:
      `${origin}: the URL for ${shownHost} carries one word before '@' and no password. Go would send it as the user ` +
      'name with an empty password; a netrc file cannot hold an empty password, so it is written as both.',
  }
}

/** host[:port], lower-case, without an empty port (`host:` is the default port to Go) */
export function credentialHost(host: string): string {
  return host.replace(/:$/, '').toLowerCase()
}

/** undefined when the bytes are not UTF-8 */
function utf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes)
  } catch {
    return undefined
  }
}
