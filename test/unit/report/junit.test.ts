import { describe, expect, it } from '@jest/globals'
import type { Diagnosis } from '../../../src/diagnose/types.js'
import type { DriftCheckReport } from '../../../src/drift/check-run.js'
import { toJUnit } from '../../../src/report/junit.js'

interface XmlElement {
  name: string
  attributes: Record<string, string>
  children: Array<XmlElement | string>
}

/**
 * A strict reader for the XML subset JUnit reports use (declaration, elements, attributes, text, character and the five
 * predefined entity references). It throws on anything a conforming parser rejects in that subset — an unescaped `&`
 * or `<`, a mismatched or unclosed tag, a duplicate attribute, a character XML 1.0 forbids — and applies attribute-value
 * normalisation, so a line break written raw into an attribute does not survive the round trip.
 */
function parseXml(xml: string): XmlElement {
  let i = 0
  const fail = (why: string): never => {
    throw new Error(`${why} at offset ${i}: ${JSON.stringify(xml.slice(i, i + 30))}`)
  }
  // eslint-disable-next-line no-control-regex -- the characters XML 1.0 forbids
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.test(xml)) fail('forbidden character')
  const decode = (raw: string, inAttribute: boolean): string => {
    if (raw.includes('<')) fail('unescaped <')
    const normalised = inAttribute ? raw.replace(/\r\n|[\n\r\t]/g, ' ') : raw.replace(/\r\n?/g, '\n')
    return normalised.replace(/&([^;]*);|&/g, (whole: string, ref: string | undefined) => {
      if (ref === undefined) return fail('bare &')
      const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }
      if (ref in named) return named[ref] as string
      const code = /^#x([0-9a-fA-F]+)$/.exec(ref)?.[1] ?? /^#([0-9]+)$/.exec(ref)?.[1]
      if (code === undefined) return fail(`unknown entity &${ref};`)
      return String.fromCodePoint(parseInt(code, ref.startsWith('#x') ? 16 : 10))
    })
  }
  const skipSpace = (): void => {
    while (/\s/.test(xml[i] ?? '')) i++
  }
  const name = (): string => {
    const match = /^[A-Za-z_][\w.-]*/.exec(xml.slice(i))
    if (!match) fail('expected a name')
    i += match![0].length
    return match![0]
  }
  const element = (): XmlElement => {
    if (xml[i] !== '<') fail('expected <')
    i++
    const el: XmlElement = { name: name(), attributes: {}, children: [] }
    for (;;) {
      const before = i
      skipSpace()
      if (xml.startsWith('/>', i)) {
        i += 2
        return el
      }
      if (xml[i] === '>') {
        i++
        break
      }
      if (i === before) fail('expected whitespace before an attribute')
      const attribute = name()
      if (attribute in el.attributes) fail(`duplicate attribute ${attribute}`)
      skipSpace()
      if (xml[i] !== '=') fail('expected =')
      i++
      skipSpace()
      const quote = xml[i]
      if (quote !== '"' && quote !== "'") fail('expected a quote')
      const end = xml.indexOf(quote as string, i + 1)
      if (end < 0) fail('unterminated attribute')
      el.attributes[attribute] = decode(xml.slice(i + 1, end), true)
      i = end + 1
    }
    for (;;) {
      const next = xml.indexOf('<', i)
      if (next < 0) fail(`unclosed <${el.name}>`)
      if (next > i) el.children.push(decode(xml.slice(i, next), false))
      i = next
      if (xml.startsWith('</', i)) {
        i += 2
        if (name() !== el.name) fail(`mismatched </…> for <${el.name}>`)
        skipSpace()
        if (xml[i] !== '>') fail('expected >')
        i++
        return el
      }
      el.children.push(element())
    }
  }
  const declaration = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/.exec(xml)
  if (declaration) i = declaration[0].length
  skipSpace()
  const root = element()
  skipSpace()
  if (i !== xml.length) fail('content after the root element')
  return root
}

const elements = (el: XmlElement, name: string): XmlElement[] =>
  el.children.filter((c): c is XmlElement => typeof c !== 'string' && c.name === name)
const textOf = (el: XmlElement): string => el.children.filter((c): c is string => typeof c === 'string').join('')

