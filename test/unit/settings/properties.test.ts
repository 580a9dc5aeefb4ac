import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { parseAuthLines } from '../../../src/settings/auth-lines.js'
import { InputError } from '../../../src/settings/errors.js'
import { parseGoauth } from '../../../src/settings/goauth.js'
import { parseGoflags } from '../../../src/settings/goflags.js'
import { parseGoproxy } from '../../../src/settings/goproxy.js'
import { parseGosumdb } from '../../../src/settings/gosumdb.js'
import { parseGotoolchain } from '../../../src/settings/gotoolchain.js'
import { findLineBreak } from '../../../src/settings/injection.js'
import { matchPrefixPatterns, parsePatternList } from '../../../src/settings/patterns.js'

/** what a parser produced: the exported value (if it returned) and every text a user could see */
interface Outcome {
  value?: string
  texts: string[]
}

const PARSERS: Record<string, (raw: string) => Outcome> = {
  goproxy: (raw) => fromResult(parseGoproxy(raw)),
  gosumdb: (raw) => fromResult(parseGosumdb(raw)),
  patterns: (raw) => fromResult(parsePatternList(raw, 'goprivate')),
  goflags: (raw) => fromResult(parseGoflags(raw)),
  goauth: (raw) => fromResult(parseGoauth(raw)),
  gotoolchain: (raw) => {
    const result = parseGotoolchain(raw)
    return { value: result.value, texts: result.warnings }
  },
  auth: (raw) => ({ texts: [], value: parseAuthLines(raw).length >= 0 ? undefined : '' }),
}

function fromResult(result: { value: { value: string }; warnings: string[] }): Outcome {
  return { value: result.value.value, texts: result.warnings }
}

/** Runs a parser; any exception but InputError fails the property. */
function run(parse: (raw: string) => Outcome, raw: string): Outcome {
  try {
    return parse(raw)
  } catch (error) {
    if (error instanceof InputError) return { texts: [error.message] }
    throw error
  }
}

/** every UTF-16 unit, lone surrogates included: values reach us from YAML and the environment unchecked */
const anyUnits = fc.string({
  unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
  maxLength: 60,
})
/** pieces of the grammars, so that generated values reach deep into the parsers */
const syntaxRich = fc
  .array(
    fc.constantFrom(
      ',',
      '|',
      ';',
      ' ',
      '\n',
      '\r',
      '\t',
      '\0',
      '"',
      "'",
      '+',
      '@',
      ':',
      '/',
      '//',
      '%',
      '%zz',
      '%41',
      '[',
      ']',
      '*',
      '?',
      '\\',
      '#',
      '=',
      '-',
      '--',
      'https://',
      'http://',
      'file://',
      'ftp://',
      'direct',
      'off',
      'netrc',
      'git',
      'local',
      'auto',
      'path',
      'go1.22',
      'go1.24.3',
      'sum.golang.org',
      'sum.golang.google.cn',
      'machine',
      'login',
      'password',
      'proxy.example',
      '127.0.0.1',
      '[::1]',
      ':8443',
      ':99999',
      'u:p@',
      'é',
      '\u0085',
      '\u00a0',
      '\u2028',
      '\ufeff',
      '-mod=mod',
      '-ldflags=',
      '-x',
      '-tags',
      'Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8',
      '033de0ae',
      '\ud800',
    ),
    { maxLength: 14 },
  )
  .map((parts) => parts.join(''))

describe('every parser returns or throws InputError, never anything else', () => {
  for (const [name, parse] of Object.entries(PARSERS)) {
    it(`${name}: arbitrary unicode, arbitrary UTF-16 units and grammar fragments`, () => {
      for (const arbitrary of [fc.string({ unit: 'binary', maxLength: 60 }), anyUnits, syntaxRich]) {
        fc.assert(
          fc.property(arbitrary, (raw) => {
            run(parse, raw)
          }),
          { numRuns: 400 },
        )
      }
    })
  }

  it('matchPrefixPatterns always answers true or false', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(syntaxRich, anyUnits), { maxLength: 4 }),
        fc.oneof(syntaxRich, anyUnits),
        (patterns, target) => {
          expect(typeof matchPrefixPatterns(patterns, target)).toBe('boolean')
        },
      ),
      { numRuns: 1000 },
    )
  })
})

describe('an exported value is always one line', () => {
  for (const [name, parse] of Object.entries(PARSERS)) {
    if (name === 'auth') continue
    it(name, () => {
      fc.assert(
        fc.property(fc.oneof(syntaxRich, anyUnits), (raw) => {
          const { value } = run(parse, raw)
          if (value !== undefined) expect(findLineBreak(value)).toBeUndefined()
        }),
        { numRuns: 1000 },
      )
    })
  }
})

// Secrets are drawn from the characters Go accepts in URL user info, plus `,` `|` `#` `/` `?` `%`, which Go does not
// accept there but people type anyway: Go then splits the value or the URL inside the password, and so prints part
// of it. `@` and `:` may appear inside too: Go takes the user info up to the LAST `@`. (A password holding `://` is
// left out: it reads as a second URL.)
const secretChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+;=@:,|#/?%".split('')
const secret = fc
  .array(fc.constantFrom(...secretChars), { minLength: 10, maxLength: 24 })
  .map((chars) => `Sx${chars.join('')}`)
  .filter((s) => !s.includes('://'))
