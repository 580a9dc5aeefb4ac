import { matchPrefixPatterns } from '../settings/patterns.js'
import type { ProxyEntry } from '../settings/types.js'
import { DEFAULT_SAMPLES, effectiveEntries, entryLabel } from './defaults.js'
import { orderByLatency } from './fastest.js'
import { latenciesOf, measureLatencies } from './latency.js'
import { probeFile, probeFileProxy } from './file-probe.js'
import { createHttpProbe } from './http-probe.js'
import { joinUrl, moduleRequestPath, parseProbeModule } from './module-path.js'
import { decideSumdbRoute, sumdbTarget, supportedUrl } from './sumdb-route.js'
import { goTrustedCertificates } from './trust.js'
import type {
  EntryProbe,
  FastestOrder,
  HttpProbe,
  ProbeInput,
  ProbeModule,
  ProbeOutcome,
  ProbeReport,
  SumdbProbe,
} from './types.js'

/**
 * Probes every GOPROXY entry and the checksum database, all at once, each request bounded by timeoutMs (so one
 * hanging proxy among five costs about one timeout, not five).
 *
 * Each HTTP proxy is asked `<base>/<module>/@v/list` (or `@v/<version>.info` when a version is known), with Go's
 * case-encoding and the Basic credentials Go would send. With no module known, `<base>/` proves nothing (proxies
 * need not answer it), so the probe falls back to `<base>/sumdb/<name>/supported` — a request Go itself makes, which
 * any GOPROXY server answers with 200 or 404 — and can then show reachability, TLS and authentication, not whether
 * a module is served. The checksum database is reached along Go's route (see decideSumdbRoute) and asked `/latest`.
 */
