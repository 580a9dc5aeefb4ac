import { describe, expect, it } from '@jest/globals'
import type { Diagnosis } from '../../../src/diagnose/types.js'
import type { Finding } from '../../../src/drift/types.js'
import { renderCodeQuality, toCodeQuality } from '../../../src/report/codequality.js'

/*
 * The report format as GitLab documents it (doc/ci/testing/code_quality.md, "Implement a custom tool"): an array of
 * objects with description, check_name, fingerprint (unique), severity (info|minor|major|critical|blocker),
 * location.path (relative) and location.lines.begin (or location.positions.begin.line); no byte order mark.
 */
const SCHEMA: Schema = {
  type: 'array',
  items: {
    type: 'object',
    required: ['description', 'check_name', 'fingerprint', 'severity', 'location'],
    properties: {
      description: { type: 'string', minLength: 1, pattern: '^[^\\n]*$' },
      check_name: { type: 'string', minLength: 1 },
      fingerprint: { type: 'string', pattern: '^[0-9a-f]{32}$' },
      severity: { enum: ['info', 'minor', 'major', 'critical', 'blocker'] },
      location: {
        type: 'object',
        required: ['path', 'lines'],
        properties: {
          // relative, forward slashes, no ./ prefix
          path: { type: 'string', minLength: 1, pattern: '^(?!/)(?!\\./)(?![A-Za-z]:)[^\\\\]+$' },
          lines: { type: 'object', required: ['begin'], properties: { begin: { type: 'integer', minimum: 1 } } },
        },
      },
    },
  },
}

interface Schema {
  type?: 'array' | 'object' | 'string' | 'integer'
  items?: Schema
  required?: string[]
  properties?: Record<string, Schema>
  enum?: string[]
  minLength?: number
  minimum?: number
  pattern?: string
}

