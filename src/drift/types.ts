import type { Diagnosis } from '../diagnose/types.js'

/** One way in which go.mod / go.sum / go.work disagree with what the build needs. */
export interface Finding {
  check: 'tidy' | 'go.sum' | 'replace' | 'verify' | 'post-step'
  /** module directory relative to the working directory (`.` for the root module) */
  module: string
  /** the file concerned, relative to the working directory */
  file: string
  line?: number
  message: string
  /** unified diff, when the check produced one */
  diff?: string
}

export interface DriftReport {
  findings: Finding[]
  /** module directories checked */
  modules: string[]
  /** things the user should know that are not failures (e.g. Go too old for tidy -diff) */
  notices: string[]
  /** checks that could not run because a proxy, the checksum database or credentials failed */
  diagnoses: Diagnosis[]
  durationMs: number
}
