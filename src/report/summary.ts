import type { Diagnosis } from '../diagnose/types.js'
import { cell, code, details, formatBytes, table } from './markdown.js'
import type { Report } from './model.js'

/** The job summary: settings first, then every stage that ran, then what to fix. */
export function renderSummary(report: Report, extraSections: string[] = []): string {
  const parts: string[] = ['## goproxy-guard\n']
  const errors = report.diagnoses.filter((d) => d.severity === 'error')
  if (errors.length > 0) parts.push(renderDiagnoses(errors, 'What failed'))
  parts.push(
    table(
      ['Variable', 'Value', 'Source'],
      report.settings.map((row) => [row.variable, code(row.value) || '_(unset)_', row.source]),
    ),
  )
  if (report.credentialHosts.length > 0) {
    parts.push(
      `Credentials configured for: ${report.credentialHosts.map(code).join(', ')} (netrc and git header files, mode 0600, removed by the post step).\n`,
    )
  }
  if (report.cache) {
    const c = report.cache
    parts.push('### Module cache\n')
    if (c.skipped) parts.push(`${c.skipped}\n`)
    else {
      parts.push(
        table(
          ['Key', 'Hit', 'Restored', 'Time'],
          [
            [
              code(c.key),
              c.hit,
              c.bytesRestored === undefined || c.hit === 'false' ? '' : formatBytes(c.bytesRestored),
              c.restoreMs === undefined ? '' : `${(c.restoreMs / 1000).toFixed(1)} s`,
            ],
          ],
        ),
      )
    }
  }
  parts.push(...extraSections)
  const stages = [
    report.download &&
      `- go mod download: ${report.download.ok ? 'ok' : `failed ${report.download.detail ?? ''}`} (${seconds(report.download.durationMs)})`,
    report.verify &&
      `- go mod verify: ${report.verify.ok ? 'all modules verified' : 'FAILED'} (${seconds(report.verify.durationMs)})`,
  ].filter((line): line is string => typeof line === 'string')
  if (stages.length > 0) parts.push('### Module downloads\n', stages.join('\n') + '\n')
  const warnings = [
    ...report.warnings,
    ...report.diagnoses.filter((d) => d.severity === 'warning').map((d) => `${d.title} ${d.fix}`),
  ]
  if (warnings.length > 0) parts.push('### Warnings\n', warnings.map((w) => `- ${cell(w)}`).join('\n') + '\n')
  return parts.join('\n')
}

export function renderDiagnoses(diagnoses: Diagnosis[], heading: string): string {
  const items = diagnoses.map((d) => {
    const where = [d.module ? `module ${code(d.module)}` : '', d.url ? code(d.url) : ''].filter(Boolean).join(', ')
    return `- **${d.title}**${where ? ` (${where})` : ''}\n  ${d.detail}\n  **Fix:** ${d.fix}`
  })
  return `### ${heading}\n\n${items.join('\n')}\n`
}

export { details }

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`
}
