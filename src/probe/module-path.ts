import { trimTrailing } from '../settings/go-strings.js'
import type { ProbeModule } from './types.js'

/** Splits `path@version` (or a bare path) as the probe input accepts it. */
export function parseProbeModule(text: string | undefined): ProbeModule | undefined {
  const trimmed = text?.trim() ?? ''
  if (trimmed === '') return undefined
  const at = trimmed.lastIndexOf('@')
  if (at <= 0) return { path: trimmed }
  return { path: trimmed.slice(0, at), version: trimmed.slice(at + 1) || undefined }
}

/**
 * Go's case-encoding for module paths and versions in proxy URLs: every upper-case letter becomes `!` and the
 * lower-case letter, so `github.com/Azure` is asked for as `github.com/!azure` (proxies may sit on case-insensitive
 * file systems).
 */
export function caseEncode(text: string): string {
  return text.replace(/[A-Z]/g, (letter) => `!${letter.toLowerCase()}`)
}

/** The request path Go uses for a module: `!` goes on the wire percent-encoded, as Go's url.PathEscape writes it. */
export function moduleRequestPath(module: ProbeModule): string {
  const base = caseEncode(module.path).replaceAll('!', '%21')
  if (module.version === undefined) return `${base}/@v/list`
  return `${base}/@v/${caseEncode(module.version).replaceAll('!', '%21')}.info`
}

/** `base` + `/` + `rest`, with exactly one slash between them. */
export function joinUrl(base: string, rest: string): string {
  return `${trimTrailing(base, '/')}/${rest.replace(/^\/+/, '')}`
}
