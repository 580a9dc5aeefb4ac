import type {
  BuildCacheResult,
  DownloadResult,
  DriftResult,
  ModuleCacheResult,
  ProbeResult,
  VerifyResult,
} from './model.js'
import type { JobNeeds } from '../modules/needs.js'
import { describeBuildCache, describeModuleCache } from './caches.js'
import { findingsByFile } from './drift.js'
import { describeNeeds } from './needs.js'
import { renderProbeText } from './probe.js'

/*
 * What each group of the log holds, as the stage finishes: tables, timings and one-line results. What failed and
 * how to fix it is said once, by the annotations (or the CLI's report), not here.
 */

export function accessLog(results: {
  probe?: ProbeResult
  moduleCache?: ModuleCacheResult
  buildCache?: BuildCacheResult
  needs?: JobNeeds
}): string {
  const lines: string[] = []
  if (results.probe !== undefined) {
    lines.push(
      'verdict' in results.probe
        ? renderProbeText(results.probe.report, results.probe.verdict).replace(/\n$/, '')
        : `Proxies not probed: ${results.probe.skipped}`,
    )
  }
  if (results.moduleCache) lines.push(`Module cache: ${describeModuleCache(results.moduleCache)}`)
  if (results.buildCache) lines.push(`Build cache: ${describeBuildCache(results.buildCache)}`)
  if (results.needs) lines.push(...describeNeeds(results.needs))
  return lines.join('\n')
}

export function driftLog(drift: DriftResult): string {
  const n = drift.modules.length
  const seconds = (drift.durationMs / 1000).toFixed(1)
  const lines =
    drift.findings.length === 0
      ? [`No drift in ${n} module${n === 1 ? '' : 's'} (${seconds} s).`]
      : [
          `${drift.findings.length} finding${drift.findings.length === 1 ? '' : 's'} in ${n} module${n === 1 ? '' : 's'} (${seconds} s).`,
        ]
  for (const group of findingsByFile(drift.findings, drift.diffs))
    if (group.diff) lines.push(group.diff.replace(/\n$/, ''))
  lines.push(...drift.notices.map((notice) => `Note: ${notice}`))
  return lines.join('\n')
}

export function downloadLog(download: DownloadResult): string {
  const seconds = (download.durationMs / 1000).toFixed(1)
  const skipped =
    download.skipped.length > 0 ? ` ${download.skipped.join(', ')}: built from vendor/, not downloaded.` : ''
  return download.ok
    ? `go mod download: ok (${seconds} s).${skipped}`
    : `go mod download failed in ${download.failed.join(', ')} (${seconds} s).${skipped}`
}

export function verifyLog(verify: VerifyResult): string {
  return verify.ok
    ? `go mod verify: all modules verified (${(verify.durationMs / 1000).toFixed(1)} s).`
    : `go mod verify failed (${(verify.durationMs / 1000).toFixed(1)} s).`
}
