import type { GoproxySetting, ProxyEntry } from '../settings/types.js'
import type { EntryLatency, FastestOrder } from './types.js'

/** The GOPROXY value for entries, credential-free (entry URLs carry no userinfo). */
export function goproxyValue(entries: readonly ProxyEntry[]): string {
  return entries.map((e) => `${e.kind === 'url' ? (e.url ?? '') : e.kind}${e.separator ?? ''}`).join('')
}

function isHttp(entry: ProxyEntry | undefined): boolean {
  return entry?.kind === 'url' && /^https?:/i.test(entry.url ?? '')
}

/**
 * Reorders the HTTP(S) proxies of GOPROXY, fastest median first.
 *
 * Rules:
 * - Only healthy proxies move forward, sorted by median latency (ties keep their order); unhealthy or unmeasured
 *   ones follow in their original order. An unhealthy proxy is never put first. With no healthy proxy, or fewer than
 *   two HTTP proxies, nothing changes.
 * - `direct` and `off` stay last, and file:// entries keep their places: only the slots held by HTTP proxies are
 *   refilled.
 * - A separator belongs to the entry before it: it is that entry's failure policy (`,` = only 404/410 fall
 *   through, `|` = any error does), so it moves with the entry. The one entry without a separator is the last one;
 *   if reordering moves another entry into the last place, the two swap separators, so the list keeps the same
 *   separators and still ends without one.
 *
 * Moving a proxy ahead of a `,`-separated one changes which proxy answers first: a curating proxy that refuses
 * modules with 403 is then bypassed for every module the faster proxy serves. That is what select-fastest asks for;
 * keep it off for chains whose order is a policy.
 */
export function orderByLatency(entries: readonly ProxyEntry[], latencies: readonly EntryLatency[]): FastestOrder {
  const unchanged = (reason: string): FastestOrder => ({
    setting: { entries: [...entries], value: goproxyValue(entries) },
    latencies: [...latencies],
    changed: false,
    unchangedBecause: reason,
  })
  const slots = entries.flatMap((entry, index) => (isHttp(entry) ? [index] : []))
  if (slots.length < 2) return unchanged('fewer than two HTTP proxies in GOPROXY')
  const byIndex = new Map(latencies.map((l) => [l.index, l]))
  const healthy = slots
    .filter((i) => byIndex.get(i)?.healthy === true && byIndex.get(i)?.medianMs !== undefined)
    .sort((a, b) => (byIndex.get(a)?.medianMs ?? 0) - (byIndex.get(b)?.medianMs ?? 0) || a - b)
  if (healthy.length === 0) return unchanged('no proxy answered healthily, so none can be put first')
  const order = [...healthy, ...slots.filter((i) => !healthy.includes(i))]

  const reordered: ProxyEntry[] = entries.map((entry) => ({ ...entry }))
  order.forEach((from, k) => {
    const source = entries[from]
    const slot = slots[k]
    if (source !== undefined && slot !== undefined) reordered[slot] = { ...source }
  })
  const lastIndex = reordered.length - 1
  const last = reordered[lastIndex]
  if (last !== undefined && last.separator !== undefined) {
    // The entry now last came from elsewhere; hand its separator to the entry that used to be last.
    const formerLast = reordered.findIndex((e) => e.separator === undefined)
    const moved = reordered[formerLast]
    if (moved !== undefined) moved.separator = last.separator
    delete last.separator
  }
  const setting: GoproxySetting = { entries: reordered, value: goproxyValue(reordered) }
  const changed = setting.value !== goproxyValue(entries)
  return {
    setting,
    latencies: [...latencies],
    changed,
    ...(changed ? {} : { unchangedBecause: 'the proxies are already fastest first' }),
  }
}
