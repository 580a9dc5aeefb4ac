import { describe, expect, test } from '@jest/globals'
import { decideSumdbRoute } from '../../../src/probe/sumdb-route.js'
import type { ProbeOutcome } from '../../../src/probe/types.js'
import { chain, outcome, type Answer } from './outcomes.js'

const A = 'https://a.example'
const B = 'https://b.example'

function answers(map: Record<number, Answer>): Map<number, ProbeOutcome> {
  return new Map(Object.entries(map).map(([index, answer]) => [Number(index), outcome(answer)]))
}

// modfetch/sumdb.go initBase: 200 → that proxy; 404/410 or `|`-error → next; direct/off/end → direct;
// other errors → unavailable; reaching off or the end after a `|`-skipped error → that error (unavailable).
const ROWS: Array<
  [string, string, Record<number, Answer>, { via?: string; viaEntry?: number; unavailableAt?: number }]
> = [
  ['first proxy mirrors it', `${A},direct`, { 0: 200 }, { via: 'proxy', viaEntry: 0 }],
  ['404 then direct', `${A},direct`, { 0: 404 }, { via: 'direct' }],
  ['404, second proxy mirrors it', `${A},${B},direct`, { 0: 404, 1: 200 }, { via: 'proxy', viaEntry: 1 }],
  ['403 with , : unavailable', `${A},direct`, { 0: 403 }, { unavailableAt: 0 }],
  ['403 with | then direct: direct', `${A}|direct`, { 0: 403 }, { via: 'direct' }],
  [
    '500 with | then 404 and end: unavailable (the 500 is reported)',
    `${A}|${B}`,
    { 0: 500, 1: 404 },
    { unavailableAt: 0 },
  ],
  ['timeout with | then off: unavailable', `${A}|off`, { 0: 'connect-timeout' }, { unavailableAt: 0 }],
  ['all 404 then off: direct', `${A},off`, { 0: 404 }, { via: 'direct' }],
  ['all 404, end: direct', `${A},${B}`, { 0: 404, 1: 410 }, { via: 'direct' }],
  ['hang: unavailable even with |', `${A}|direct`, { 0: 'hang' }, { unavailableAt: 0 }],
  ['GOPROXY=off: direct', 'off', {}, { via: 'direct' }],
  ['GOPROXY=direct: direct', 'direct', {}, { via: 'direct' }],
]

describe('decideSumdbRoute', () => {
  test.each(ROWS)('%s', (_name, goproxy, map, expected) => {
    const decision = decideSumdbRoute(chain(goproxy), { name: 'sum.golang.org' }, answers(map))
    if (expected.unavailableAt !== undefined) {
      expect(decision).toEqual({ unavailableAt: expected.unavailableAt })
      return
    }
    expect(decision.route?.via).toBe(expected.via)
    expect(decision.route?.viaEntry).toBe(expected.viaEntry)
    expect(decision.route?.baseUrl).toBe(
      expected.via === 'direct'
        ? 'https://sum.golang.org'
        : `${chain(goproxy)[expected.viaEntry ?? 0]?.url}/sumdb/sum.golang.org`,
    )
  })

  test('an explicit GOSUMDB URL bypasses the proxies', () => {
    const decision = decideSumdbRoute(
      chain(`${A},direct`),
      { name: 'sum.golang.org', url: 'https://sum.golang.google.cn' },
      answers({ 0: 403 }),
    )
    expect(decision.route).toEqual({ via: 'url', baseUrl: 'https://sum.golang.google.cn' })
  })
})
