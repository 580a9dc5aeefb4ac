import { suggestPrivatePattern } from '../diagnose/suggest-pattern.js'
import type { ProxyEntry } from '../settings/types.js'
import { describeOutcome, failingStage } from './describe-outcome.js'
import { attemptOf, type Attempt, type Walk } from './fallback.js'
import { entryFailure, type Judging } from './judging.js'
import { median } from './latency.js'
import type { EntryProbe, ProbeOutcome } from './types.js'
import type { EntryVerdict, RouteVerdict } from './verdict-types.js'

/** The outcome that stands for "can this entry serve modules": the public-module probe, else `supported`. */
export function reachability(probe: EntryProbe | undefined, moduleKnown: boolean): Attempt {
  if (probe === undefined) return 'unknown'
  if (moduleKnown) return attemptOf(probe.publicModule)
  const attempt = attemptOf(probe.publicModule ?? probe.sumdbSupported)
  // Without a module, a 404 from `supported` still proves the proxy answers.
  return attempt === 'not-found' ? 'success' : attempt
}

export function representative(probe: EntryProbe | undefined, moduleKnown: boolean): ProbeOutcome | undefined {
  if (probe === undefined) return undefined
  return moduleKnown ? probe.publicModule : (probe.publicModule ?? probe.sumdbSupported)
}

/**
 * Diagnoses one walk down GOPROXY: entries skipped after an error (warnings), the entry that stops Go or hangs it
 * (proxySeverity), a walk that reaches `off` or the end, a public module no proxy has, and failing entries after
 * the one that served (warnings: a 404 earlier would send Go there).
 */
export function judgeWalk(judging: Judging, walk: Walk, which: 'public' | 'private'): void {
  const { report, probes, moduleKnown, chain, diagnoses } = judging
  const proxySeverity = judging.severity[which]
  const route = which
  const moduleWords = which === 'public' ? (report.publicModule?.path ?? 'modules') : (report.privateModule?.path ?? '')
  const moduleOf = which === 'public' ? report.publicModule?.path : report.privateModule?.path
  const outcomeAt = (index: number): ProbeOutcome | undefined =>
    which === 'public' ? representative(probes.get(index), moduleKnown) : probes.get(index)?.privateModule
  // Entries Go skipped after an error: they cost time on every fetch (and may hide a real problem). One that only
  // times out costs Go its own limit (10 s for a TLS handshake, 30 s to connect) on every request, three per module:
  // the chain works on paper and crawls in practice.
  for (const step of walk.steps) {
    const outcome = outcomeAt(step.index)
    if (step.attempt === 'error' && step.next && outcome !== undefined) {
      const slow = outcome.stage === 'timeout'
      entryFailure(judging, {
        index: step.index,
        outcome,
        severity: slow ? proxySeverity : 'warning',
        what: slow
          ? `times out at ${outcome.timedOutDuring ?? 'connect'}; Go falls through only after its own timeout, on every request`
          : `fails at ${failingStage(outcome)}, Go falls through`,
        goDoes: slow
          ? `Go gives up on this entry after its own limit (10 s for a TLS handshake, 30 s to connect) and tries the next — for every request, three per module (.info, .mod, .zip), so fetching ${moduleWords} crawls`
          : `Go moves on to the next entry for ${moduleWords}, after waiting for this one`,
        ...(slow ? { extraFix: 'Or remove this entry from GOPROXY.' } : {}),
        module: moduleOf,
        route,
      })
    }
  }
  if (walk.end === 'stopped' && walk.index !== undefined) {
    const outcome = outcomeAt(walk.index)
    if (outcome === undefined) return
    const entry = chain[walk.index]
    const hasNext = walk.index < chain.length - 1
    if (walk.steps.at(-1)?.attempt === 'hang') {
      entryFailure(judging, {
        index: walk.index,
        outcome,
        severity: proxySeverity,
        what: 'does not answer',
        goDoes: `Go sets no time limit on proxy responses: every go command that needs ${moduleWords} waits as long as this proxy does — a \`|\` does not help, since Go never sees an error`,
        module: moduleOf,
        route,
      })
      return
    }
    // falling through to `off` gains nothing, so `|` is advised only when a real source follows
    const advice =
      hasNext && entry?.separator === ',' && chain[walk.index + 1]?.kind !== 'off'
        ? 'Or put `|` after this proxy to fall through to the next entry on errors.'
        : ''
    entryFailure(judging, {
      index: walk.index,
      outcome,
      severity: proxySeverity,
      what: `${which === 'public' ? 'every module fetch fails' : `${moduleWords} cannot be fetched`} (${failingStage(outcome)})`,
      goDoes: `Go stops at this entry and reports its error`,
      extraFix: advice,
      module: moduleOf,
      route,
    })
    return
  }
  if (walk.end === 'off' || walk.end === 'end') {
    const last = walk.reportedErrorIndex ?? walk.steps.at(-1)?.index
    const outcome = last === undefined ? undefined : outcomeAt(last)
    const asked = walk.steps.filter((s) => s.attempt !== 'off')
    const answers =
      asked.length === 0
        ? ''
        : `${asked.length === 1 ? 'The only proxy' : 'Every proxy'} before it answered "not found"${walk.reportedErrorIndex === undefined ? '' : ' or failed'}`
    const why =
      walk.end === 'off'
        ? `${answers ? `${answers}, and the walk` : 'The walk'} reaches \`off\`: Go reports "module lookup disabled by GOPROXY=off".`
        : `${answers || 'No entry has it'}, and the list ends there.`
    const unneeded = proxySeverity === 'warning' ? (judging.unneeded[route] ?? '') : ''
    diagnoses.push({
      code: which === 'public' ? 'proxy-chain-cannot-serve' : 'proxy-chain-cannot-serve-private',
      kind: 'proxy',
      severity: proxySeverity,
      title: `GOPROXY cannot serve ${moduleWords}`,
      detail: `${why}${outcome ? ` Last answer: ${describeOutcome(outcome)} at ${outcome.url}.` : ''}${unneeded ? ` ${unneeded}` : ''}`,
      fix:
        which === 'private'
          ? `Add the proxy that serves ${moduleWords} to GOPROXY, or add ${suggestPrivatePattern(moduleWords)} to GOPRIVATE so Go fetches it from its VCS.`
          : 'Add a proxy that serves these modules (e.g. https://proxy.golang.org), or end GOPROXY with `direct`.',
      ...(outcome ? { url: outcome.url } : {}),
      ...(moduleWords !== 'modules' ? { module: moduleWords } : {}),
    })
    return
  }
  if (walk.end === 'direct' && moduleKnown && which === 'public' && walk.steps.some((s) => s.attempt === 'not-found')) {
    diagnoses.push({
      code: 'proxy-module-not-found',
      kind: 'proxy',
      severity: 'warning',
      title: `No proxy has ${moduleWords}; Go fetches it from its VCS`,
      detail: `Every proxy in GOPROXY answered 404/410 for ${moduleWords}, so Go falls back to \`direct\` and clones it, which is slower and needs access to the VCS host.`,
      fix: 'Check the proxy URLs in GOPROXY (a wrong path makes every module 404).',
      module: moduleWords,
    })
  }
  // Entries after the one that served: unused today, but a 404 earlier in the list would send Go to them.
  if (walk.end === 'served' && walk.index !== undefined && which === 'public') {
    for (let index = walk.index + 1; index < chain.length; index++) {
      const outcome = outcomeAt(index)
      const attempt = attemptOf(outcome)
      if (outcome !== undefined && (attempt === 'error' || attempt === 'hang')) {
        entryFailure(judging, {
          index,
          outcome,
          severity: 'warning',
          what: `fails at ${failingStage(outcome)} (not used while earlier entries answer)`,
          goDoes: 'Go reaches this entry only when an earlier one answers 404/410 (or fails before a `|`)',
          module: moduleOf,
        })
      }
    }
  }
}

