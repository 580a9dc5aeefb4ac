import type { Diagnosis } from '../diagnose/types.js'
import type { DriftReport } from '../drift/types.js'

export type ExitCode = 0 | 1 | 2 | 3

export interface SettingRow {
  variable: string
  /** credential-free */
  value: string
  source: 'input' | 'preset' | 'environment or go env' | 'Go default'
}

export interface CacheSummary {
  key: string
  matchedKey?: string
  hit: 'true' | 'partial' | 'false'
  bytesRestored?: number
  restoreMs?: number
  skipped?: string
}

export interface StageResult {
  ok: boolean
  durationMs: number
  skipped?: string
  detail?: string
}

/** One run's findings; every surface (summary, annotations, CLI text, JSON, GitLab reports) renders this. */
export interface Report {
  settings: SettingRow[]
  warnings: string[]
  /** hosts that got credentials; never the credentials */
  credentialHosts: string[]
  /** rendered probe report (markdown / text / JSON come from the probe module) */
  probe?: unknown
  cache?: CacheSummary
  drift?: DriftReport
  download?: StageResult
  verify?: StageResult
  diagnoses: Diagnosis[]
}

export function emptyReport(): Report {
  return { settings: [], warnings: [], credentialHosts: [], diagnoses: [] }
}

/** Invalid input 2, then a proxy failure 3 (nothing downstream can be trusted without one), then drift or security 1. */
export function exitCodeOf(diagnoses: Diagnosis[], drift?: DriftReport): ExitCode {
  const errors = diagnoses.filter((d) => d.severity === 'error')
  if (errors.some((d) => d.kind === 'config')) return 2
  if (errors.some((d) => d.kind === 'proxy')) return 3
  if (errors.length > 0 || (drift?.findings.length ?? 0) > 0) return 1
  return 0
}
