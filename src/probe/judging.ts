import type { Diagnosis } from '../diagnose/types.js'
import type { ProxyEntry } from '../settings/types.js'
import { describeOutcome, fixForOutcome, outcomeCode } from './describe-outcome.js'
import type { EntryProbe, ProbeOutcome, ProbeReport } from './types.js'
import type { ChainRoute, JudgeOptions } from './verdict-types.js'

/** What the parts of judgeChain share while they judge one report, and where they put their findings. */
export interface Judging {
  report: ProbeReport
  chain: readonly ProxyEntry[]
  probes: ReadonlyMap<number, EntryProbe>
  moduleKnown: boolean
  /** severity of a failure that breaks a route: `error` when the job needs it (see JudgeOptions) */
  severity: Record<ChainRoute, Diagnosis['severity']>
  /** for a route the job does not need: why, and when that changes (appended to its failures' detail) */
  unneeded: Partial<Record<ChainRoute, string>>
  diagnoses: Diagnosis[]
}

/** The severities and the words for routes the job does not need, from the policy and the job's needs. */
export function routeSeverities(options: JudgeOptions): Pick<Judging, 'severity' | 'unneeded'> {
  const routes: ChainRoute[] = ['public', 'private', 'checksums']
  const severity = {} as Record<ChainRoute, Diagnosis['severity']>
  const unneeded: Partial<Record<ChainRoute, string>> = {}
  for (const route of routes) {
    const need = options.needs?.[route]
    const policy = options.onProxyFailure ?? 'fail'
    severity[route] =
      policy === 'warn' ? 'warning' : policy === 'strict' || need?.needed !== false ? 'error' : 'warning'
    if (policy !== 'strict' && need !== undefined && !need.needed) {
      unneeded[route] = `This job does not need it: ${need.why}. It starts to matter ${need.mattersWhen}.`
    }
  }
  return { severity, unneeded }
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
  /** the route this failure breaks, when it breaks one: a route the job does not need says so */
  route?: ChainRoute
}

/** Records a failing GOPROXY entry: the entry, the stage, what Go does (and why, from its separator), the fix. */
export function entryFailure(judging: Judging, failure: EntryFailure): void {
  const { index, outcome, severity, what, goDoes, extraFix = '' } = failure
  const module = failure.module ?? judging.report.publicModule?.path
  const fix = [fixForOutcome(outcome), extraFix].filter((f) => f !== '').join(' ')
  const unneeded = failure.route === undefined || severity !== 'warning' ? '' : (judging.unneeded[failure.route] ?? '')
  judging.diagnoses.push({
    code: outcomeCode('proxy', outcome),
    kind: 'proxy',
    severity,
    title: `GOPROXY entry ${labelOf(judging, index)}: ${what}`,
    detail: `${describeOutcome(outcome)} at ${outcome.url}. ${goDoes} (${separatorWords(judging.chain[index])}).${unneeded ? ` ${unneeded}` : ''}`,
    fix,
    url: outcome.url,
    ...(module ? { module } : {}),
  })
}
