import { describe, expect, test } from '@jest/globals'
import { judgeChain, type RouteNeeds } from '../../../src/probe/verdict.js'
import { chain, outcome, report, type Answer } from './outcomes.js'

const A = 'https://a.example'
const B = 'https://b.example'
const C = 'https://c.example'

interface Row {
  goproxy: string
  answers: Record<number, Answer>
  outcome: 'served' | 'direct' | 'fails' | 'hangs'
  entryIndex?: number
  errors: string[]
  warnings: string[]
}

// Go's walk: `,` falls through only on 404/410, `|` on any error; a hang is waited for; direct/off end the walk.
const ROWS: Array<[string, Row]> = [
  [
    'healthy first proxy',
    { goproxy: `${A},direct`, answers: { 0: 200 }, outcome: 'served', entryIndex: 0, errors: [], warnings: [] },
  ],
  [
    '404 then direct: VCS',
    {
      goproxy: `${A},direct`,
      answers: { 0: 404 },
      outcome: 'direct',
      entryIndex: 1,
      errors: [],
      warnings: ['proxy-module-not-found'],
    },
  ],
  [
    '410 then next proxy',
    { goproxy: `${A},${B}`, answers: { 0: 410, 1: 200 }, outcome: 'served', entryIndex: 1, errors: [], warnings: [] },
  ],
  [
    'dead first proxy with , : every fetch fails',
    {
      goproxy: `${A},${B},direct`,
      answers: { 0: 'refused', 1: 200 },
      outcome: 'fails',
      entryIndex: 0,
      errors: ['proxy-tcp'],
      warnings: [],
    },
  ],
  [
    'the same fault with | : a warning',
    {
      goproxy: `${A}|${B},direct`,
      answers: { 0: 'refused', 1: 200 },
      outcome: 'served',
      entryIndex: 1,
      errors: [],
      warnings: ['proxy-tcp'],
    },
  ],
  [
    '403 with , is terminal',
    {
      goproxy: `${A},${B}`,
      answers: { 0: 403, 1: 200 },
      outcome: 'fails',
      entryIndex: 0,
      errors: ['proxy-http-403'],
      warnings: [],
    },
  ],
  [
    '403 with | falls through',
    {
      goproxy: `${A}|${B}`,
      answers: { 0: 403, 1: 200 },
      outcome: 'served',
      entryIndex: 1,
      errors: [],
      warnings: ['proxy-http-403'],
    },
  ],
  [
    '500 on the last proxy',
    {
      goproxy: `${A},${B}`,
      answers: { 0: 404, 1: 500 },
      outcome: 'fails',
      entryIndex: 1,
      errors: ['proxy-http-5xx'],
      warnings: [],
    },
  ],
  [
    'expired certificate with ,',
    {
      goproxy: `${A},direct`,
      answers: { 0: 'expired' },
      outcome: 'fails',
      entryIndex: 0,
      errors: ['proxy-tls-expired'],
      warnings: [],
    },
  ],
  [
    'unknown CA with |, then direct',
    {
      goproxy: `${A}|direct`,
      answers: { 0: 'unknown-ca' },
      outcome: 'direct',
      errors: [],
      warnings: ['proxy-tls-unknown-authority'],
    },
  ],
  [
    'hang with | still hangs (Go has no response timeout)',
    {
      goproxy: `${A}|${B}`,
      answers: { 0: 'hang', 1: 200 },
      outcome: 'hangs',
      entryIndex: 0,
      errors: ['proxy-hangs'],
      warnings: [],
    },
  ],
  [
    'connect timeout with | falls through, but only after Go’s own timeout on every request: an error',
    {
      goproxy: `${A}|${B}`,
      answers: { 0: 'connect-timeout', 1: 200 },
      outcome: 'served',
      entryIndex: 1,
      errors: ['proxy-timeout-tcp'],
      warnings: [],
    },
  ],
  [
    'all 404, then off',
    {
      goproxy: `${A},${B},off`,
      answers: { 0: 404, 1: 404 },
      outcome: 'fails',
      errors: ['proxy-chain-cannot-serve'],
      warnings: [],
    },
  ],
  [
    'all 404, list ends',
    {
      goproxy: `${A},${B}`,
      answers: { 0: 404, 1: 410 },
      outcome: 'fails',
      errors: ['proxy-chain-cannot-serve'],
      warnings: [],
    },
  ],
  [
    '| error then end of list',
    {
      goproxy: `${A}|${B}`,
      answers: { 0: 503, 1: 404 },
      outcome: 'fails',
      errors: ['proxy-chain-cannot-serve'],
      warnings: ['proxy-http-5xx'],
    },
  ],
  [
    'a later dead proxy is a warning',
    {
      goproxy: `${A},${B},direct`,
      answers: { 0: 200, 1: 'dns' },
      outcome: 'served',
      entryIndex: 0,
      errors: [],
      warnings: ['proxy-dns'],
    },
  ],
  [
    'three proxies, middle 401 with ,',
    {
      goproxy: `${A},${B},${C}`,
      answers: { 0: 404, 1: 401, 2: 200 },
      outcome: 'fails',
      entryIndex: 1,
      errors: ['proxy-http-401'],
      warnings: [],
    },
  ],
  ['off only', { goproxy: 'off', answers: {}, outcome: 'fails', errors: ['proxy-chain-cannot-serve'], warnings: [] }],
  ['direct only', { goproxy: 'direct', answers: {}, outcome: 'direct', errors: [], warnings: [] }],
]

