import path from 'node:path'
import { buildCacheKeys, restoreBuildCache } from '../../cache/build-cache.js'
import type { DependencyFile } from '../../cache/key.js'
import { removeUntrustedEntries } from '../../cache/trust.js'
import { BUILD_VARIABLES } from '../../gocmd/goenv.js'
import type { BuildCacheResult } from '../../report/model.js'
import type { Engine } from '../engine.js'
import type { StepState } from '../state.js'
import type { Configured } from './configure.js'

export interface BuildCacheStage {
  result: BuildCacheResult
  /** what the post step needs to prune and save */
  state: Partial<StepState>
}

/**
 * The build cache, `$(go env GOCACHE)`, on GitHub: restored from the cache service in an entry of its own (the most
 * specific key first), then aged so that the post step can tell what this job used. Elsewhere there is no cache
 * service to restore it from: GitLab's `setup` component caches GOCACHE itself; on a machine of its own, Go's build
 * cache is simply the machine's.
 */
export async function buildCacheStage(
  engine: Engine,
  c: Configured,
  dependencyFiles: DependencyFile[],
): Promise<BuildCacheStage | undefined> {
  const { settings, goenv } = c
  if (engine.platform.name !== 'github') return undefined
  const off = (notRestored: string): BuildCacheStage => ({
    result: { source: 'off', hit: 'false', bytes: 0, durationMs: 0, files: 0, notRestored },
    state: {},
  })
  if (!settings.buildCache) return off('build-cache is false')
  if (goenv.GOCACHE === '' || goenv.GOCACHE === 'off') return off('GOCACHE is off')
  const env = engine.platform.env
  const keys = buildCacheKeys({
    prefix: settings.cacheKeyPrefix,
    goos: goenv.GOOS,
    goarch: goenv.GOARCH,
    goVersion: goenv.GOVERSION,
    buildVariables: {
      GOFLAGS: goenv.GOFLAGS,
      ...Object.fromEntries(BUILD_VARIABLES.map((name) => [name, goenv[name]])),
    },
    dependencyFiles,
    runId: `${env['GITHUB_RUN_ID'] || Date.now()}-${env['GITHUB_RUN_ATTEMPT'] || '1'}`,
  })
  const inventory = path.join(c.workDir, 'build-cache-outputs.txt')
  const restored = await restoreBuildCache({ store: engine.cache, env, gocache: goenv.GOCACHE, inventory }, keys)
  const untrusted = restored.matchedKey === undefined ? [] : await removeUntrustedEntries(goenv.GOCACHE)
  return {
    result: {
      source: 'service',
      key: keys.key,
      ...(restored.matchedKey === undefined ? {} : { matchedKey: restored.matchedKey }),
      hit: restored.hit,
      bytes: restored.bytes,
      durationMs: restored.durationMs,
      files: restored.files,
      ...(restored.problem === undefined ? {} : { problem: restored.problem }),
      ...(restored.notRestored === undefined ? {} : { notRestored: restored.notRestored }),
      ...(untrusted.length > 0 ? { untrusted } : {}),
    },
    state: {
      buildCacheDir: goenv.GOCACHE,
      buildCacheKey: keys.key,
      buildCacheMatchedKey: restored.matchedKey,
      buildCacheInventory: inventory,
      buildCacheUsedSince: restored.agedAt,
      buildCacheSave: settings.buildCacheSave,
    },
  }
}
