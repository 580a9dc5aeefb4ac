// Builders for synthetic probe results, shared by the probe unit tests.
import type { EntryProbe, ProbeOutcome, ProbeReport } from '../../../src/probe/types.js'
import type { ProxyEntry } from '../../../src/settings/types.js'

export type Answer =
  | 200
  | 401
  | 403
  | 404
  | 410
  | 429
  | 500
  | 503
  | 'refused'
  | 'dns'
  | 'expired'
  | 'unknown-ca'
  | 'wrong-host'
  | 'hang'
  | 'connect-timeout'

export function outcome(answer: Answer, url = 'https://proxy.example/m/@v/list', totalMs = 20): ProbeOutcome {
  const base = { url, authSent: false, timings: { totalMs } }
  if (typeof answer === 'number') {
    const statusClass =
      answer === 200
        ? 'success'
        : answer === 404 || answer === 410
          ? 'not-found'
          : answer === 429
            ? 'rate-limited'
            : answer >= 500
              ? 'server-error'
              : 'auth'
    return { ...base, stage: 'ok', status: answer, statusClass }
  }
  switch (answer) {
    case 'refused':
      return { ...base, stage: 'tcp', error: 'connection refused' }
    case 'dns':
      return { ...base, stage: 'dns', error: 'no such host' }
    case 'expired':
      return { ...base, stage: 'tls', tlsProblem: 'expired', error: 'certificate has expired' }
    case 'unknown-ca':
      return { ...base, stage: 'tls', tlsProblem: 'unknown-authority', error: 'self-signed certificate' }
    case 'wrong-host':
      return { ...base, stage: 'tls', tlsProblem: 'wrong-host', error: 'altnames' }
    case 'hang':
      return { ...base, stage: 'timeout', timedOutDuring: 'http', error: 'no answer' }
    case 'connect-timeout':
      return { ...base, stage: 'timeout', timedOutDuring: 'tcp', error: 'no answer' }
  }
}

/**
 * Parses a chain written like GOPROXY, `https://a.example,https://b.example|direct`, into entries.
 */
export function chain(value: string): ProxyEntry[] {
  const entries: ProxyEntry[] = []
  let rest = value
  while (rest !== '') {
    const i = rest.search(/[,|]/)
    const element = i < 0 ? rest : rest.slice(0, i)
    const separator = i < 0 ? undefined : (rest[i] as ',' | '|')
    rest = i < 0 ? '' : rest.slice(i + 1)
    const entry: ProxyEntry =
      element === 'direct' || element === 'off' ? { kind: element } : { kind: 'url', url: element }
    if (separator !== undefined && rest !== '') entry.separator = separator
    entries.push(entry)
  }
  return entries
}

export interface ReportSpec {
  entries: ProxyEntry[]
  /** answer per entry index for the public module */
  public?: Record<number, Answer>
  private?: Record<number, Answer>
  supported?: Record<number, Answer>
  sumdb?: ProbeReport['sumdb']
  privateModule?: string
  privateModuleDirect?: boolean
  privateModuleSkipsSumdb?: boolean
  noModule?: boolean
}

export function report(spec: ReportSpec): ProbeReport {
  const entries: EntryProbe[] = spec.entries.map((entry, index) => {
    const label = entry.kind === 'url' ? (entry.url ?? '') : entry.kind
    if (entry.kind !== 'url') return { index, entry, label, skipped: entry.kind }
    const probe: EntryProbe = { index, entry, label }
    const pub = spec.public?.[index]
    if (pub !== undefined) probe.publicModule = outcome(pub, `${label}/example.com/m/@v/list`)
    const priv = spec.private?.[index]
    if (priv !== undefined) probe.privateModule = outcome(priv, `${label}/corp.example/secret/@v/list`)
    const sup = spec.supported?.[index]
    if (sup !== undefined) probe.sumdbSupported = outcome(sup, `${label}/sumdb/sum.golang.org/supported`)
    return probe
  })
  return {
    entries,
    sumdb: spec.sumdb ?? { name: 'sum.golang.org', off: true },
    ...(spec.noModule ? {} : { publicModule: { path: 'example.com/m' } }),
    ...(spec.privateModule ? { privateModule: { path: spec.privateModule } } : {}),
    privateModuleDirect: spec.privateModuleDirect ?? false,
    privateModuleSkipsSumdb: spec.privateModuleSkipsSumdb ?? false,
    notices: [],
    durationMs: 1,
  }
}
