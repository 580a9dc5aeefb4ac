import { describe, expect, it } from '@jest/globals'
import type { Diagnosis } from '../../../src/diagnose/types.js'
import { emptyReport, exitCodeOf } from '../../../src/report/model.js'
import { renderSummary } from '../../../src/report/summary.js'

const d = (kind: Diagnosis['kind'], severity: Diagnosis['severity'] = 'error'): Diagnosis => ({
  code: `${kind}-x`,
  kind,
  severity,
  title: `a ${kind} problem`,
  detail: 'what happened | with a pipe',
  fix: 'what to do',
})
const drift = {
  findings: [{ check: 'tidy' as const, module: '.', file: 'go.mod', message: 'x' }],
  modules: ['.'],
  notices: [],
  diagnoses: [],
  durationMs: 1,
}

describe('exitCodeOf', () => {
  it.each([
    [[], undefined, 0],
    [[d('proxy', 'warning')], undefined, 0],
    [[], drift, 1],
    [[d('security')], undefined, 1],
    [[d('proxy')], drift, 3],
    [[d('config'), d('proxy')], drift, 2],
  ] as const)('%j with drift %j → %d', (diagnoses, report, code) => {
    expect(exitCodeOf([...diagnoses], report)).toBe(code)
  })
})

describe('renderSummary', () => {
  it('puts what failed first, with the fix, and escapes table cells', () => {
    const report = emptyReport()
    report.settings = [{ variable: 'GOPROXY', value: 'https://a|b', source: 'input' }]
    report.diagnoses = [d('proxy'), d('config', 'warning')]
    const text = renderSummary(report)
    expect(text.indexOf('### What failed')).toBeLessThan(text.indexOf('| Variable |'))
    expect(text).toContain('**Fix:** what to do')
    expect(text).toContain('`https://a\\|b`')
    expect(text).toContain('### Warnings')
  })
})
