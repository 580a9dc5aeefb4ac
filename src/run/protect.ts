import type { Platform } from '../platform/platform.js'
import { netrcPasswords } from '../secrets/netrc.js'
import type { Redactor } from '../secrets/redactor.js'
import { findAuthSecrets, findUrlSecrets, type FoundSecret } from '../secrets/scan.js'
import type { Credential } from '../settings/types.js'

/**
 * Registers every secret the raw inputs and the environment hold, with all its variants, before anything is printed:
 * even the error that reports an invalid input must not show the credential inside it.
 */
export function protectRawInputs(
  platform: Platform,
  redactor: Redactor,
  raw: { auth: string; urls: string[]; netrc?: string },
): void {
  const found: FoundSecret[] = [...findAuthSecrets(raw.auth)]
  for (const text of raw.urls) found.push(...findUrlSecrets(text))
  if (raw.netrc) for (const secret of netrcPasswords(raw.netrc)) found.push({ secret })
  for (const item of found) protectSecret(platform, redactor, item.secret, item.username, item.url)
}

export function protectCredentials(platform: Platform, redactor: Redactor, credentials: Credential[]): void {
  for (const c of credentials) protectSecret(platform, redactor, c.secret, c.username)
}

function protectSecret(platform: Platform, redactor: Redactor, secret: string, username?: string, url?: string): void {
  if (secret.trim() === '') return
  const forms = username === undefined ? redactor.addSecret(secret) : redactor.addCredential(username, secret)
  if (url !== undefined) forms.push(url)
  for (const form of forms) platform.setSecret(form)
}
