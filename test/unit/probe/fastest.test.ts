import { describe, expect, test } from '@jest/globals'
import { goproxyValue, orderByLatency } from '../../../src/probe/fastest.js'
import type { EntryLatency } from '../../../src/probe/types.js'
import { chain } from './outcomes.js'

const A = 'https://a.example'
const B = 'https://b.example'
const C = 'https://c.example'
const F = 'file:///srv/goproxy'

/** Latencies by entry index: a number is a healthy median, `x` is unhealthy. */
function latencies(goproxy: string, medians: Record<number, number | 'x'>): EntryLatency[] {
  return chain(goproxy).flatMap((entry, index) => {
    const median = medians[index]
    if (entry.kind !== 'url' || median === undefined) return []
    return [
      median === 'x'
        ? { index, label: entry.url ?? '', healthy: false, samplesMs: [] }
        : { index, label: entry.url ?? '', healthy: true, samplesMs: [median], medianMs: median },
    ]
  })
}

// Separators move with their entry (each is that entry's failure policy); the entry that ends up last gives its
// separator to the entry that used to be last. direct/off stay last; file:// entries keep their place.
const ROWS: Array<[string, string, Record<number, number | 'x'>, string]> = [
  ['already fastest first', `${A},${B},direct`, { 0: 10, 1: 50 }, `${A},${B},direct`],
  ['two proxies swap, commas stay', `${A},${B},direct`, { 0: 80, 1: 20 }, `${B},${A},direct`],
  ['separators travel with their entry', `${A},${B}|direct`, { 0: 80, 1: 20 }, `${B}|${A},direct`],
  ['no keyword at the end: the new last entry hands its separator over', `${A}|${B}`, { 0: 80, 1: 20 }, `${B}|${A}`],
  ['three proxies, mixed separators', `${A},${B}|${C},off`, { 0: 30, 1: 20, 2: 10 }, `${C},${B}|${A},off`],
  ['three, no keyword', `${A}|${B},${C}`, { 0: 30, 1: 20, 2: 10 }, `${C}|${B},${A}`],
  ['an unhealthy fast entry is never first', `${A},${B},direct`, { 0: 'x', 1: 40 }, `${B},${A},direct`],
  [
    'unhealthy ones keep their order after the healthy',
    `${A},${B},${C},direct`,
    { 0: 'x', 1: 'x', 2: 5 },
    `${C},${A},${B},direct`,
  ],
  ['nobody healthy: unchanged', `${A},${B},direct`, { 0: 'x', 1: 'x' }, `${A},${B},direct`],
  ['one HTTP proxy: unchanged', `${A},direct`, { 0: 10 }, `${A},direct`],
  ['file:// keeps its slot', `${F},${A},${B},direct`, { 1: 50, 2: 5 }, `${F},${B},${A},direct`],
  ['ties keep the original order', `${A},${B},direct`, { 0: 10, 1: 10 }, `${A},${B},direct`],
]

describe('orderByLatency', () => {
  test.each(ROWS)('%s', (_name, goproxy, medians, expected) => {
    const entries = chain(goproxy)
    const order = orderByLatency(entries, latencies(goproxy, medians))
    expect(order.setting.value).toBe(expected)
    expect(order.changed).toBe(expected !== goproxy)
    expect(goproxyValue(order.setting.entries)).toBe(expected)
    // The last entry never has a separator, and the multiset of separators is unchanged.
    expect(order.setting.entries.at(-1)?.separator).toBeUndefined()
    const separators = (value: string): string =>
      [...value]
        .filter((c) => c === ',' || c === '|')
        .sort()
        .join('')
    expect(separators(order.setting.value)).toBe(separators(goproxy))
  })

  test('says why nothing moved', () => {
    const goproxy = `${A},${B},direct`
    expect(orderByLatency(chain(goproxy), latencies(goproxy, { 0: 'x', 1: 'x' })).unchangedBecause).toContain(
      'no proxy answered healthily',
    )
    expect(orderByLatency(chain(`${A},direct`), []).unchangedBecause).toContain('fewer than two')
  })

  test('does not modify its input', () => {
    const entries = chain(`${A}|${B}`)
    const copy = structuredClone(entries)
    orderByLatency(entries, latencies(`${A}|${B}`, { 0: 80, 1: 20 }))
    expect(entries).toEqual(copy)
  })
})
