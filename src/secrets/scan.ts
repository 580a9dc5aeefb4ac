/** A credential-like value found in raw input text, before any parsing can fail on it. */
export interface FoundSecret {
  username?: string
  secret: string
  /** the whole URL that held it */
  url?: string
}

const USERINFO = /\b[a-zA-Z][a-zA-Z0-9+.-]*:\/\/([^/\s,|]+)@[^\s,|]*/g

/**
 * Finds the userinfo of every URL in `text`. Runs on raw values so that even an input that fails validation
 * cannot show its credentials in the error that reports it.
 */
export function findUrlSecrets(text: string): FoundSecret[] {
  const found: FoundSecret[] = []
  for (const match of text.matchAll(USERINFO)) {
    const userinfo = match[1] as string
    const colon = userinfo.indexOf(':')
    if (colon < 0) {
      // a token written as the username (https://TOKEN@host) is the secret itself
      pushDecoded(found, { secret: userinfo, url: match[0] })
    } else {
      pushDecoded(found, { username: userinfo.slice(0, colon), secret: userinfo.slice(colon + 1), url: match[0] })
    }
  }
  return found
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
      for (let i = 0; i < fields.length - 1; i++) {
        if (fields[i] === 'password') found.push({ secret: fields[i + 1] as string, username: loginBefore(fields, i) })
      }
      continue
    }
    if (fields.length >= 3) {
      const rest = fields.slice(2)
      found.push({ username: fields[1], secret: rest.join(' ') })
      if (rest.length > 1) for (const part of rest) found.push({ username: fields[1], secret: part })
    } else if (fields.length === 2) {
      // a line missing a field: the second may be a lone token
      found.push({ secret: fields[1] as string })
    }
  }
  return found
}

function loginBefore(fields: string[], passwordIndex: number): string | undefined {
  for (let i = passwordIndex - 1; i >= 0; i--) if (fields[i] === 'login') return fields[i + 1]
  return undefined
}

function pushDecoded(found: FoundSecret[], item: FoundSecret): void {
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