export function routeVerdict(walk: Walk, probes: ReadonlyMap<number, EntryProbe>, what: string): RouteVerdict {
  const label = (index: number | undefined): string => (index === undefined ? '' : (probes.get(index)?.label ?? ''))
  const base = { steps: walk.steps }
  switch (walk.end) {
    case 'served':
      return { ...base, outcome: 'served', entryIndex: walk.index, summary: `${what}: served by ${label(walk.index)}` }
    case 'direct':
      return {
        ...base,
        outcome: 'direct',
        entryIndex: walk.index,
        summary: `${what}: fetched from the VCS (direct; not probed)`,
      }
    case 'stopped': {
      const last = walk.steps.at(-1)
      if (last?.attempt === 'unknown') return { ...base, outcome: 'unknown', summary: `${what}: not probed` }
      const hangs = last?.attempt === 'hang'
      return {
        ...base,
        outcome: hangs ? 'hangs' : 'fails',
        entryIndex: walk.index,
        summary: `${what}: ${hangs ? 'hangs at' : 'fails at'} ${label(walk.index)}`,
      }
    }
    case 'off':
      return {
        ...base,
        outcome: 'fails',
        entryIndex: walk.reportedErrorIndex ?? walk.index,
        summary: `${what}: fails (GOPROXY=off reached)`,
      }
    case 'end':
      return {
        ...base,
        outcome: 'fails',
        entryIndex: walk.reportedErrorIndex,
        summary: `${what}: fails (no entry has them)`,
      }
  }
}

export function entryVerdict(
  entry: ProxyEntry,
  index: number,
  probe: EntryProbe | undefined,
  moduleKnown: boolean,
): EntryVerdict {
  const label = probe?.label ?? (entry.kind === 'url' ? (entry.url ?? '') : entry.kind)
  if (entry.kind !== 'url')
    return { index, label, verdict: 'skipped', failingStage: '', detail: probe?.skipped ?? entry.kind }
  const outcome = representative(probe, moduleKnown)
  if (outcome === undefined) return { index, label, verdict: 'not-probed', failingStage: '', detail: 'not probed' }
  const attempt = reachability(probe, moduleKnown)
  const verdict: EntryVerdict['verdict'] =
    attempt === 'success' ? 'healthy' : attempt === 'not-found' ? 'not-found' : attempt === 'hang' ? 'hangs' : 'failing'
  const medianMs = median(probe?.latencySamplesMs ?? [])
  return {
    index,
    label,
    verdict,
    failingStage: verdict === 'healthy' ? '' : failingStage(outcome),
    detail:
      verdict === 'healthy' ? `${outcome.status ?? ''} in ${outcome.timings.totalMs} ms` : describeOutcome(outcome),
    totalMs: outcome.timings.totalMs,
    ...(medianMs === undefined ? {} : { medianMs }),
  }
}
