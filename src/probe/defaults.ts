import { withoutUserinfo } from '../settings/errors.js'
import type { ProxyEntry } from '../settings/types.js'

/** What Go uses when GOPROXY is unset (the go.env shipped with Go). */
export const DEFAULT_GOPROXY_ENTRIES: readonly ProxyEntry[] = [
  { kind: 'url', url: 'https://proxy.golang.org', separator: ',' },
  { kind: 'direct' },
]

/** Latency samples per proxy for select-fastest. */
export const DEFAULT_SAMPLES = 3

/** How an entry is shown: its URL without userinfo, or the keyword. */
export function entryLabel(entry: ProxyEntry): string {
  return entry.kind === 'url' ? withoutUserinfo(entry.url ?? '') : entry.kind
}

/** The entries Go walks: the given ones, or its default when GOPROXY is unset. */
export function effectiveEntries(entries: readonly ProxyEntry[]): readonly ProxyEntry[] {
  return entries.length > 0 ? entries : DEFAULT_GOPROXY_ENTRIES
}
