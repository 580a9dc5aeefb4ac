import type { Diagnosis } from '../diagnose/types.js'
import { suggestPrivatePattern } from '../diagnose/suggest-pattern.js'
import { withoutUserinfo } from '../settings/errors.js'
import type { ProxyEntry } from '../settings/types.js'
import { judgeChecksums } from './checksum-verdict.js'
import { effectiveEntries } from './defaults.js'
import { attemptOf, walkChain } from './fallback.js'
import { routeSeverities, type Judging } from './judging.js'
import { entryVerdict, judgeWalk, reachability, routeVerdict } from './route-verdict.js'
import type { ProbeReport } from './types.js'
import type { ChainVerdict, JudgeOptions, RouteVerdict } from './verdict-types.js'

export type {
  ChainRoute,
  ChainVerdict,
  ChecksumVerdict,
  EntryVerdict,
  JudgeOptions,
  RouteNeeds,
  RouteVerdict,
} from './verdict-types.js'

/**
 * Judges the chain as the go command walks it (cmd/go TryProxies): after `,` only 404/410 fall through, after `|`
 * any error does; `direct` ends the walk at the VCS, `off` ends it with an error; modules matching GONOPROXY go
 * direct. Says whether public modules, private modules and checksum verification will work, and what to change.
 */
export function judgeChain(
  report: ProbeReport,
  entries: readonly ProxyEntry[],
  options: JudgeOptions = {},
): ChainVerdict {
  const chain = effectiveEntries(entries)
  const probes = new Map(report.entries.map((p) => [p.index, p]))
  const moduleKnown = report.publicModule !== undefined
  const diagnoses: Diagnosis[] = []
  const judging: Judging = {
    report,
    chain,
    probes,
    moduleKnown,
    ...routeSeverities(options),
    diagnoses,
  }

  // Public modules.
  const publicWalk = walkChain(chain, (index) => reachability(probes.get(index), moduleKnown))
  const publicModules = routeVerdict(publicWalk, probes, 'public modules')
  judgeWalk(judging, publicWalk, 'public')

  // Private modules.
  let privateModules: RouteVerdict | undefined
  if (report.privateModule !== undefined) {
    const modulePath = report.privateModule.path
    const pattern = suggestPrivatePattern(modulePath)
    if (report.privateModuleDirect) {
      privateModules = {
        outcome: 'direct',
        steps: [],
        summary: `${modulePath} matches GONOPROXY: fetched from its VCS (not probed)`,
      }
    } else {
      const walk = walkChain(chain, (index) => attemptOf(probes.get(index)?.privateModule))
      privateModules = routeVerdict(walk, probes, modulePath)
      judgeWalk(judging, walk, 'private')
      const askedPublic = walk.steps
        .filter((s) => s.attempt === 'not-found')
        .map((s) => probes.get(s.index)?.label ?? '')
      if (walk.end === 'direct' && askedPublic.length > 0) {
        diagnoses.push({
          code: 'private-module-asked-proxies',
          kind: 'config',
          severity: 'warning',
          title: `${modulePath} is looked up on ${askedPublic.join(', ')} before Go fetches it directly`,
          detail: `No proxy has ${modulePath}, so Go asks each of them (disclosing the module path) and then fetches it from its VCS.`,
          fix: `Add ${pattern} to GOPRIVATE (or GONOPROXY) so Go fetches it directly without asking the proxies.`,
          module: modulePath,
        })
      }
    }
  }

  // Checksum database.
  const checksums = judgeChecksums(judging)

  return {
    ok: !diagnoses.some((d) => d.severity === 'error'),
    publicModules,
    ...(privateModules ? { privateModules } : {}),
    checksums,
    entries: chain.map((entry, index) => entryVerdict(entry, index, probes.get(index), moduleKnown)),
    // Probe URLs carry no userinfo; scrub again so no message can ever hold one.
    diagnoses: diagnoses.map(withoutUserinfoIn),
  }
}

function withoutUserinfoIn(diagnosis: Diagnosis): Diagnosis {
  const scrubbed = { ...diagnosis }
  for (const key of ['title', 'detail', 'fix', 'url'] as const) {
    const value = scrubbed[key]
    if (value !== undefined) scrubbed[key] = withoutUserinfo(value)
  }
  return scrubbed
}
