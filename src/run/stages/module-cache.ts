import { cacheKey, restoreKeys, type DependencyFile } from '../../cache/key.js'
import { restoreModuleCache, scanDownloadDir } from '../../cache/module-cache.js'
import { removeUntrustedEntries } from '../../cache/trust.js'
import type { ModuleCacheResult, Place } from '../../report/model.js'
import type { Engine } from '../engine.js'
import type { StepState } from '../state.js'
import type { Configured } from './configure.js'

export interface ModuleCacheStage {
  result: ModuleCacheResult
  /** what the post step needs to decide on saving */
  state: Partial<StepState>
  /** the download dir held modules before the step restored anything: restored by something else, verified too */
  inherited: boolean
}

/**
 * The module download cache, `$(go env GOMODCACHE)/cache/download`. On GitHub, restored from the cache service under
 * a key from the dependency files' content (falling back to the newest entry with the prefix). Elsewhere there is no
 * cache service: on GitLab the job's own `cache:` restored it before the job, on a developer's machine it is the
 * machine's own; either way it is what Go will use, and the step says what it holds.
 */
export async function moduleCacheStage(
  engine: Engine,
  c: Configured,
  dependencyFiles: DependencyFile[],
  place: Place,
  downloadDir: string,
): Promise<ModuleCacheStage> {
  const before = await scanDownloadDir(downloadDir).catch(() => ({ files: 0, bytes: 0, zips: 0 }))
  const inherited = before.zips > 0
  const off = (notRestored: string): ModuleCacheStage => ({
    result: { source: 'off', hit: 'false', bytes: 0, durationMs: 0, moduleVersions: before.zips, notRestored },
    state: {},
    inherited,
  })
  if (!c.settings.cache) return off('cache is false')
  if (place !== 'github') {
    return {
      result: {
        source: place === 'gitlab' ? 'gitlab' : 'disk',
        hit: before.zips > 0 ? 'partial' : 'false',
        bytes: before.bytes,
        durationMs: 0,
        moduleVersions: before.zips,
      },
      state: {},
      inherited,
    }
  }
  if (dependencyFiles.length === 0) return off('no go.sum or go.work.sum to key it on')
  const key = cacheKey(c.settings.cacheKeyPrefix, dependencyFiles)
  const restored = await restoreModuleCache(
    { store: engine.cache, env: engine.platform.env, downloadDir },
    key,
    restoreKeys(c.settings.cacheKeyPrefix),
  )
  const untrusted = restored.matchedKey === undefined ? [] : await removeUntrustedEntries(downloadDir)
  return {
    result: {
      source: 'service',
      key,
      ...(restored.matchedKey === undefined ? {} : { matchedKey: restored.matchedKey }),
      hit: restored.hit,
      bytes: restored.bytes,
      durationMs: restored.durationMs,
      moduleVersions: restored.zipsAfter,
      ...(restored.problem === undefined ? {} : { problem: restored.problem }),
      ...(restored.notRestored === undefined ? {} : { notRestored: restored.notRestored }),
      ...(untrusted.length > 0 ? { untrusted } : {}),
    },
    state: {
      cachePrimaryKey: key,
      cacheMatchedKey: restored.matchedKey,
      cacheDownloadDir: downloadDir,
      cacheFilesAtRestore: restored.filesAfter,
    },
    inherited,
  }
}
