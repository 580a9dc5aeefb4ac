import type { Platform } from '../platform/platform.js'

/** What the main step hands the post step: paths, keys and flags only — never a secret. */
export interface StepState {
  /** our directory under the temp dir: credential files and snapshots */
  workDir?: string
  /** where the module file snapshots are */
  snapshotDir?: string
  checkPost?: boolean
  mainSucceeded?: boolean
  cacheSave?: boolean
  cachePrimaryKey?: string
  cacheMatchedKey?: string
  cacheDownloadDir?: string
  cacheFilesAtRestore?: number
  /** the build cache: GOCACHE, its key, what matched, the compiled outputs at restore and when the files were aged */
  buildCacheDir?: string
  buildCacheKey?: string
  buildCacheMatchedKey?: string
  /** the outputs GOCACHE held after the restore (a file in the work dir) */
  buildCacheInventory?: string
  /** epoch ms: files not touched since are not used by this job */
  buildCacheUsedSince?: number
  buildCacheSave?: 'default-branch' | 'always' | 'never'
  /** every go.sum and go.work.sum of the modules, absolute: module versions none of them names leave the entry */
  goSumFiles?: string[]
  /** GOVERSION: the toolchain module versions the job used stay in the module entry */
  goVersion?: string
}

const KEY = 'goproxy-guard'

/** The state, saved again with every patch: the post step finds whatever the main step got to. */
export function stepStateRecorder(platform: Platform): (patch: Partial<StepState>) => StepState {
  const state: StepState = {}
  return (patch) => {
    Object.assign(state, patch)
    platform.saveState(KEY, JSON.stringify(state))
    return state
  }
}

export function loadStepState(platform: Platform): StepState | undefined {
  const raw = platform.getState(KEY)
  if (raw === '') return undefined
  try {
    return JSON.parse(raw) as StepState
  } catch {
    return undefined
  }
}
