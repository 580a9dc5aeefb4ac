import type { Diagnosis } from '../diagnose/types.js'

/** One way in which go.mod / go.sum / go.work (or vendor/) disagree with what the build needs. */
export interface Finding {
  check: 'tidy' | 'go.sum' | 'replace' | 'vendor' | 'verify' | 'post-step'
  /** module directory relative to the working directory (`.` for the root module) */
  module: string
  /** the file concerned, relative to the working directory */
  file: string
  line?: number
  /** what is wrong and what to do about it, in one sentence */
  message: string
}

/** The change that would make a file right (tidy, vendor) or that a later step made (post-step): one per file. */
export interface FileDiff {
  /** relative to the working directory */
  file: string
  /** a unified diff */
  diff: string
}

export interface DriftReport {
  findings: Finding[]
  /** one diff per file the findings are about */
  diffs: FileDiff[]
  /** module directories checked */
  modules: string[]
  /** things the user should know that are not failures (e.g. Go too old for tidy -diff) */
  notices: string[]
  /** checks that could not run because a proxy, the checksum database or credentials failed */
  diagnoses: Diagnosis[]
  durationMs: number
}
