import { describe, expect, it } from '@jest/globals'
import type { Diagnosis } from '../../../src/diagnose/types.js'
import type { Finding } from '../../../src/drift/types.js'
import type { MainReport } from '../../../src/report/model.js'
import { diagnosesOf, driftFix, exitCodeOf, mainHeadline } from '../../../src/report/outcome.js'

const d = (kind: Diagnosis['kind'], severity: Diagnosis['severity'] = 'error', code = `${kind}-x`): Diagnosis => ({
  code,
  kind,
  severity,
  title: `a ${kind} problem`,
  detail: 'what happened | with a pipe',
  fix: 'what to do',
})
const finding = (check: Finding['check'], module = '.'): Finding => ({
  check,
  module,
  file: module === '.' ? 'go.mod' : `${module}/go.mod`,
  message: 'x',
})

describe('exitCodeOf', () => {
  it.each([
    [[], [], 0],
    [[d('proxy', 'warning')], [], 0],
    [[], [finding('tidy')], 1],
    [[d('security')], [], 1],
    [[d('proxy')], [finding('tidy')], 3],
    [[d('config'), d('proxy')], [finding('tidy')], 2],
  ] as const)('%j with findings %j → %d', (diagnoses, findings, code) => {
    expect(exitCodeOf([...diagnoses], [...findings])).toBe(code)
  })
})

describe('the verdict', () => {
  const base: MainReport = { place: 'github', policy: 'fail', layout: { workingDirectory: '/w', modules: ['.'] } }

  it('names the failing proxy diagnosis and its fix first, and marks it as said', () => {
    const proxy = { ...d('proxy'), title: 'GOPROXY entry https://127.0.0.1:9: every module fetch fails (http 503)' }
    const report: MainReport = {
      ...base,
      access: undefined,
      download: { ok: false, durationMs: 1, failed: ['.'], skipped: [], diagnoses: [proxy] },
    }
    const headline = mainHeadline(report)
    expect(headline).toMatchObject({ status: 'failed', sentence: proxy.title, fix: 'what to do' })
    expect(headline.diagnosis).toBe(proxy)
  })

  it('says drift with the go mod tidy fix, and the files', () => {
    const report: MainReport = {
      ...base,
      drift: {
        findings: [finding('tidy'), finding('go.sum')],
        diffs: [],
        modules: ['.'],
        notices: [],
        diagnoses: [],
        durationMs: 1,
      },
    }
    expect(mainHeadline(report)).toEqual({
      status: 'failed',
      sentence: 'go.mod and go.sum drift: 2 findings in go.mod',
      fix: 'Run `go mod tidy` and commit go.mod and go.sum.',
    })
  })

  it('passes with warnings when only warnings remain, and says so first', () => {
    const report: MainReport = {
      ...base,
      download: { ok: true, durationMs: 1, failed: [], skipped: [], diagnoses: [d('proxy', 'warning')] },
    }
    expect(mainHeadline(report).status).toBe('warnings')
    expect(mainHeadline(report).sentence).toMatch(/^Passed with 1 warning: /)
  })

  it('turns proxy errors into warnings with on-proxy-failure: warn, never config errors', () => {
    const report: MainReport = {
      ...base,
      policy: 'warn',
      download: { ok: false, durationMs: 1, failed: ['.'], skipped: [], diagnoses: [d('proxy'), d('config')] },
    }
    expect(diagnosesOf(report).map((x) => [x.kind, x.severity])).toEqual([
      ['proxy', 'warning'],
      ['config', 'error'],
    ])
  })
})

describe('driftFix', () => {
  it('gives one line naming each command and the modules concerned', () => {
    expect(driftFix([finding('tidy', 'svc'), finding('vendor', 'svc'), finding('replace')])).toBe(
      'Run `go mod tidy` in svc and commit go.mod and go.sum. Run `go mod vendor` in svc (`go work vendor` in a workspace) and commit vendor/. Point replace directives and go.work use lines inside the repository, or set allow-external-replace.',
    )
  })
})