const NASTY = `quote " apostrophe ' amp & lt < gt > cdata-end ]]> tab\there\nnew line\r\ncrlf bell\u0007 emoji 😀`

const REPORT: DriftCheckReport = {
  modules: ['.', 'svc'],
  notices: [],
  durationMs: 120,
  findings: [
    {
      check: 'tidy',
      module: '.',
      file: 'go.mod',
      line: 6,
      message: 'example.com/unused v1.0.0 is required but not used',
    },
    {
      check: 'tidy',
      module: '.',
      file: 'go.sum',
      line: 3,
      message: 'go.sum has a stale line: example.com/unused v1.0.0 h1:x=',
    },
    { check: 'replace', module: 'svc', file: 'svc/go.mod', line: 9, message: NASTY },
  ],
  diffs: [
    { file: 'go.mod', diff: '--- current/go.mod\n+++ tidy/go.mod\n@@ -5,1 +5,0 @@\n-\texample.com/unused v1.0.0\n' },
  ],
  diagnoses: [],
  checks: [
    { check: 'tidy', module: '.', scope: 'module', outcome: 'failed', durationMs: 50 },
    { check: 'go.sum', module: '.', scope: 'module', outcome: 'passed', durationMs: 0 },
    { check: 'replace', module: '.', scope: 'module', outcome: 'passed', durationMs: 1 },
    {
      check: 'tidy',
      module: 'svc',
      scope: 'module',
      outcome: 'error',
      detail: 'A module proxy answered 503 Service Unavailable',
      durationMs: 40,
    },
    {
      check: 'go.sum',
      module: 'svc',
      scope: 'module',
      outcome: 'error',
      detail: 'A module proxy answered 503 Service Unavailable',
      durationMs: 0,
    },
    { check: 'replace', module: 'svc', scope: 'module', outcome: 'failed', durationMs: 2 },
    {
      check: 'tidy',
      module: 'legacy',
      scope: 'module',
      outcome: 'skipped',
      detail: 'go1.22.1 has no go mod tidy -diff',
      durationMs: 0,
    },
  ],
}

const SECURITY: Diagnosis = {
  code: 'module-cache-zip-modified',
  kind: 'security',
  severity: 'error',
  title: 'example.com/greet@v1.0.0 in the module cache does not match what was downloaded',
  detail: 'detail',
  fix: 'delete the cache',
  module: 'example.com/greet',
}

