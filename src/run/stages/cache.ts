import { cacheKey, findDependencyFiles, readDependencyFiles, restoreKeys } from '../../cache/key.js'
import { restoreModuleCache } from '../../cache/module-cache.js'
import type { ModuleLayout } from '../../drift/modules.js'
import type { Report } from '../../report/model.js'
import type { Configured } from '../configure.js'
import type { Engine } from '../engine.js'
import type { StepState } from '../state.js'

/**
 * Restores the module download cache under a key from the dependency files' content, and records in the step state
 * what the post step needs to decide on saving. True when anything was restored.
 */
export async function restoreCache(
  engine: Engine,
  c: Configured,
  layout: ModuleLayout,
  report: Report,
  remember: (patch: Partial<StepState>) => void,
  downloadDir: string,
): Promise<boolean> {
  const { platform } = engine
  const files = await findDependencyFiles(c.settings.workingDirectory, c.settings.cacheDependencyPath, layout.modules)
  if (files.length === 0) {
    report.cache = {
      key: '',
      hit: 'false',
      skipped: 'No go.sum or go.work.sum found: nothing to key the cache on, so it is skipped.',
    }
    platform.info(report.cache.skipped as string)
    platform.setOutput('cache-hit', 'false')
    return false
  }
  const key = cacheKey(c.settings.cacheKeyPrefix, await readDependencyFiles(c.settings.workingDirectory, files))
  platform.setOutput('cache-key', key)
  const result = await platform.group('Restoring the module cache', () =>
    restoreModuleCache({ store: engine.cache, platform, downloadDir }, key, restoreKeys(c.settings.cacheKeyPrefix)),
  )
  platform.setOutput('cache-hit', result.hit)
  report.cache = {
    key,
    matchedKey: result.matchedKey,
    hit: result.hit,
    bytesRestored: result.bytes,
    restoreMs: result.durationMs,
    skipped: result.problem === undefined ? undefined : `Not restored: ${result.problem}`,
  }
  remember({
    cachePrimaryKey: key,
    cacheMatchedKey: result.matchedKey,
    cacheDownloadDir: downloadDir,
    cacheFilesAtRestore: result.filesAfter,
  })
  return result.hit !== 'false'
}
