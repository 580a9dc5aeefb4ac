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
}

const KEY = 'goproxy-guard'

export function saveStepState(platform: Platform, state: StepState): void {
  platform.saveState(KEY, JSON.stringify(state))
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
