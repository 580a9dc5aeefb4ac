import type { CacheStore } from '../cache/store.js'
import type { GoRunner } from '../gocmd/runner.js'
import type { Platform } from '../platform/platform.js'
import type { Redactor } from '../secrets/redactor.js'

/** The outside world, injected: entry points build it, tests swap parts of it. */
export interface Engine {
  platform: Platform
  redactor: Redactor
  go: GoRunner
  cache: CacheStore
  /** directory relative inputs are resolved against */
  baseDirectory: string
}