describe('toJUnit', () => {
  const xml = toJUnit(REPORT, { diagnoses: [SECURITY] })
  const root = parseXml(xml)
  const suites = elements(root, 'testsuite')
  const cases = suites.flatMap((s) => elements(s, 'testcase'))

  it('is well-formed, with the attributes GitLab reads', () => {
    expect(root.name).toBe('testsuites')
    for (const s of suites)
      expect(Object.keys(s.attributes).sort()).toEqual(['errors', 'failures', 'name', 'skipped', 'tests', 'time'])
    for (const c of cases) {
      expect(c.attributes['classname']).toBeTruthy()
      expect(c.attributes['name']).toBeTruthy()
      expect(c.attributes['time']).toMatch(/^\d+\.\d{3}$/)
    }
  })

  it('has one testcase per check per module, with unique names inside each suite', () => {
    expect(cases.map((c) => [c.attributes['classname'], c.attributes['name']])).toEqual([
      ['goproxy-guard drift: root module', 'go mod tidy -diff (root module)'],
      ['goproxy-guard drift: root module', 'go.sum has every checksum the build needs (root module)'],
      ['goproxy-guard drift: root module', 'replace directives stay inside the repository (root module)'],
      ['goproxy-guard drift: module svc', 'go mod tidy -diff (module svc)'],
      ['goproxy-guard drift: module svc', 'go.sum has every checksum the build needs (module svc)'],
      ['goproxy-guard drift: module svc', 'replace directives stay inside the repository (module svc)'],
      ['goproxy-guard drift: module legacy', 'go mod tidy -diff (module legacy)'],
      ['goproxy-guard diagnoses', 'module-cache-zip-modified example.com/greet'],
    ])
  })

  it('keeps every count consistent with the testcases', () => {
    const count = (list: XmlElement[], child: string) => list.filter((c) => elements(c, child).length > 0).length
    for (const s of suites) {
      const members = elements(s, 'testcase')
      expect(Number(s.attributes['tests'])).toBe(members.length)
      expect(Number(s.attributes['failures'])).toBe(count(members, 'failure'))
      expect(Number(s.attributes['errors'])).toBe(count(members, 'error'))
      expect(Number(s.attributes['skipped'])).toBe(count(members, 'skipped'))
    }
    expect(root.attributes).toMatchObject({ tests: '8', failures: '3', errors: '2', skipped: '1' })
    const sum = (key: string) => suites.reduce((n, s) => n + Number(s.attributes[key]), 0)
    for (const key of ['tests', 'failures', 'errors', 'skipped']) expect(Number(root.attributes[key])).toBe(sum(key))
  })

  it('puts every finding of a check, then the diff of each file concerned, into the failure', () => {
    const tidy = cases[0]!
    const [failure] = elements(tidy, 'failure')
    expect(failure?.attributes).toEqual({
      message: '2 problems: example.com/unused v1.0.0 is required but not used; …',
      type: 'tidy',
    })
    expect(textOf(failure!)).toBe(
      'go.mod:6: example.com/unused v1.0.0 is required but not used\ngo.sum:3: go.sum has a stale line: example.com/unused v1.0.0 h1:x=\n--- current/go.mod\n+++ tidy/go.mod\n@@ -5,1 +5,0 @@\n-\texample.com/unused v1.0.0',
    )
    expect(tidy.attributes['file']).toBe('go.mod')
    expect(tidy.attributes['time']).toBe('0.050')
  })

  it('escapes everything: the parsed message is the original text (less what XML cannot carry)', () => {
    const [failure] = elements(cases[5]!, 'failure')
    const expected = NASTY.replace('\u0007', '')
    expect(failure?.attributes['message']).toBe(expected)
    expect(textOf(failure!)).toBe(`svc/go.mod:9: ${expected}`)
  })

  it('shows a check a proxy kept from running as an error, and a skipped check as skipped', () => {
    expect(elements(cases[3]!, 'error')[0]?.attributes).toEqual({
      message: 'A module proxy answered 503 Service Unavailable',
      type: 'proxy',
    })
    expect(elements(cases[6]!, 'skipped')[0]?.attributes).toEqual({ message: 'go1.22.1 has no go mod tidy -diff' })
    expect(elements(cases[7]!, 'failure')[0]?.attributes['type']).toBe('security')
  })

  it('derives testcases when the report does not list its checks', () => {
    const plain = { ...REPORT, checks: undefined }
    const derived = parseXml(
      toJUnit({
        ...plain,
        findings: [
          ...plain.findings,
          { check: 'post-step', module: '.', file: 'go.work', message: 'go.work was created by a later step' },
        ],
      }),
    )
    const names = elements(derived, 'testsuite')
      .flatMap((s) => elements(s, 'testcase'))
      .map((c) => c.attributes['name'])
    expect(names).toEqual([
      'go mod tidy -diff (root module)',
      'go.sum has every checksum the build needs (root module)',
      'replace directives stay inside the repository (root module)',
      'go mod verify (root module)',
      'go mod tidy -diff (module svc)',
      'go.sum has every checksum the build needs (module svc)',
      'replace directives stay inside the repository (module svc)',
      'go mod verify (module svc)',
      'module files unchanged by later steps (workspace .)',
    ])
  })
})

describe('the XML reader used above', () => {
  it.each([
    ['a bare ampersand', '<a>fish & chips</a>'],
    ['< in an attribute', '<a b="x<y"/>'],
    ['an unescaped quote ending an attribute early', '<a b="say "hi""/>'],
    ['a mismatched end tag', '<a><b></a></b>'],
    ['an unclosed element', '<a><b/>'],
    ['a forbidden control character', '<a>\u0001</a>'],
    ['a duplicate attribute', '<a b="1" b="2"/>'],
    ['an unknown entity', '<a>&nbsp;</a>'],
    ['two roots', '<a/><b/>'],
  ])('rejects %s', (_why, bad) => {
    expect(() => parseXml(bad)).toThrow()
  })

  it('folds raw line breaks in attributes into spaces, as XML parsers do', () => {
    expect(parseXml('<a b="x\ny"/>').attributes['b']).toBe('x y')
    expect(parseXml('<a b="x&#10;y"/>').attributes['b']).toBe('x\ny')
  })
})
