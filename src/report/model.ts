import type { Diagnosis } from '../diagnose/types.js'
import type { CheckRun } from '../drift/check-run.js'
import type { DriftReport, FileDiff, Finding } from '../drift/types.js'
import type { JobNeeds } from '../modules/needs.js'
import type { ProbeReport } from '../probe/types.js'
import type { ChainVerdict, RouteNeeds } from '../probe/verdict.js'
import type { OnProxyFailure } from '../settings/types.js'

export type ExitCode = 0 | 1 | 2 | 3

/** Where the tool runs, which decides the words it uses: only GitHub has steps, annotations and a job summary. */
export type Place = 'github' | 'gitlab' | 'terminal'

export interface SettingRow {
  variable: string
  /** credential-free */
  value: string
  source: 'input' | 'preset' | 'environment or go env'
}

/** What the job's go commands and later steps get. */
export interface ConfigurationResult {
  /** the Go variables that differ from Go's defaults, as `go env` resolves them */
  settings: SettingRow[]
  /** hosts that got credentials; never the credentials */
  credentialHosts: string[]
  /** the inputs' warnings, and values from the environment that Go accepts but the tool's grammar does not */
  warnings: string[]
}

export interface LayoutResult {
  /** absolute: findings' paths are relative to it */
  workingDirectory: string
  /** module directories relative to the working directory */
  modules: string[]
  /** go.work, when there is one */
  workspace?: string
}

export interface JudgedProbe {
  report: ProbeReport
  verdict: ChainVerdict
  /** the new GOPROXY when select-fastest reordered it */
  fastestGoproxy?: string
}

export type ProbeResult = JudgedProbe | { skipped: string }

/** What the job needs from the network and what the chain's failures mean for it. */
export interface AccessResult {
  needs: JobNeeds
  routes: RouteNeeds
  /** judged without a probe: GOPROXY=off with modules missing from the cache */
  diagnoses: Diagnosis[]
}

export type CacheHit = 'true' | 'partial' | 'false'

/** The module download cache as the main step found it. */
export interface ModuleCacheResult {
  /**
   * `service`: restored from the GitHub cache service by this step; `gitlab`: GitLab's `cache:` restored it before the
   * job; `disk`: already on this machine (a self-hosted runner, a developer's machine); `off`: not restored
   */
  source: 'service' | 'gitlab' | 'disk' | 'off'
  key?: string
  matchedKey?: string
  hit: CacheHit
  /** what the restore added */
  bytes: number
  durationMs: number
  /** module versions with a zip in the download dir after the restore */
  moduleVersions: number
  /** why nothing was restored, when that is not a plain miss (cache off, no go.sum, read-only runner) */
  notRestored?: string
  /** a cache-service failure: a warning, never a failed job */
  problem?: string
  /** a restored entry that breaks the rules of a module cache (symbolic links, files outside Go's layout) */
  untrusted?: string[]
}

/** The build cache (GOCACHE) as the main step found it. */
export interface BuildCacheResult {
  source: 'service' | 'off'
  key?: string
  matchedKey?: string
  hit: CacheHit
  bytes: number
  durationMs: number
  /** files in GOCACHE after the restore (aged two hours, so that the post step sees which ones this job used) */
  files: number
  notRestored?: string
  problem?: string
  untrusted?: string[]
}

export interface DownloadResult {
  ok: boolean
  durationMs: number
  /** modules (or the workspace) where `go mod download` failed */
  failed: string[]
  /** module directories built from vendor/, not warmed */
  skipped: string[]
  diagnoses: Diagnosis[]
}

export interface VerifyResult {
  ok: boolean
  durationMs: number
  /** why it ran: a cache this step restored, one something else restored, or the drift check */
  reason: 'restored' | 'inherited' | 'check-drift'
  findings: Finding[]
  diagnoses: Diagnosis[]
}

export type DriftResult = DriftReport & { checks?: CheckRun[] }

/** Everything the main step (and the CLI's `run`) found; every surface renders this and nothing else. */
export interface MainReport {
  place: Place
  policy: OnProxyFailure
  /** invalid input, no usable go, an unusable temp dir, an unreadable module file: the step stopped (exit 2) */
  refused?: string
  /** whether the environment had been exported when it stopped (the modules could not be read) */
  refusedAfterExport?: boolean
  configuration?: ConfigurationResult
  layout?: LayoutResult
  probe?: ProbeResult
  access?: AccessResult
  moduleCache?: ModuleCacheResult
  buildCache?: BuildCacheResult
  drift?: DriftResult
  /** drift and download were not run: a fetch this job needs cannot succeed */
  stoppedEarly?: string
  download?: DownloadResult
  verify?: VerifyResult
  /** the exported GOPROXY, GOSUMDB, GOPRIVATE, GONOSUMDB as `go env` resolves them (the outputs) */
  effective?: { GOPROXY: string; GOSUMDB: string; GOPRIVATE: string; GONOSUMDB: string }
}

export interface ModuleFilesCheck {
  /** absolute: the findings' paths are relative to it */
  workingDirectory: string
  findings: Finding[]
  diffs: FileDiff[]
}

export interface CacheSaveResult {
  saved: boolean
  /** what was saved, or why nothing was (one line) */
  reason: string
  /** a cache-service failure (a warning) */
  problem?: string
  durationMs: number
  /** files left out of the entry (not named by any go.sum; not used by this job) */
  prunedFiles?: number
  prunedBytes?: number
}

/** What the post step did. */
export interface PostReport {
  place: Place
  /** false when the main step stopped before writing anything: nothing to check, save or remove */
  ran: boolean
  moduleFiles?: ModuleFilesCheck
  moduleCacheSave?: CacheSaveResult
  buildCacheSave?: CacheSaveResult
  /** the credential files: there were none, they were removed, or removing them failed */
  credentials: { removed: false; failed?: string } | { removed: true }
}
