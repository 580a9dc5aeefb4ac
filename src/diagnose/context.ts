import { matchPrefixPatterns } from '../settings/patterns.js'
import { withoutUserinfo } from '../settings/errors.js'
import { trimTrailing } from '../settings/go-strings.js'
import type { GosumdbSetting, PatternSetting, ProxyEntry } from '../settings/types.js'

/** What the go command ran with, so a failure can be explained in terms of the user's own settings. */
export interface GoFailureContext {
  /** effective GOPROXY entries (Go's default when unset) */
  goproxy?: readonly ProxyEntry[]
  goprivate?: PatternSetting
  gonoproxy?: PatternSetting
  gonosumdb?: PatternSetting
  /** undefined → sum.golang.org */
  gosumdb?: GosumdbSetting
}

export interface EntryMatch {
  index: number
  entry: ProxyEntry
  /** the entry as shown to people, without userinfo */
  label: string
  isLast: boolean
}

function stripUserinfo(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1')
}

/** The GOPROXY entry a URL from Go's error belongs to (the longest entry URL it starts with). */
export function entryForUrl(url: string, context: GoFailureContext): EntryMatch | undefined {
  const entries = context.goproxy ?? []
  const target = stripUserinfo(url)
  let best: EntryMatch | undefined
  for (const [index, entry] of entries.entries()) {
    if (entry.kind !== 'url' || entry.url === undefined) continue
    const base = trimTrailing(stripUserinfo(entry.url), '/')
    if (target === base || target.startsWith(`${base}/`)) {
      if (best === undefined || base.length > (best.entry.url ?? '').length) {
        best = { index, entry, label: withoutUserinfo(entry.url), isLast: index === entries.length - 1 }
      }
    }
  }
  return best
}

/** The checksum database name Go uses. */
export function sumdbName(context: GoFailureContext): string {
  if (context.gosumdb === undefined) return 'sum.golang.org'
  return context.gosumdb.off ? '' : context.gosumdb.name
}

/** True when a URL in Go's error is a checksum-database request (direct, explicit URL, or through a proxy). */
export function isSumdbUrl(url: string, context: GoFailureContext): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  const name = sumdbName(context)
  if (name !== '' && parsed.pathname.includes(`/sumdb/${name}/`)) return true
  if (context.gosumdb?.url !== undefined && stripUserinfo(url).startsWith(stripUserinfo(context.gosumdb.url)))
    return true
  if (name !== '' && (parsed.host === name || `${parsed.host}${parsed.pathname}`.startsWith(`${name}/`))) return true
  return /\/(lookup|tile)\//.test(parsed.pathname) && !/\/@v\//.test(parsed.pathname)
}

function patterns(setting: PatternSetting | undefined): string[] {
  return setting?.patterns ?? []
}

/** GONOPROXY, defaulting to GOPRIVATE as Go does. */
export function matchesGonoproxy(modulePath: string, context: GoFailureContext): boolean {
  return matchPrefixPatterns(patterns(context.gonoproxy ?? context.goprivate), modulePath)
}

/** GONOSUMDB, defaulting to GOPRIVATE as Go does. */
export function matchesGonosumdb(modulePath: string, context: GoFailureContext): boolean {
  return matchPrefixPatterns(patterns(context.gonosumdb ?? context.goprivate), modulePath)
}
