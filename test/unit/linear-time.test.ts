import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import os from 'node:os'
import { classifyGoFailure } from '../../src/diagnose/classify.js'
import { goErrorText } from '../../src/drift/go-failure.js'
import { interpretGoList } from '../../src/drift/gosum.js'
import { parseModDirectives, replaceLine, useLine } from '../../src/modules/mod-file.js'
import { parseUnifiedDiff } from '../../src/drift/unified-diff.js'
import { interpretVerify } from '../../src/drift/verify.js'
import { describeOutcome, fixForOutcome } from '../../src/probe/describe-outcome.js'
import { goServerMessage } from '../../src/probe/server-message.js'
import { Redactor } from '../../src/secrets/redactor.js'
import { findAuthSecrets, findUrlSecrets } from '../../src/secrets/scan.js'
import { withoutUserinfo } from '../../src/settings/errors.js'
import { parseGoproxy } from '../../src/settings/goproxy.js'
import type { InputName } from '../../src/settings/inputs.js'
import { quoteValue, redactUserinfo } from '../../src/settings/quote.js'
import { readSettings } from '../../src/settings/read.js'

// Every input and every line printed may be long: an environment value holds up to 128 KB (MAX_ARG_STRLEN), and
// Go's output quotes servers' answers and users' values. These properties check that the work grows linearly with the
// text, as a ratio, never as an absolute time: a run over 128 KB may cost at most ~400 times a run over 1 KB
// (a linear function costs 128 times, a quadratic one 16 000 times). To be robust on a busy machine, the 1 KB input is
// run 128 times and compared with one run over 128 KB (same number of bytes), each the median of several rounds.

const SMALL = 1024
const LARGE = 128 * 1024
const REPEATS = LARGE / SMALL
/** 400 times the time for 128 times the bytes */
const BUDGET = 400 / REPEATS

/** A text of `size` characters: `unit` repeated, then `end` (a long run that does not end the text is a classic trap). */
function fill(shape: Shape, size: number): string {
  const [unit, end] = shape
  const body = size - end.length
  return unit.repeat(Math.ceil(body / unit.length)).slice(0, body) + end
}

type Shape = [unit: string, end: string]

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] as number
}

/**
 * time(128 KB) / time(128 × 1 KB), medians of `rounds` interleaved rounds, each repeated until it lasts about
 * `sampleMs`: below that, a garbage collection or another process on the machine decides, not the function.
 */
function costRatio(work: (text: string) => unknown, shape: Shape, rounds: number, sampleMs: number): number {
  const small = fill(shape, SMALL)
  const large = fill(shape, LARGE)
  work(small)
  let started = performance.now()
  work(large)
  const times = Math.min(50, Math.max(1, Math.ceil(sampleMs / Math.max(performance.now() - started, 0.01))))
  const smallTimes: number[] = []
  const largeTimes: number[] = []
  for (let round = 0; round < rounds; round++) {
    started = performance.now()
    for (let i = 0; i < times * REPEATS; i++) work(small)
    smallTimes.push(performance.now() - started)
    started = performance.now()
    for (let i = 0; i < times; i++) work(large)
    largeTimes.push(performance.now() - started)
  }
  return Math.max(median(largeTimes), 0.5) / Math.max(median(smallTimes), 0.5)
}

/**
 * True when the work stays within budget: a quick measure first, and long, careful ones before saying no — unless
 * the quick one is far over budget, which no busy machine explains.
 */
function linear(work: (text: string) => unknown, shape: Shape): boolean {
  const quick = costRatio(work, shape, 3, 2)
  if (quick <= BUDGET) return true
  if (quick > 10 * BUDGET) return false
  return costRatio(work, shape, 7, 40) <= BUDGET || costRatio(work, shape, 7, 80) <= BUDGET
}

/** Pieces of text the scanners and expressions below react to, so that random units hit their slow paths. */
const TOKENS = [
  'a',
  'Z9',
  '.',
  '-',
  '@',
  ':',
  '/',
  '//',
  '://',
  'https://',
  'file:///',
  ',',
  '|',
  ';',
  ' ',
  '\t',
  '\n',
  '\r\n',
  '%',
  '%2F',
  '%zz',
  '+',
  '=',
  '[',
  ']',
  '*',
  '?',
  '#',
  '"',
  "'",
  '`',
  '(',
  ')',
  '\\',
  '\u0085',
  'é',
  'go1.26.1',
  'off',
  'direct',
  'netrc',
  'git ',
  'machine ',
  'login ',
  'password ',
  '-mod=',
  '-ldflags=',
  'go: ',
  'reading ',
  'unexpected status (',
  ': 404 Not Found',
  'invalid version',
  'lookup ',
  ' on ',
  ': i/o timeout',
  'dial tcp ',
  'x509: certificate is valid for ',
  ', not ',
  'failed to verify certificate: x509: ',
  'verifying ',
  'verifying go.mod: ',
  ': checksum mismatch',
  'Get "',
  'server response:',
  '/sumdb/',
  '/supported',
  ': missing go.sum entry for go.mod file',
  'invalid value "',
  '" for flag -',
  '(from $GOFLAGS)',
  'parsing $GOFLAGS: ',
  'redirected from secure URL ',
  'replace ',
  'use ',
  ' => ',
  'require (',
  '@@ -1,2 +1,3 @@',
  'h1:',
]

