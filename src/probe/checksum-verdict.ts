import { suggestPrivatePattern } from '../diagnose/suggest-pattern.js'
import { describeOutcome, failingStage, fixForOutcome, outcomeCode } from './describe-outcome.js'
import { attemptOf } from './fallback.js'
import type { Judging } from './judging.js'
import type { ChecksumVerdict } from './verdict-types.js'

/**
 * Whether checksum verification will work along the route Go takes to the database, and whether a private module
 * would be sent to it (not in GONOSUMDB).
 */
export function judgeChecksums(judging: Judging): ChecksumVerdict {
  const { report, probes, chain, diagnoses } = judging
  const sumdbSeverity = judging.severity.checksums
  const unneeded = sumdbSeverity === 'warning' && judging.unneeded.checksums ? ` ${judging.unneeded.checksums}` : ''
  const sumdb = report.sumdb
  const privatePath = report.privateModule?.path
  const privateUncovered = privatePath !== undefined && !report.privateModuleSkipsSumdb
  const pattern = privatePath === undefined ? '' : suggestPrivatePattern(privatePath)
  if (sumdb.off) return { outcome: 'off', summary: 'GOSUMDB=off: downloads are checked against go.sum only' }
  if (sumdb.skipped !== undefined) return { outcome: 'skipped', summary: `not probed: ${sumdb.skipped}` }
  if (privateUncovered) {
    diagnoses.push({
      code: 'sumdb-private-module',
      kind: 'config',
      severity: 'warning',
      title: `${privatePath} is not in GONOSUMDB: Go will ask ${sumdb.name} about it`,
      detail: `When ${privatePath} is missing from go.sum, Go looks it up in the checksum database ${sumdb.name}, which cannot know a private module: the lookup fails ("verifying module: ... 404 Not Found" or "410 Gone") and discloses the module path.`,
      fix: `Add ${pattern} to GONOSUMDB (or to GOPRIVATE, which also keeps it off the proxies).`,
      module: privatePath,
    })
  }
  const covering = privateUncovered
    ? ` Add ${pattern} to GONOSUMDB (or GOPRIVATE) so private modules never need it.`
    : ''
  if (sumdb.unavailableAt !== undefined) {
    const { entryIndex, outcome } = sumdb.unavailableAt
    const label = probes.get(entryIndex)?.label ?? ''
    const hangs = attemptOf(outcome) === 'hang'
    diagnoses.push({
      code: hangs ? 'sumdb-hangs' : 'sumdb-unavailable',
      kind: 'proxy',
      severity: sumdbSeverity,
      title: `Checksum database ${sumdb.name} unavailable through ${label} (${failingStage(outcome)})`,
      detail: `Go asks each proxy for /sumdb/${sumdb.name}/supported before using the database. ${label} answered: ${describeOutcome(outcome)}. ${hangs ? 'Go waits for it without limit' : 'Go treats that as "checksum database unavailable" and does not go direct'}, so every module missing from go.sum fails verification.${unneeded}`,
      fix: `${fixForOutcome(outcome)}${chain[entryIndex]?.separator === ',' && !hangs ? ' Or put `|` after this proxy so Go tries the next one.' : ''}${covering}`,
      url: outcome.url,
    })
    return {
      outcome: hangs ? 'hangs' : 'fails',
      summary: `unavailable through ${label}: its /sumdb/${sumdb.name}/supported answer was ${failingStage(outcome)}`,
    }
  }
  const route = sumdb.route
  const latest = sumdb.latest
  if (route === undefined || latest === undefined) return { outcome: 'verified', summary: 'not probed' }
  const how =
    route.via === 'proxy'
      ? `through ${probes.get(route.viaEntry ?? -1)?.label ?? 'a proxy'}`
      : route.via === 'url'
        ? 'at the URL given in GOSUMDB'
        : 'directly (no proxy serves it)'
  if (latest.stage === 'ok' && latest.statusClass === 'success') {
    return { outcome: 'verified', route, summary: `${sumdb.name} reachable ${how}` }
  }
  const hangs = attemptOf(latest) === 'hang'
  diagnoses.push({
    code: outcomeCode('sumdb', latest),
    kind: 'proxy',
    severity: sumdbSeverity,
    title: `Checksum database ${sumdb.name} unreachable ${how} (${failingStage(latest)})`,
    detail: `Go reaches ${sumdb.name} ${how}: ${describeOutcome(latest)} at ${latest.url}. Every module missing from go.sum fails verification${hangs ? ' (Go waits without limit)' : ''}.${unneeded}`,
    fix: `${fixForOutcome(latest)}${route.via === 'direct' ? ` Or use a GOPROXY that mirrors ${sumdb.name} (it answers /sumdb/${sumdb.name}/supported with 200).` : ''}${covering}`,
    url: latest.url,
  })
  return { outcome: hangs ? 'hangs' : 'fails', route, summary: `unreachable ${how}: ${failingStage(latest)}` }
}
