import type { Diagnosis } from '../diagnose/types.js'
import type { ProxyEntry } from '../settings/types.js'
import { describeOutcome, fixForOutcome, outcomeCode } from './describe-outcome.js'
import type { EntryProbe, ProbeOutcome, ProbeReport } from './types.js'

/** What the parts of judgeChain share while they judge one report, and where they put their findings. */
export interface Judging {
  report: ProbeReport
  chain: readonly ProxyEntry[]
  probes: ReadonlyMap<number, EntryProbe>
  moduleKnown: boolean
  /** severity of a failure that breaks fetching: `error`, or `warning` with on-proxy-failure: warn */
  proxySeverity: Diagnosis['severity']
  /** severity of a checksum-database failure: as proxySeverity, but `warning` when go.sum is known complete */
  sumdbSeverity: Diagnosis['severity']
  diagnoses: Diagnosis[]
}

export function labelOf(judging: Judging, index: number | undefined): string {
  return index === undefined ? '' : (judging.probes.get(index)?.label ?? '')
}

function separatorWords(entry: ProxyEntry | undefined): string {
  if (entry?.separator === '|') return 'the `|` after it lets Go go on after any error'
  if (entry?.separator === ',') return 'the `,` after it lets Go go on only after 404/410'
  return 'it is the last entry'
}

export interface EntryFailure {
  index: number
  outcome: ProbeOutcome
  severity: Diagnosis['severity']
  /** what is wrong, for the title */
  what: string
  /** what Go does about it */
  goDoes: string
  /** advice beyond fixing the entry itself (e.g. the separator) */
  extraFix?: string
  /** the module concerned (default: the public module) */
  module?: string
}

/** Records a failing GOPROXY entry: the entry, the stage, what Go does (and why, from its separator), the fix. */
export function entryFailure(judging: Judging, failure: EntryFailure): void {
  const { index, outcome, severity, what, goDoes, extraFix = '' } = failure
  const module = failure.module ?? judging.report.publicModule?.path
  const fix = [fixForOutcome(outcome), extraFix].filter((f) => f !== '').join(' ')
  judging.diagnoses.push({
    code: outcomeCode('proxy', outcome),
    kind: 'proxy',
    severity,
    title: `GOPROXY entry ${labelOf(judging, index)}: ${what}`,
    detail: `${describeOutcome(outcome)} at ${outcome.url}. ${goDoes} (${separatorWords(judging.chain[index])}).`,
    fix,
    url: outcome.url,
    ...(module ? { module } : {}),
  })
}
