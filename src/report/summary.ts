import type { Diagnosis } from '../diagnose/types.js'
import { describeBuildCache, describeModuleCache, describeSave } from './caches.js'
import { renderCleanDriftMarkdown, renderFindingsMarkdown } from './drift.js'
import { cell, code, details, escapeHtml, table } from './markdown.js'
import type { MainReport, PostReport } from './model.js'
import { describeNeeds } from './needs.js'
import { diagnosesOf, findingsOf, mainHeadline, postHeadline, type Headline } from './outcome.js'
import { renderProbeMarkdown } from './probe.js'

const MARK: Record<Headline['status'], string> = { passed: '✅', warnings: '⚠️', failed: '❌' }

/**
 * The job summary: the verdict and the fix first; then what failed, the warnings, the details of each stage; the
 * configuration last, collapsed. Each thing is said once.
 */
export function renderMainSummary(report: MainReport): string {
  const parts: string[] = ['## goproxy-guard\n']
  const headline = mainHeadline(report)
  parts.push(headlineMarkdown(headline))
  if (report.refused !== undefined) {
    parts.push(`\`\`\`text\n${report.refused.replace(/```/g, '` ` `')}\n\`\`\`\n`)
    return parts.join('\n')
  }
  const diagnoses = diagnosesOf(report)
  const errors = diagnoses.filter((d) => d.severity === 'error' && d !== headline.diagnosis)
  if (errors.length > 0) parts.push(renderDiagnoses(errors, 'What failed'))
  const findings = findingsOf(report)
  if (findings.length > 0) {
    parts.push(renderFindingsMarkdown(findings, report.drift?.diffs ?? [], 'go.mod and go.sum', headline.fix))
  }
  const warnings = [
    ...(report.configuration?.warnings ?? []).map((w) => `- ${cell(w)}`),
    ...diagnoses.filter((d) => d.severity === 'warning').map(diagnosisItem),
  ]
  if (warnings.length > 0) parts.push(`### Warnings\n\n${warnings.join('\n')}\n`)
  if (report.stoppedEarly !== undefined) parts.push(`> ${cell(report.stoppedEarly)}\n`)
  if (report.access !== undefined) {
    parts.push(`### What this job needs\n\n${describeNeeds(report.access.needs).map(cell).join('\n\n')}\n`)
  }
  if (report.probe !== undefined) {
    parts.push(
      'verdict' in report.probe
        ? renderProbeMarkdown(report.probe.report, report.probe.verdict)
        : `### Module proxies\n\nNot probed: ${cell(report.probe.skipped)}\n`,
    )
  }
  const caches: string[] = []
  if (report.moduleCache) caches.push(`- Module cache: ${cell(describeModuleCache(report.moduleCache, code))}`)
  if (report.buildCache) caches.push(`- Build cache: ${cell(describeBuildCache(report.buildCache, code))}`)
  if (caches.length > 0) parts.push(`### Caches\n\n${caches.join('\n')}\n`)
  const commands = [...driftLines(report), ...goCommandLines(report)]
  if (commands.length > 0) parts.push(`### Go commands\n\n${commands.join('\n')}\n`)
  const configuration = report.configuration
  if (configuration !== undefined) {
    const rows = configuration.settings.map((row) => [row.variable, code(row.value), row.source])
    const body = [
      rows.length === 0 ? 'Every Go variable is at its default.\n' : table(['Variable', 'Value', 'Source'], rows),
      configuration.credentialHosts.length > 0
        ? `Credentials for ${configuration.credentialHosts.map(code).join(', ')} are in a netrc and a git header file (mode 0600), removed by the post step.\n`
        : '',
    ].join('\n')
    parts.push(details('Configuration', body))
  }
  return parts.join('\n')
}

/** summary.md of the CLI's `run`: the main step's summary, and what changed while it ran. */
export function renderRunSummary(main: MainReport, post: PostReport): string {
  const findings = post.moduleFiles?.findings ?? []
  const changed =
    findings.length > 0
      ? `\n${renderFindingsMarkdown(findings, post.moduleFiles?.diffs ?? [], 'Changed while goproxy-guard ran', mainHeadline(main).fix)}`
      : ''
  return `${renderMainSummary(main)}${changed}`
}

/** The post step's summary: the module files, the caches saved, the credential files. */
export function renderPostSummary(report: PostReport): string {
  const headline = postHeadline(report)
  const parts: string[] = ['## goproxy-guard (post step)\n', headlineMarkdown(headline)]
  const findings = report.moduleFiles?.findings ?? []
  if (findings.length > 0) {
    parts.push(
      renderFindingsMarkdown(findings, report.moduleFiles?.diffs ?? [], 'Changed after the main step', headline.fix),
    )
  }
  const lines: string[] = []
  if (report.moduleCacheSave) lines.push(`- Module cache: ${cell(describeSave(report.moduleCacheSave, 'module'))}`)
  if (report.buildCacheSave) lines.push(`- Build cache: ${cell(describeSave(report.buildCacheSave, 'build'))}`)
  if (report.credentials.removed) lines.push('- The credential files were removed.')
  if (lines.length > 0) parts.push(`${lines.join('\n')}\n`)
  return parts.join('\n')
}

function headlineMarkdown(headline: Headline): string {
  const lines = [`${MARK[headline.status]} **${escapeHtml(headline.sentence)}**`]
  if (headline.diagnosis !== undefined) lines.push(cell(headline.diagnosis.detail))
  if (headline.fix !== undefined) lines.push(`**Fix:** ${cell(headline.fix)}`)
  return `${lines.join('\n\n')}\n`
}

export function renderDiagnoses(diagnoses: Diagnosis[], heading: string): string {
  return `### ${heading}\n\n${diagnoses.map(diagnosisItem).join('\n')}\n`
}

function diagnosisItem(d: Diagnosis): string {
  const where = [d.module ? `module ${code(d.module)}` : '', d.url ? code(d.url) : ''].filter(Boolean).join(', ')
  return `- **${cell(d.title)}**${where ? ` (${where})` : ''}<br>${cell(d.detail)}<br>**Fix:** ${cell(d.fix)}`
}

/** The drift check's line when it found nothing (findings have their own section), and its notices. */
function driftLines(report: MainReport): string[] {
  const drift = report.drift
  if (drift === undefined) return []
  const blocked = drift.diagnoses.some((d) => d.severity === 'error')
  const lines =
    drift.findings.length > 0
      ? []
      : blocked
        ? ['- The drift check could not run to the end: see what failed.']
        : [`- go mod tidy -diff and the other drift checks: ${renderCleanDriftMarkdown(drift).trim()}`]
  return [...lines, ...drift.notices.map((n) => `- ${cell(n)}`)]
}

/** One line per go command stage that ran: download and verification (drift has its own section). */
export function goCommandLines(report: MainReport): string[] {
  const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`
  const lines: string[] = []
  const download = report.download
  if (download !== undefined) {
    const skipped = download.skipped.length > 0 ? `; ${download.skipped.join(', ')} built from vendor/` : ''
    lines.push(
      `- go mod download: ${download.ok ? 'ok' : `failed in ${download.failed.join(', ')}`} (${seconds(download.durationMs)})${skipped}`,
    )
  }
  const verify = report.verify
  if (verify !== undefined) {
    const why = { restored: 'after the restore', inherited: 'the cache found on disk', 'check-drift': 'check-drift' }
    lines.push(
      `- go mod verify (${why[verify.reason]}): ${verify.ok ? 'all modules verified' : 'FAILED'} (${seconds(verify.durationMs)})`,
    )
  }
  return lines
}