export async function probeChain(input: ProbeInput): Promise<ProbeReport> {
  const started = performance.now()
  const env = input.env ?? process.env
  const entries = effectiveEntries(input.goproxy)
  const http: HttpProbe =
    input.http ??
    createHttpProbe({ caCertificates: [...goTrustedCertificates(env), ...(input.extraCaCertificates ?? [])], env })
  // Go reads the netrc only when GOAUTH (default `netrc`) lists it; GOAUTH=off sends nothing.
  const credentials =
    input.goauth === undefined || input.goauth.commands.some((c) => c.trim() === 'netrc') ? input.credentials : []
  const ask = (url: string): Promise<ProbeOutcome> =>
    url.startsWith('file:') ? probeFile(url) : http({ url, credentials, timeoutMs: input.timeoutMs })

  const publicModule = parseProbeModule(input.publicModule)
  const privateModule = parseProbeModule(input.privateModule)
  const onlyKeywords = entries.every((e) => e.kind !== 'url')
  const privateModuleDirect =
    privateModule !== undefined &&
    (entries[0]?.kind === 'direct' ||
      matchPrefixPatterns((input.gonoproxy ?? input.goprivate)?.patterns ?? [], privateModule.path))
  const target = sumdbTarget(input.gosumdb)
  const privateModuleSkipsSumdb =
    privateModule !== undefined &&
    (target.off || matchPrefixPatterns((input.gonosumdb ?? input.goprivate)?.patterns ?? [], privateModule.path))

  const notices: string[] = []
  if (onlyKeywords) {
    const value = entries.map((e) => e.kind).join(',')
    notices.push(
      value === 'off'
        ? 'GOPROXY=off: Go downloads nothing (except modules matched by GONOPROXY, from their VCS); no proxy to probe.'
        : 'GOPROXY=direct: Go fetches every module from its version-control system; no proxy to probe.',
    )
  }
  if (privateModule !== undefined && privateModuleDirect && !onlyKeywords) {
    notices.push(`${privateModule.path} matches GONOPROXY/GOPRIVATE: Go fetches it from its VCS, which is not probed.`)
  }

  const urlEntries = [...entries.entries()].filter(([, e]) => e.kind === 'url')
  // With an explicit GOSUMDB URL (or GOSUMDB=off) Go never asks the proxies about the database; ask them anyway
  // when there is no module to probe, since `supported` is then the reachability probe.
  const askSupported = (!target.off && target.url === undefined) || publicModule === undefined
  const supportedAnswers = new Map<number, Promise<ProbeOutcome>>()
  if (askSupported) {
    const name = target.off ? 'sum.golang.org' : target.name
    for (const [index, entry] of urlEntries) supportedAnswers.set(index, ask(supportedUrl(entry.url ?? '', name)))
  }

  const moduleProbe = (entry: ProxyEntry, module: ProbeModule): Promise<ProbeOutcome> => {
    const base = entry.url ?? ''
    return base.startsWith('file:') ? probeFileProxy(base, module) : ask(joinUrl(base, moduleRequestPath(module)))
  }
  const entryProbes = Promise.all(
    entries.map(async (entry, index): Promise<EntryProbe> => {
      const probe: EntryProbe = { index, entry, label: entryLabel(entry) }
      if (entry.kind !== 'url') {
        probe.skipped = entry.kind === 'direct' ? 'direct: modules come from their VCS' : 'off: no downloads'
        return probe
      }
      const [publicOutcome, privateOutcome, supported] = await Promise.all([
        publicModule === undefined
          ? entry.url?.startsWith('file:')
            ? probeFileProxy(entry.url, undefined)
            : undefined
          : moduleProbe(entry, publicModule),
        privateModule === undefined || privateModuleDirect ? undefined : moduleProbe(entry, privateModule),
        supportedAnswers.get(index),
      ])
      if (publicOutcome !== undefined) probe.publicModule = publicOutcome
      if (privateOutcome !== undefined) probe.privateModule = privateOutcome
      if (supported !== undefined) probe.sumdbSupported = supported
      return probe
    }),
  )

  // The database's `latest` is asked only along the route Go takes, once the walk has decided it: guessing ahead
  // would send requests to hosts Go never contacts.
  // With GOPROXY=off nothing is downloaded, so the database is consulted only for modules Go fetches directly
  // (GONOPROXY) that GONOSUMDB does not cover; an air-gapped job must not fail on a database it never uses.
  const offOnly = entries.length === 1 && entries[0]?.kind === 'off'
  const sumdbUsed = !offOnly || (privateModuleDirect && !privateModuleSkipsSumdb)
  const sumdb = (async (): Promise<SumdbProbe> => {
    const result: SumdbProbe = { name: target.name, off: target.off }
    if (target.off) return result
    if (!sumdbUsed) {
      result.skipped = 'GOPROXY=off: Go downloads nothing, so it never consults the checksum database'
      return result
    }
    const answers = new Map<number, ProbeOutcome>()
    await Promise.all([...supportedAnswers.entries()].map(async ([index, answer]) => answers.set(index, await answer)))
    const decision = decideSumdbRoute(entries, target, answers)
    if (decision.unavailableAt !== undefined) {
      const outcome = answers.get(decision.unavailableAt)
      if (outcome !== undefined) result.unavailableAt = { entryIndex: decision.unavailableAt, outcome }
      return result
    }
    if (decision.route === undefined) return result
    result.route = decision.route
    result.latest = await ask(joinUrl(decision.route.baseUrl, 'latest'))
    return result
  })()

  const [probes, sumdbProbe] = await Promise.all([entryProbes, sumdb])
  let fastest: FastestOrder | undefined
  if (input.selectFastest) {
    await measureLatencies(probes, {
      samples: input.samples ?? DEFAULT_SAMPLES,
      module: publicModule,
      sumdbName: target.off ? 'sum.golang.org' : target.name,
      ask,
    })
    fastest = orderByLatency(entries, latenciesOf(probes, publicModule !== undefined))
  }
  return {
    entries: probes,
    sumdb: sumdbProbe,
    ...(publicModule ? { publicModule } : {}),
    ...(privateModule ? { privateModule } : {}),
    privateModuleDirect,
    privateModuleSkipsSumdb,
    ...(fastest ? { fastest } : {}),
    notices,
    durationMs: Math.round(performance.now() - started),
  }
}