/** A small JSON-schema subset: enough to check the documented shape. Returns every violation with its path. */
function validate(value: unknown, schema: Schema, at = '$'): string[] {
  const errors: string[] = []
  if (schema.enum && !schema.enum.includes(value as string))
    errors.push(`${at}: ${JSON.stringify(value)} not in ${schema.enum.join('|')}`)
  switch (schema.type) {
    case 'array':
      if (!Array.isArray(value)) return [`${at}: not an array`]
      value.forEach((item, i) => errors.push(...(schema.items ? validate(item, schema.items, `${at}[${i}]`) : [])))
      break
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${at}: not an object`]
      const record = value as Record<string, unknown>
      for (const key of schema.required ?? []) if (!(key in record)) errors.push(`${at}.${key}: missing`)
      for (const [key, sub] of Object.entries(schema.properties ?? {}))
        if (key in record) errors.push(...validate(record[key], sub, `${at}.${key}`))
      break
    }
    case 'string':
      if (typeof value !== 'string') return [`${at}: not a string`]
      if (schema.minLength !== undefined && value.length < schema.minLength)
        errors.push(`${at}: shorter than ${schema.minLength}`)
      if (schema.pattern && !new RegExp(schema.pattern).test(value))
        errors.push(`${at}: ${JSON.stringify(value)} does not match ${schema.pattern}`)
      break
    case 'integer':
      if (!Number.isInteger(value)) return [`${at}: not an integer`]
      if (schema.minimum !== undefined && (value as number) < schema.minimum)
        errors.push(`${at}: below ${schema.minimum}`)
      break
  }
  return errors
}

const FINDINGS: Finding[] = [
  {
    check: 'tidy',
    module: '.',
    file: 'go.mod',
    line: 6,
    message: 'example.com/unused v1.0.0 is required but not used',
  },
  { check: 'go.sum', module: 'svc', file: 'svc/go.sum', message: 'go.sum lacks example.com/greet v1.0.0/go.mod' },
  {
    check: 'post-step',
    module: '.',
    file: 'go.sum',
    line: 3,
    message: 'go.sum was changed by a later step:\nmulti-line',
  },
  { check: 'verify', module: '.', file: 'go.mod', message: 'go mod verify failed' },
]

const DIAGNOSES: Diagnosis[] = [
  {
    code: 'proxy-http-503',
    kind: 'proxy',
    severity: 'error',
    title: 'A module proxy answered 503',
    detail: 'd',
    fix: 'Check the proxy.',
    url: 'https://p/x',
  },
  {
    code: 'module-cache-zip-modified',
    kind: 'security',
    severity: 'error',
    title: 'zip modified',
    detail: 'd',
    fix: 'Delete the cache.',
    module: 'example.com/greet',
  },
  {
    code: 'module-cache-ziphash-missing',
    kind: 'security',
    severity: 'warning',
    title: 'no hash',
    detail: 'd',
    fix: 'f',
  },
]

describe('toCodeQuality', () => {
  it('matches the documented schema', () => {
    const report = toCodeQuality(FINDINGS, DIAGNOSES, { pathPrefix: 'services/api/' })
    expect(validate(report, SCHEMA)).toEqual([])
    expect(report).toHaveLength(7)
  })

  it('the validator rejects what GitLab would not take', () => {
    const [issue] = toCodeQuality(FINDINGS.slice(0, 1))
    const broken = [
      { ...issue, severity: 'error' },
      { ...issue, location: { path: './go.mod', lines: { begin: 0 } } },
      { ...issue, fingerprint: undefined },
    ]
    expect(validate(JSON.parse(JSON.stringify(broken)), SCHEMA)).toEqual([
      '$[0].severity: "error" not in info|minor|major|critical|blocker',
      '$[1].location.path: "./go.mod" does not match ^(?!/)(?!\\./)(?![A-Za-z]:)[^\\\\]+$',
      '$[1].location.lines.begin: below 1',
      '$[2].fingerprint: missing',
    ])
  })

  it('places findings at their file and line, relative to the repository', () => {
    const report = toCodeQuality(FINDINGS, [], { pathPrefix: 'services/api' })
    expect(report.map((i) => [i.check_name, i.severity, i.location.path, i.location.lines.begin])).toEqual([
      ['goproxy-guard/tidy', 'major', 'services/api/go.mod', 6],
      ['goproxy-guard/go.sum', 'major', 'services/api/svc/go.sum', 1],
      ['goproxy-guard/post-step', 'major', 'services/api/go.sum', 3],
      ['goproxy-guard/verify', 'critical', 'services/api/go.mod', 1],
    ])
    expect(report[2]?.description).toBe('go.sum was changed by a later step: multi-line')
    const above = toCodeQuality([{ ...FINDINGS[0]!, file: '../go.work' }], [], { pathPrefix: 'services/api/' })
    expect(above[0]?.location.path).toBe('services/go.work')
  })

  it('ranks diagnoses: security blocker, proxy critical, warnings minor', () => {
    expect(toCodeQuality([], DIAGNOSES).map((i) => [i.check_name, i.severity, i.location.path])).toEqual([
      ['goproxy-guard/proxy/proxy-http-503', 'critical', 'go.mod'],
      ['goproxy-guard/security/module-cache-zip-modified', 'blocker', 'go.mod'],
      ['goproxy-guard/security/module-cache-ziphash-missing', 'minor', 'go.mod'],
    ])
  })

  it('has stable fingerprints that ignore the line and stay unique for repeated findings', () => {
    const first = toCodeQuality(FINDINGS)
    const moved = toCodeQuality(FINDINGS.map((f) => ({ ...f, line: (f.line ?? 1) + 10 })))
    expect(moved.map((i) => i.fingerprint)).toEqual(first.map((i) => i.fingerprint))
    const twice = toCodeQuality([FINDINGS[0]!, FINDINGS[0]!])
    expect(new Set(twice.map((i) => i.fingerprint)).size).toBe(2)
    expect(new Set(toCodeQuality(FINDINGS, DIAGNOSES).map((i) => i.fingerprint)).size).toBe(7)
  })
})

describe('renderCodeQuality', () => {
  it('is JSON without a byte order mark', () => {
    const text = renderCodeQuality(FINDINGS, DIAGNOSES)
    expect(text.charCodeAt(0)).toBe('['.charCodeAt(0))
    expect(
      Buffer.from(text, 'utf8')
        .subarray(0, 3)
        .equals(Buffer.from([0xef, 0xbb, 0xbf])),
    ).toBe(false)
    expect(validate(JSON.parse(text), SCHEMA)).toEqual([])
  })

  it('is an empty array when there is nothing to report', () => {
    expect(JSON.parse(renderCodeQuality([]))).toEqual([])
  })
})
