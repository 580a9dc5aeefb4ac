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

/** The three things a chain does for a job: serve public modules, serve private ones, vouch for checksums. */
export type ChainRoute = 'public' | 'private' | 'checksums'

/**
 * What this job needs of each route, and why not when it does not. A route the job needs that fails is an error
 * (with `on-proxy-failure: fail`); one it does not need is a warning that says when it starts to matter.
 */
export type RouteNeeds = Record<ChainRoute, { needed: true } | { needed: false; why: string; mattersWhen: string }>

export interface JudgeOptions {
  /** `fail` (by what the job needs), `strict` (every failure is an error) or `warn` (every failure is a warning) */
  onProxyFailure?: OnProxyFailure
  /** what the job needs; without it every route counts as needed */
  needs?: RouteNeeds
}
