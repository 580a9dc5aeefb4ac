import { attemptOf } from './fallback.js'
import { joinUrl, moduleRequestPath } from './module-path.js'
import { supportedUrl } from './sumdb-route.js'
import type { EntryLatency, EntryProbe, ProbeModule, ProbeOutcome } from './types.js'

export interface LatencyOptions {
  samples: number
  module?: ProbeModule
  /** for the `supported` request used when no module is known */
  sumdbName: string
  ask: (url: string) => Promise<ProbeOutcome>
}

/** HTTP(S) proxies only: a file:// proxy's latency is the disk's, and keywords have none. */
export function isHttpEntry(probe: EntryProbe): boolean {
  return probe.entry.kind === 'url' && /^https?:/i.test(probe.entry.url ?? '')
}

/** A usable answer: the module is served, or (no module known) the proxy answered `supported` at all. */
export function isHealthy(probe: EntryProbe, moduleKnown: boolean): boolean {
  if (moduleKnown) return attemptOf(probe.publicModule) === 'success'
  const attempt = attemptOf(probe.sumdbSupported)
  return attempt === 'success' || attempt === 'not-found'
}

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}

/**
 * Asks each healthy HTTP proxy the same question `samples` times, one after another on fresh connections (the
 * proxies themselves in parallel), and records the total times on the probes. Failed samples are left out.
 */
export async function measureLatencies(probes: EntryProbe[], options: LatencyOptions): Promise<void> {
  await Promise.all(
    probes.filter(isHttpEntry).map(async (probe) => {
      if (!isHealthy(probe, options.module !== undefined)) return
      const base = probe.entry.url ?? ''
      const url =
        options.module === undefined
          ? supportedUrl(base, options.sumdbName)
          : joinUrl(base, moduleRequestPath(options.module))
      const samples: number[] = []
      for (let i = 0; i < options.samples; i++) {
        const outcome = await options.ask(url)
        if (outcome.stage === 'ok') samples.push(outcome.timings.totalMs)
      }
      probe.latencySamplesMs = samples
    }),
  )
}

/** The latencies the ordering works from, one per HTTP proxy entry. */
export function latenciesOf(probes: readonly EntryProbe[], moduleKnown: boolean): EntryLatency[] {
  return probes.filter(isHttpEntry).map((probe) => {
    const samplesMs = probe.latencySamplesMs ?? []
    const medianMs = median(samplesMs)
    return {
      index: probe.index,
      label: probe.label,
      healthy: isHealthy(probe, moduleKnown) && medianMs !== undefined,
      samplesMs,
      ...(medianMs === undefined ? {} : { medianMs }),
    }
  })
}