const scheme = fc.constantFrom('https://', 'http://', 'HTTPS://', 'ftp://', 'file://', '', '//')
const host = fc.constantFrom(
  'proxy.example',
  'proxy.example:8443',
  'a b',
  'h:1:2',
  '[::1',
  '',
  'h:99999',
  '[::1]:8443',
  'h%41',
)
const rest = fc.constantFrom('', '/go', '/%zz', '?q', '#f', '/a,b')
const user = fc.constantFrom('ci', 'oauth2', '', 'a%20b')
const neighbour = fc.constantFrom(
  'direct',
  'off',
  'myproxy',
  'https://ok.example',
  ',',
  '|',
  ' ',
  'ftp://x',
  '\n',
  'sum.golang.org',
)

/** a URL with the secret in its user info, in one of the shapes people write (or mistype) */
const urlWithSecret = fc
  .tuple(scheme, user, secret, host, rest, fc.boolean())
  .map(([s, u, pw, h, r, tokenOnly]) => ({ url: `${s}${tokenOnly ? pw : `${u}:${pw}`}@${h}${r}`, secret: pw }))

function expectHidden(texts: string[], hidden: string): void {
  for (const text of texts) {
    expect(text).not.toContain(hidden)
    // nor a piece of it between the characters a parser might split at
    for (const part of hidden.split(/[@:,|#/?%]/)) if (part.length >= 6) expect(text).not.toContain(part)
  }
}

describe('no message or warning shows the secret of a URL user info', () => {
  it('goproxy', () => {
    fc.assert(
      fc.property(
        fc.array(neighbour, { maxLength: 3 }),
        urlWithSecret,
        fc.array(neighbour, { maxLength: 3 }),
        (before, { url, secret: pw }, after) => {
          const raw = [...before, url, ...after].join(',')
          expectHidden(run(PARSERS.goproxy as (raw: string) => Outcome, raw).texts, pw)
        },
      ),
      { numRuns: 3000 },
    )
  })

  it('gosumdb', () => {
    const database = fc.constantFrom('sum.golang.org', 'sum.golang.google.cn', 'goproxy.cn', 'off', 'x+1+2', 'a b')
    fc.assert(
      fc.property(database, urlWithSecret, fc.constantFrom('', ' extra'), (db, { url, secret: pw }, extra) => {
        expectHidden(run(PARSERS.gosumdb as (raw: string) => Outcome, `${db} ${url}${extra}`).texts, pw)
      }),
      { numRuns: 3000 },
    )
  })

  it('goauth, goflags, gotoolchain and pattern lists that carry a URL', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('goauth', 'goflags', 'gotoolchain', 'patterns'),
        urlWithSecret,
        fc.constantFrom('', ';', ' ', '-', '-toolexec=', ','),
        (name, { url, secret: pw }, glue) => {
          expectHidden(run(PARSERS[name] as (raw: string) => Outcome, `${glue}${url}${glue}`).texts, pw)
        },
      ),
      { numRuns: 3000 },
    )
  })
})

describe('no message shows the secret of an auth line', () => {
  const authSecret = fc
    .array(
      fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&*+._~^-/:@'.split('')),
      {
        minLength: 10,
        maxLength: 24,
      },
    )
    .map((chars) => `Qz${chars.join('')}`)
  const goodHost = fc.constantFrom('git.example.com', 'Proxy.Example:8443', '[::1]:22')
  const badHost = fc.constantFrom(
    'https://git.example.com',
    'git.example.com/group',
    'ci@git.example.com',
    'h:0',
    '-x',
    'a_b!',
  )
  const anyHost = fc.oneof(goodHost, badHost)
  const lineWith = (s: string) =>
    fc.oneof(
      anyHost.map((h) => `${h} ci ${s}`),
      anyHost.map((h) => `${h} ${s}`),
      fc.constant(s),
      anyHost.map((h) => `${h} ci ${s} extra`),
      anyHost.map((h) => `machine ${h} login ci password ${s}`),
      anyHost.map((h) => `machine ${h} password ${s}`),
      anyHost.map((h) => `machine ${h} login ci pasword ${s}`),
      anyHost.map((h) => `machine ${h}\n  login ci\n  password ${s}`),
      anyHost.map((h) => `machine ${h} login ci password\n${s}`),
      fc.constant(`password ${s}`),
      fc.constant(`default login ci password ${s}`),
      fc.constant(`login ci password ${s} password ${s}`),
      anyHost.map((h) => `${h} ci ${s}\u0001`),
    )
  const filler = fc.constantFrom(
    '',
    '# comment',
    'git.example.com bob other-secret',
    'machine m.example login x password y',
    'macdef init',
  )

  it('whatever the shape of the lines around it', () => {
    fc.assert(
      fc.property(
        authSecret.chain((s) =>
          fc.tuple(fc.constant(s), fc.array(fc.oneof(lineWith(s), filler), { minLength: 1, maxLength: 5 })),
        ),
        ([s, lines]) => {
          expectHidden(run(PARSERS.auth as (raw: string) => Outcome, lines.join('\n')).texts, s)
        },
      ),
      { numRuns: 3000 },
    )
  })
})
