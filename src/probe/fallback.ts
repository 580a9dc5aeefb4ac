import type { ProxyEntry } from '../settings/types.js'
import type { ProbeOutcome } from './types.js'

/**
 * What one proxy's answer means to the go command's walk down GOPROXY:
 * - `success`: 200, the walk ends here;
 * - `not-found`: 404 or 410, the walk always goes on (whatever the separator);
 * - `error`: any other failure, the walk goes on only after `|`;
 * - `hang`: no answer at all once connected — Go sets no time limit on proxy responses, so it waits instead of
 *   falling through, even after `|`;
 * - `unknown`: not probed.
 */
export type Attempt = 'success' | 'not-found' | 'error' | 'hang' | 'unknown'

export function attemptOf(outcome: ProbeOutcome | undefined): Attempt {
  if (outcome === undefined) return 'unknown'
  if (outcome.stage === 'timeout') {
    // Go's dialer gives up after 30 s and its TLS handshake after 10 s (an error it can fall through on);
    // a connected server that never answers is waited for without limit.
    return outcome.timedOutDuring === 'http' || outcome.timedOutDuring === 'body' ? 'hang' : 'error'
  }
  if (outcome.stage === 'ok' || outcome.stage === 'file') {
    if (outcome.statusClass === 'success') return 'success'
    if (outcome.statusClass === 'not-found') return 'not-found'
  }
  return 'error'
}

export interface WalkStep {
  index: number
  attempt: Attempt | 'direct' | 'off'
  /** whether Go goes on to the next entry after this one */
  next: boolean
}

/**
 * Where the walk ended:
 * - `served`: entry `index` answered;
 * - `stopped`: entry `index` failed and its separator (`,`) or the failure (a hang, or an unprobed entry) ends the walk;
 * - `direct` / `off`: the walk reached that keyword;
 * - `end`: every entry was tried.
 */
export interface Walk {
  end: 'served' | 'stopped' | 'direct' | 'off' | 'end'
  index?: number
  steps: WalkStep[]
  /**
   * The error Go reports when nothing served, ranked as TryProxies ranks them: a `direct` failure outranks a proxy
   * error, which outranks 404/410. Index of the proxy whose non-404 error Go reports, if one did.
   */
  reportedErrorIndex?: number
}

/** Walks GOPROXY as cmd/go's TryProxies does, given what each URL entry would answer. */
export function walkChain(entries: readonly ProxyEntry[], attemptAt: (index: number) => Attempt): Walk {
  const steps: WalkStep[] = []
  let reportedErrorIndex: number | undefined
  for (const [index, entry] of entries.entries()) {
    if (entry.kind === 'direct' || entry.kind === 'off') {
      steps.push({ index, attempt: entry.kind, next: false })
      return { end: entry.kind, index, steps, reportedErrorIndex }
    }
    const attempt = attemptAt(index)
    if (attempt === 'success') {
      steps.push({ index, attempt, next: false })
      return { end: 'served', index, steps, reportedErrorIndex }
    }
    if (attempt === 'not-found') {
      steps.push({ index, attempt, next: true })
      continue
    }
    if (attempt === 'error' && reportedErrorIndex === undefined) reportedErrorIndex = index
    const fallsThrough = attempt === 'error' && entry.separator === '|'
    steps.push({ index, attempt, next: fallsThrough })
    if (!fallsThrough) return { end: 'stopped', index, steps, reportedErrorIndex }
  }
  return { end: 'end', steps, reportedErrorIndex }
}
