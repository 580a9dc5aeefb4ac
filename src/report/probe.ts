import type { ProbeReport, StageTimings } from '../probe/types.js'
import type { ChainVerdict, EntryVerdict } from '../probe/verdict.js'
import { withoutUserinfo } from '../settings/errors.js'
import { cell, code, table } from './markdown.js'

/** Applied to every string a rendering emits: the Redactor's `redact`, on top of removing URL userinfo. */
export type RedactText = (text: string) => string

function cleaner(redact: RedactText | undefined): RedactText {
  return (text) => (redact ?? ((t: string) => t))(withoutUserinfo(text))
}

const VERDICT_MARK: Record<EntryVerdict['verdict'], string> = {
  healthy: 'ok',
  'not-found': '404',
  failing: 'FAIL',
  hangs: 'HANG',
  skipped: '-',
  'not-probed': '?',
}

function timingsText(timings: StageTimings | undefined): string {
  if (timings === undefined) return ''
  const parts = (['dnsMs', 'tcpMs', 'proxyMs', 'tlsMs', 'httpMs', 'bodyMs'] as const)
    .filter((key) => timings[key] !== undefined)
    .map((key) => `${key.replace('Ms', '')} ${timings[key]}`)
  return parts.length === 0 ? `${timings.totalMs} ms` : `${timings.totalMs} ms (${parts.join(', ')})`
}

function representativeTimings(report: ProbeReport, index: number): StageTimings | undefined {
  const probe = report.entries.find((p) => p.index === index)
  return (probe?.publicModule ?? probe?.sumdbSupported)?.timings
}

/**
 * Plain text: one line per GOPROXY entry with its verdict and stage timings (or the stage that failed), the checksum
 * database and the routes. What failed and how to fix it is said once, elsewhere (annotations, the report's own list).
 */
export function renderProbeText(report: ProbeReport, verdict: ChainVerdict, redact?: RedactText): string {
  const clean = cleaner(redact)
  const lines: string[] = ['GOPROXY']
  const width = Math.max(...verdict.entries.map((e) => e.label.length), 6)
  for (const entry of verdict.entries) {
    const timings = entry.verdict === 'skipped' ? '' : timingsText(representativeTimings(report, entry.index))
    const median = entry.medianMs === undefined ? '' : `, median ${entry.medianMs} ms`
    const what =
      entry.verdict === 'healthy'
        ? `${timings}${median}`
        : `${entry.failingStage ? `${entry.failingStage}: ` : ''}${entry.detail}`
    lines.push(`  ${VERDICT_MARK[entry.verdict].padEnd(4)} ${entry.label.padEnd(width)}  ${what}`)
  }
  lines.push('', `Checksum database${report.sumdb.name ? ` ${report.sumdb.name}` : ''}: ${verdict.checksums.summary}`)
  if (report.sumdb.latest) lines.push(`  ${report.sumdb.latest.url}  ${timingsText(report.sumdb.latest.timings)}`)
  lines.push(capitalize(verdict.publicModules.summary))
  if (verdict.privateModules) lines.push(`Private modules: ${verdict.privateModules.summary}`)
  if (report.fastest) {
    lines.push(
      report.fastest.changed
        ? `Fastest first: GOPROXY=${report.fastest.setting.value}`
        : `Fastest first: unchanged (${report.fastest.unchangedBecause ?? ''})`,
    )
  }
  for (const notice of report.notices) lines.push(`note: ${notice}`)
  lines.push(`(probed in ${report.durationMs} ms)`)
  return clean(`${lines.join('\n')}\n`)
}

/** Markdown for the job summary: one row per entry with its verdict, failing stage and latencies. */
export function renderProbeMarkdown(report: ProbeReport, verdict: ChainVerdict, redact?: RedactText): string {
  const clean = cleaner(redact)
  const ms = (value: number | undefined): string => (value === undefined ? '' : String(value))
  const rows = verdict.entries.map((entry) => {
    const t = entry.verdict === 'skipped' ? undefined : representativeTimings(report, entry.index)
    return [
      code(entry.label),
      entry.verdict,
      entry.failingStage,
      ms(t?.dnsMs),
      ms(t?.tcpMs),
      ms(t?.tlsMs),
      ms(t?.httpMs),
      ms(t?.totalMs),
      ms(entry.medianMs),
    ]
  })
  const parts = [
    '### Module proxies\n',
    table(
      ['entry', 'verdict', 'failing stage', 'dns ms', 'tcp ms', 'tls ms', 'http ms', 'total ms', 'median ms'],
      rows,
    ),
    '',
    `- Checksum database${report.sumdb.name ? ` ${code(report.sumdb.name)}` : ''}: ${cell(verdict.checksums.summary)}`,
    `- ${cell(capitalize(verdict.publicModules.summary))}`,
    ...(verdict.privateModules ? [`- Private modules: ${cell(verdict.privateModules.summary)}`] : []),
    ...(report.fastest?.changed ? [`- Fastest first: ${code(`GOPROXY=${report.fastest.setting.value}`)}`] : []),
    ...report.notices.map((n) => `- ${cell(n)}`),
  ]
  return clean(`${parts.join('\n')}\n`)
}

/** The `proxy-report` output and `doctor --format json`: the report and the verdict, every string redacted. */
export function probeReportJson(report: ProbeReport, verdict: ChainVerdict, redact?: RedactText): unknown {
  const clean = cleaner(redact)
  const scrub = (value: unknown): unknown => {
    if (typeof value === 'string') return clean(value)
    if (Array.isArray(value)) return value.map(scrub)
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v)]))
    }
    return value
  }
  return scrub({
    ok: verdict.ok,
    publicModules: verdict.publicModules,
    privateModules: verdict.privateModules,
    checksums: verdict.checksums,
    entries: verdict.entries.map((entry) => {
      const probe = report.entries.find((p) => p.index === entry.index)
      return {
        ...entry,
        separator: probe?.entry.separator,
        publicModule: probe?.publicModule,
        privateModule: probe?.privateModule,
        sumdbSupported: probe?.sumdbSupported,
        latencySamplesMs: probe?.latencySamplesMs,
      }
    }),
    sumdb: report.sumdb,
    fastest: report.fastest,
    notices: report.notices,
    diagnoses: verdict.diagnoses,
    durationMs: report.durationMs,
  })
}

export function renderProbeJson(report: ProbeReport, verdict: ChainVerdict, redact?: RedactText): string {
  return JSON.stringify(probeReportJson(report, verdict, redact))
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