const shape = fc.tuple(
  fc.array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 12 }).map((parts) => parts.join('')),
  fc.constantFrom('', 'x', '@', ')', '\n', ...TOKENS.slice(0, 20)),
)

/** Shapes that made a former version quadratic, tried on every function besides the random ones. */
const KNOWN_SLOW: Shape[] = [
  ['a', ''],
  ['https://a', ''],
  ['a://', ''],
  ['https://a.b,', ''],
  ['a@', ''],
  ['/', 'x'],
  [' ', 'x'],
  ['\n', 'x'],
  ['unexpected status (', ''],
  ['reading x: 404 Not Found ', ''],
  ['lookup a', ''],
  ['dial tcp ', ''],
  ['x509: certificate is valid for a', ''],
  ['a@b', ''],
  ['password a ', ''],
  ['\na', ''],
]

const redactor = new Redactor()
for (let i = 0; i < 200; i++) redactor.addCredential(`user-${i}`, `s3cret-${i}-${'x'.repeat(i % 9)}`)

const goproxyContext = { goproxy: parseGoproxy('https://a.example/go|https://b.example,direct').value.entries }

const outcome = (text: string): string =>
  describeOutcome({ url: text, stage: 'dns', error: text, authSent: false, timings: { totalMs: 1 } as never }) +
  fixForOutcome({ url: text, stage: 'ok', status: 401, serverMessage: text, authSent: false, timings: {} as never })

/** every input set to `text` at once: each parser runs, and the errors are reported together */
const INPUTS: InputName[] = [
  'working-directory',
  'modules',
  'goproxy',
  'gosumdb',
  'goprivate',
  'gonoproxy',
  'goflags',
  'gotoolchain',
  'goauth',
  'auth',
  'cache-dependency-path',
  'probe-timeout',
]
const settings = (text: string): unknown => {
  try {
    return readSettings((name) => (INPUTS.includes(name) ? text : ''), { baseDirectory: os.tmpdir(), env: {} })
  } catch (error) {
    return error
  }
}

const WORK: Record<string, (text: string) => unknown> = {
  withoutUserinfo,
  'quoteValue and redactUserinfo': (text) => [quoteValue(text.slice(text.length >> 1), text), redactUserinfo(text)],
  findUrlSecrets,
  findAuthSecrets,
  'Redactor.redact with 200 credentials': (text) => redactor.redact(text),
  'readSettings, every input': settings,
  classifyGoFailure: (text) => classifyGoFailure(text, goproxyContext),
  'classifyGoFailure on one line': (text) => classifyGoFailure(text.replace(/\n/g, ' '), goproxyContext),
  'interpretVerify and goErrorText': (text) => [
    interpretVerify({ exitCode: 1, stdout: '', stderr: text }, { module: '.', file: 'go.mod', classify: () => [] }),
    goErrorText(text),
  ],
  interpretGoList: (text) =>
    interpretGoList(JSON.stringify({ ImportPath: 'x', Error: { Err: text } }), text, 1, {
      module: '.',
      goMod: 'go.mod',
      goSum: 'go.sum',
      classify: () => [],
    }),
  'go.mod and go.work directives': (text) => [
    parseModDirectives(text),
    replaceLine(text, 'a'),
    useLine(text, text.slice(0, 64)),
  ],
  parseUnifiedDiff,
  'probe descriptions': (text) => [outcome(text), goServerMessage('text/plain; charset=utf-8', text)],
}

describe('time grows linearly with the length of the text', () => {
  for (const [name, work] of Object.entries(WORK)) {
    it(`${name}: on shapes that were slow before`, () => {
      const slow = KNOWN_SLOW.filter((known) => !linear(work, known))
      expect(slow).toEqual([])
    })

    it(`${name}: on random repeats of what its parsers look for`, () => {
      fc.assert(
        fc.property(shape, (random) => linear(work, random)),
        { numRuns: 5, endOnFailure: true },
      )
    })
  }
})
