import { describe, expect, test } from '@jest/globals'
import fc from 'fast-check'
import { orderByLatency } from '../../../src/probe/fastest.js'
import type { EntryLatency } from '../../../src/probe/types.js'
import type { ProxyEntry } from '../../../src/settings/types.js'

const separator = fc.constantFrom<',' | '|'>(',', '|')
const proxyKind = fc.constantFrom('https', 'file')
const terminal = fc.constantFrom<'direct' | 'off' | 'none'>('direct', 'off', 'none')

/** A GOPROXY chain: 0–6 URL entries, optionally ended by direct/off, with random separators. */
const chainArbitrary = fc
  .tuple(fc.array(fc.tuple(proxyKind, separator), { maxLength: 6 }), terminal)
  .map(([parts, end]) => {
    const entries: ProxyEntry[] = parts.map(([kind, sep], i) => ({
      kind: 'url',
      url: kind === 'file' ? `file:///srv/p${i}` : `https://p${i}.example`,
      separator: sep,
    }))
    if (end !== 'none') entries.push({ kind: end })
    const last = entries.at(-1)
    if (last) delete last.separator
    return entries
  })

const latencyArbitrary = (entries: ProxyEntry[]) =>
  fc.tuple(
    ...entries.map((entry, index) =>
      fc
        .option(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 500 })), { nil: undefined })
        .map((sample): EntryLatency | undefined =>
          entry.kind === 'url' && sample !== undefined
            ? { index, label: entry.url ?? '', healthy: sample[0], samplesMs: [sample[1]], medianMs: sample[1] }
            : undefined,
        ),
    ),
  )

describe('orderByLatency invariants', () => {
  test('a permutation of the same entries; keywords and file:// entries stay put; the separators are kept; healthy first', () => {
    fc.assert(
      fc.property(
        chainArbitrary.chain((entries) => fc.tuple(fc.constant(entries), latencyArbitrary(entries))),
        ([entries, maybe]) => {
          const latencies = maybe.filter((l): l is EntryLatency => l !== undefined)
          const result = orderByLatency(entries, latencies).setting.entries
          const key = (e: ProxyEntry): string => `${e.kind}:${e.url ?? ''}`
          expect(result.map(key).sort()).toEqual(entries.map(key).sort())
          entries.forEach((entry, i) => {
            if (entry.kind !== 'url' || entry.url?.startsWith('file:'))
              expect(key(result[i] as ProxyEntry)).toBe(key(entry))
          })
          expect(result.at(-1)?.separator).toBeUndefined()
          const separators = (list: ProxyEntry[]): string =>
            list
              .map((e) => e.separator ?? '')
              .sort()
              .join('')
          expect(separators(result)).toBe(separators(entries))
          const healthy = new Set(latencies.filter((l) => l.healthy).map((l) => l.label))
          const http = result.filter((e) => e.kind === 'url' && e.url?.startsWith('https:'))
          const firstUnhealthy = http.findIndex((e) => !healthy.has(e.url ?? ''))
          const lastHealthy = http.map((e) => healthy.has(e.url ?? '')).lastIndexOf(true)
          if (healthy.size > 0 && http.length >= 2 && firstUnhealthy >= 0)
            expect(firstUnhealthy).toBeGreaterThan(lastHealthy)
        },
      ),
      { numRuns: 500 },
    )
  })
})