describe('judgeChain: public modules, by Go’s fallback rules', () => {
  test.each(ROWS)('%s', (_name, row) => {
    const entries = chain(row.goproxy)
    const verdict = judgeChain(report({ entries, public: row.answers }), entries)
    expect(verdict.publicModules.outcome).toBe(row.outcome)
    if (row.entryIndex !== undefined) expect(verdict.publicModules.entryIndex).toBe(row.entryIndex)
    expect(verdict.diagnoses.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(row.errors)
    expect(verdict.diagnoses.filter((d) => d.severity === 'warning').map((d) => d.code)).toEqual(row.warnings)
    expect(verdict.ok).toBe(row.errors.length === 0)
  })
})

describe('judgeChain: messages', () => {
  test('a dead first proxy with `,` names the entry, the stage, what Go does, and suggests `|`', () => {
    const entries = chain(`${A},${B},direct`)
    const [diagnosis] = judgeChain(report({ entries, public: { 0: 'refused', 1: 200 } }), entries).diagnoses
    expect(diagnosis?.title).toContain(A)
    expect(diagnosis?.title).toContain('every module fetch fails (tcp)')
    expect(diagnosis?.detail).toContain('Go stops at this entry')
    expect(diagnosis?.detail).toContain('only after 404/410')
    expect(diagnosis?.fix).toContain('put `|` after this proxy')
    expect(diagnosis?.kind).toBe('proxy')
  })

  test('no `|` advice for the last entry', () => {
    const entries = chain(`${A},${B}`)
    const diagnosis = judgeChain(report({ entries, public: { 0: 404, 1: 500 } }), entries).diagnoses[0]
    expect(diagnosis?.fix).not.toContain('`|`')
  })

  test('a wrong-host certificate says it is for another host', () => {
    const entries = chain(`${A},direct`)
    const [diagnosis] = judgeChain(report({ entries, public: { 0: 'wrong-host' } }), entries).diagnoses
    expect(diagnosis?.detail).toContain('the certificate is for another host')
    expect(diagnosis?.fix).toContain('The certificate is for another host')
  })

  test('a hang says that `|` does not help', () => {
    const entries = chain(`${A}|direct`)
    const [diagnosis] = judgeChain(report({ entries, public: { 0: 'hang' } }), entries).diagnoses
    expect(diagnosis?.detail).toContain('no time limit')
    expect(diagnosis?.detail).toContain('a `|` does not help')
  })

  test('a dead first proxy before `,` is a warning when the job needs nothing from it, an error with strict', () => {
    const entries = chain(`${A},direct`)
    const probe = report({ entries, public: { 0: 500 } })
    const cached = {
      needed: false as const,
      why: 'every module version it reads is in the module cache',
      mattersWhen: 'when go.sum changes',
    }
    const needs: RouteNeeds = { public: cached, private: cached, checksums: { needed: true } }
    const verdict = judgeChain(probe, entries, { needs })
    expect(verdict.diagnoses.map((d) => [d.severity, d.title])).toEqual([
      ['warning', `GOPROXY entry ${A}: every module fetch fails (http 500)`],
    ])
    expect(verdict.diagnoses[0]?.detail).toContain('It starts to matter when go.sum changes.')
    expect(judgeChain(probe, entries, { needs, onProxyFailure: 'strict' }).diagnoses[0]?.severity).toBe('error')
    expect(judgeChain(probe, entries, { needs: { ...needs, public: { needed: true } } }).ok).toBe(false)
  })

  test('on-proxy-failure warn turns proxy errors into warnings', () => {
    const entries = chain(`${A},direct`)
    const verdict = judgeChain(report({ entries, public: { 0: 500 } }), entries, { onProxyFailure: 'warn' })
    expect(verdict.diagnoses.map((d) => d.severity)).toEqual(['warning'])
    expect(verdict.ok).toBe(true)
  })

  test('userinfo never reaches a message', () => {
    const entries = chain('https://user:hunter2@a.example,direct')
    const probe = report({ entries, public: { 0: 401 } })
    const entry = probe.entries[0]
    if (entry) entry.label = 'https://***@a.example'
    const verdict = judgeChain(probe, entries)
    expect(JSON.stringify(verdict)).not.toContain('hunter2')
  })
})

describe('judgeChain: without a module, reachability decides', () => {
  test('a 404 from `supported` still proves the proxy answers', () => {
    const entries = chain(`${A},direct`)
    const verdict = judgeChain(report({ entries, supported: { 0: 404 }, noModule: true }), entries)
    expect(verdict.publicModules.outcome).toBe('served')
    expect(verdict.entries[0]?.verdict).toBe('healthy')
  })

  test('a 401 from `supported` fails the chain with `,`', () => {
    const entries = chain(`${A},direct`)
    const verdict = judgeChain(report({ entries, supported: { 0: 401 }, noModule: true }), entries)
    expect(verdict.publicModules.outcome).toBe('fails')
    expect(verdict.ok).toBe(false)
  })
})

describe('judgeChain: private modules', () => {
  test('GONOPROXY match: direct, not probed', () => {
    const entries = chain(`${A},direct`)
    const verdict = judgeChain(
      report({
        entries,
        public: { 0: 200 },
        privateModule: 'corp.example/secret',
        privateModuleDirect: true,
        privateModuleSkipsSumdb: true,
      }),
      entries,
    )
    expect(verdict.privateModules?.outcome).toBe('direct')
    expect(verdict.diagnoses).toEqual([])
  })

  test('served by the corporate proxy after `|`-skipping a failing one', () => {
    const entries = chain(`${A}|${B},direct`)
    const verdict = judgeChain(
      report({
        entries,
        public: { 0: 200 },
        private: { 0: 403, 1: 200 },
        privateModule: 'corp.example/secret',
        privateModuleSkipsSumdb: true,
      }),
      entries,
    )
    expect(verdict.privateModules).toMatchObject({ outcome: 'served', entryIndex: 1 })
  })

  test('a private module the proxy refuses with 401 and `,`: an error naming the module', () => {
    const entries = chain(`${A},direct`)
    const verdict = judgeChain(
      report({
        entries,
        public: { 0: 200 },
        private: { 0: 401 },
        privateModule: 'corp.example/secret',
        privateModuleSkipsSumdb: true,
      }),
      entries,
    )
    expect(verdict.privateModules?.outcome).toBe('fails')
    const error = verdict.diagnoses.find((d) => d.severity === 'error')
    expect(error?.title).toContain('corp.example/secret cannot be fetched')
    expect(error?.module).toBe('corp.example/secret')
  })

  test('a private module every proxy 404s: Go asks them all, then goes direct — suggest GOPRIVATE', () => {
    const entries = chain(`${A},direct`)
    const verdict = judgeChain(
      report({
        entries,
        public: { 0: 200 },
        private: { 0: 404 },
        privateModule: 'corp.example/team/secret',
        privateModuleSkipsSumdb: true,
      }),
      entries,
    )
    const warning = verdict.diagnoses.find((d) => d.code === 'private-module-asked-proxies')
    expect(warning?.fix).toContain('Add corp.example to GOPRIVATE')
  })
})

describe('judgeChain: checksum database', () => {
  const sumdbOk = {
    name: 'sum.golang.org',
    off: false,
    route: { via: 'proxy' as const, viaEntry: 0, baseUrl: `${A}/sumdb/sum.golang.org` },
    latest: outcome(200, `${A}/sumdb/sum.golang.org/latest`),
  }

  test('reachable through the proxy: verified', () => {
    const entries = chain(`${A},direct`)
    const verdict = judgeChain(report({ entries, public: { 0: 200 }, sumdb: sumdbOk }), entries)
    expect(verdict.checksums).toMatchObject({ outcome: 'verified' })
    expect(verdict.checksums.summary).toContain(`through ${A}`)
  })

  test('a private module outside GONOSUMDB: warning with the pattern to add', () => {
    const entries = chain(`${A},direct`)
    const verdict = judgeChain(
      report({
        entries,
        public: { 0: 200 },
        sumdb: sumdbOk,
        privateModule: 'corp.example/secret',
        privateModuleDirect: true,
      }),
      entries,
    )
    const warning = verdict.diagnoses.find((d) => d.code === 'sumdb-private-module')
    expect(warning).toMatchObject({ severity: 'warning', kind: 'config' })
    expect(warning?.fix).toContain('Add corp.example to GONOSUMDB')
  })

  test('unavailable (a proxy answered `supported` with 500 before `,`) while a private module is not covered: error, with both fixes', () => {
    const entries = chain(`${A},direct`)
    const unavailable = {
      name: 'sum.golang.org',
      off: false,
      unavailableAt: { entryIndex: 0, outcome: outcome(500, `${A}/sumdb/sum.golang.org/supported`) },
    }
    const verdict = judgeChain(
      report({
        entries,
        public: { 0: 200 },
        sumdb: unavailable,
        privateModule: 'corp.example/secret',
        privateModuleDirect: true,
      }),
      entries,
    )
    expect(verdict.checksums.outcome).toBe('fails')
    const error = verdict.diagnoses.find((d) => d.code === 'sumdb-unavailable')
    expect(error?.severity).toBe('error')
    expect(error?.detail).toContain('does not go direct')
    expect(error?.fix).toContain('put `|` after this proxy')
    expect(error?.fix).toContain('Add corp.example to GONOSUMDB')
    expect(verdict.ok).toBe(false)
  })

  test('a database this job does not need is a warning that says when it starts to matter; strict fails on it', () => {
    const entries = chain(`${A},direct`)
    const unavailable = {
      name: 'sum.golang.org',
      off: false,
      unavailableAt: { entryIndex: 0, outcome: outcome(500, `${A}/sumdb/sum.golang.org/supported`) },
    }
    const probe = report({ entries, public: { 0: 200 }, sumdb: unavailable })
    expect(judgeChain(probe, entries).ok).toBe(false)
    const needs: RouteNeeds = {
      public: { needed: true },
      private: { needed: true },
      checksums: { needed: false, why: 'go.sum is complete', mattersWhen: 'with the next go.sum change' },
    }
    const relaxed = judgeChain(probe, entries, { needs })
    expect(relaxed.ok).toBe(true)
    expect(relaxed.checksums.outcome).toBe('fails')
    expect(relaxed.diagnoses.map((d) => [d.code, d.severity])).toEqual([['sumdb-unavailable', 'warning']])
    expect(relaxed.diagnoses[0]?.detail).toContain(
      'This job does not need it: go.sum is complete. It starts to matter with the next go.sum change.',
    )
    expect(judgeChain(probe, entries, { needs, onProxyFailure: 'strict' }).ok).toBe(false)
  })

  test('GOPROXY=off: the database was not probed, and that is no problem', () => {
    const entries = chain('off')
    const probe = report({ entries, sumdb: { name: 'sum.golang.org', off: false, skipped: 'GOPROXY=off' } })
    expect(judgeChain(probe, entries).checksums.outcome).toBe('skipped')
  })

  test('direct route unreachable: error suggesting a proxy that mirrors the database', () => {
    const entries = chain(`${A},direct`)
    const sumdb = {
      name: 'sum.golang.org',
      off: false,
      route: { via: 'direct' as const, baseUrl: 'https://sum.golang.org' },
      latest: outcome('connect-timeout', 'https://sum.golang.org/latest'),
    }
    const verdict = judgeChain(report({ entries, public: { 0: 200 }, sumdb }), entries)
    const error = verdict.diagnoses.find((d) => d.code.startsWith('sumdb-'))
    expect(error?.title).toContain('directly')
    expect(error?.fix).toContain('mirrors sum.golang.org')
  })

  test('GOSUMDB=off: no checksum diagnosis', () => {
    const entries = chain(`${A},direct`)
    const verdict = judgeChain(
      report({ entries, public: { 0: 200 }, privateModule: 'corp.example/x', privateModuleDirect: true }),
      entries,
    )
    expect(verdict.checksums.outcome).toBe('off')
    expect(verdict.diagnoses).toEqual([])
  })
})
