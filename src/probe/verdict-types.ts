import type { Diagnosis } from '../diagnose/types.js'
import type { WalkStep } from './fallback.js'
import type { OnProxyFailure } from '../settings/types.js'
import type { SumdbRoute } from './types.js'

/**
 * How Go will get a module: `served` by a proxy; `direct` from its VCS (not probed); `fails` with the error of
 * entry `entryIndex` (or GOPROXY=off); `hangs` waiting for entry `entryIndex`; `unknown` when nothing was probed.
 */
export interface RouteVerdict {
  outcome: 'served' | 'direct' | 'fails' | 'hangs' | 'unknown'
  entryIndex?: number
  steps: WalkStep[]
  /** one line for people */
  summary: string
}

export interface ChecksumVerdict {
  /** `skipped`: Go will not consult the database (GOPROXY=off) */
  outcome: 'verified' | 'off' | 'skipped' | 'fails' | 'hangs'
  route?: SumdbRoute
  summary: string
}

export interface EntryVerdict {
  index: number
  label: string
  verdict: 'healthy' | 'not-found' | 'failing' | 'hangs' | 'skipped' | 'not-probed'
  /** e.g. `tls (expired)`, `http 403`, `timeout (http)`; empty when healthy */
  failingStage: string
  detail: string
  /** total time of the module probe (or the `supported` probe), ms */
  totalMs?: number
  medianMs?: number
}

export interface ChainVerdict {
  /** false when any diagnosis is an error */
  ok: boolean
  publicModules: RouteVerdict
  privateModules?: RouteVerdict
  checksums: ChecksumVerdict
  entries: EntryVerdict[]
  diagnoses: Diagnosis[]
}

export interface JudgeOptions {
  /** `warn` turns proxy errors into warnings (the on-proxy-failure input) */
  onProxyFailure?: OnProxyFailure
  /**
   * Whether every go.sum already holds every hash the build needs (e.g. from the drift checks). Go consults the
   * checksum database only for hashes missing from go.sum, so when this is true a database problem is a warning.
   */
  goSumComplete?: boolean
}
