import type { BuildCacheResult, CacheSaveResult, MainReport, ModuleCacheResult } from './model.js'
import { formatBytes } from './markdown.js'

type Quote = (text: string) => string

/** One sentence on the module cache, in the words of where it was restored from. */
export function describeModuleCache(cache: ModuleCacheResult, quote: Quote = (t) => t): string {
  const versions = `${cache.moduleVersions} module version${cache.moduleVersions === 1 ? '' : 's'}`
  switch (cache.source) {
    case 'off':
      return `not restored: ${cache.notRestored ?? 'off'}`
    case 'gitlab':
      return cache.moduleVersions > 0
        ? `GitLab's cache restored ${versions}`
        : "GitLab's cache restored nothing (no entry for this key yet, or the job's cache: is not set up)"
    case 'disk':
      return cache.moduleVersions > 0 ? `${versions} already on this machine` : 'empty on this machine'
    case 'service':
      return describeServiceRestore(cache, quote, `${versions} in the cache now`)
  }
}

/** One sentence on the build cache. */
export function describeBuildCache(cache: BuildCacheResult, quote: Quote = (t) => t): string {
  if (cache.source === 'off') return `not restored: ${cache.notRestored ?? 'off'}`
  return describeServiceRestore(cache, quote, `${cache.files} files`)
}

function describeServiceRestore(
  cache: Pick<ModuleCacheResult, 'key' | 'matchedKey' | 'hit' | 'bytes' | 'durationMs' | 'notRestored' | 'problem'>,
  quote: Quote,
  size: string,
): string {
  if (cache.problem !== undefined) return `not restored: ${cache.problem}`
  if (cache.notRestored !== undefined) return `not restored: ${cache.notRestored}`
  const took = `${formatBytes(cache.bytes)} in ${(cache.durationMs / 1000).toFixed(1)} s`
  if (cache.hit === 'true') return `restored from ${quote(cache.key ?? '')} (${took}; ${size})`
  if (cache.hit === 'partial')
    return `restored from the older entry ${quote(cache.matchedKey ?? '')} (partial: ${took}; ${size})`
  return `nothing saved yet under ${quote(cache.key ?? '')} or an older key`
}

/**
 * One sentence on a save in the post step. What was left out: module versions no go.sum names (the module cache), or
 * entries this job did not use (the build cache).
 */
export function describeSave(save: CacheSaveResult, cache: 'module' | 'build'): string {
  const seconds = `${(save.durationMs / 1000).toFixed(1)} s`
  const files = `${save.prunedFiles} file${save.prunedFiles === 1 ? '' : 's'}`
  const bytes = save.prunedBytes === undefined ? '' : ` (${formatBytes(save.prunedBytes)})`
  const why = cache === 'module' ? 'of module versions no go.sum names' : 'this job did not use'
  const pruned = save.prunedFiles !== undefined && save.prunedFiles > 0 ? `, leaving out ${files}${bytes} ${why}` : ''
  return save.saved ? `saved: ${save.reason}${pruned}, in ${seconds}` : `not saved: ${save.reason}`
}

/** Cache trouble, said as warnings: a failed restore never fails a job. */
export function cacheWarnings(report: MainReport): string[] {
  const warnings: string[] = []
  if (report.moduleCache?.problem !== undefined) {
    warnings.push(`Module cache not restored: ${report.moduleCache.problem}. Modules are downloaded instead.`)
  }
  if (report.buildCache?.problem !== undefined) {
    warnings.push(`Build cache not restored: ${report.buildCache.problem}. Packages are compiled instead.`)
  }
  return warnings
}
