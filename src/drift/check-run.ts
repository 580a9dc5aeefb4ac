import type { Diagnosis } from '../diagnose/types.js'
import type { DriftReport, FileDiff, Finding } from './types.js'

export type CheckName = Finding['check']

/** One check on one module (or on the workspace), as the JUnit report lists it. */
export interface CheckRun {
  check: CheckName
  /** module directory relative to the working directory; for workspace checks, the go.work directory */
  module: string
  scope: 'module' | 'workspace'
  /** `error`: could not run because a proxy, the checksum database or credentials failed */
  outcome: 'passed' | 'failed' | 'skipped' | 'error'
  /** why it was skipped or could not run */
  detail?: string
  durationMs: number
}

/** A drift report that also says which checks ran; assignable to DriftReport. */
export interface DriftCheckReport extends DriftReport {
  checks: CheckRun[]
}

export interface CheckOutcome {
  findings: Finding[]
  diffs: FileDiff[]
  diagnoses: Diagnosis[]
  notices: string[]
  checks: CheckRun[]
}

export function emptyOutcome(): CheckOutcome {
  return { findings: [], diffs: [], diagnoses: [], notices: [], checks: [] }
}

export function mergeOutcomes(outcomes: CheckOutcome[]): CheckOutcome {
  const merged = emptyOutcome()
  for (const o of outcomes) {
    merged.findings.push(...o.findings)
    merged.diffs.push(...o.diffs)
    merged.diagnoses.push(...o.diagnoses)
    merged.notices.push(...o.notices)
    merged.checks.push(...o.checks)
  }
  return merged
}

export type { GoAccess } from '../gocmd/runner.js'

/**
 * The outcome of one check from what it found: `error` when a proxy, credential or configuration problem kept it from
 * running, `failed` on a finding or a security diagnosis (a modified module is a failure of the check, not a miss).
 */
export function checkRun(
  check: CheckName,
  module: string,
  scope: CheckRun['scope'],
  result: { findings: Finding[]; diagnoses: Diagnosis[] },
  durationMs: number,
): CheckRun {
  const blocking = result.diagnoses.filter((d) => d.kind === 'proxy' || d.kind === 'config')
  if (blocking.length > 0) {
    return { check, module, scope, outcome: 'error', detail: blocking.map((d) => d.title).join('; '), durationMs }
  }
  const failing = result.findings.length > 0 || result.diagnoses.some((d) => d.severity === 'error')
  return { check, module, scope, outcome: failing ? 'failed' : 'passed', durationMs }
}
