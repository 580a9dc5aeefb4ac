import type { DriftReport, Finding } from '../drift/types.js'
import { cell, code, details } from './markdown.js'

const LONG_DIFF_LINES = 20

/** The drift section of the job summary: each finding, its diff collapsed when long. */
export function renderDriftMarkdown(drift: DriftReport, title = 'go.mod / go.sum drift'): string {
  const parts = [`### ${title}\n`]
  if (drift.findings.length === 0) {
    parts.push(
      `No drift in ${drift.modules.length} module${drift.modules.length === 1 ? '' : 's'} (${drift.durationMs} ms).\n`,
    )
  } else {
    for (const f of drift.findings) parts.push(renderFinding(f))
  }
  for (const notice of drift.notices) parts.push(`> ${cell(notice)}\n`)
  return parts.join('\n')
}

function renderFinding(f: Finding): string {
  const where = `${code(f.line === undefined ? f.file : `${f.file}:${f.line}`)}`
  let text = `- **${f.check}** ${where}: ${cell(f.message)}\n`
  if (f.diff) {
    const block = `\`\`\`diff\n${f.diff.replace(/```/g, '` ` `')}\n\`\`\``
    text += f.diff.split('\n').length > LONG_DIFF_LINES ? `\n${details('diff', block)}` : `\n${block}\n`
  }
  return text
}

/** Plain text for the CLI. */
export function renderDriftText(drift: DriftReport): string {
  const lines = drift.findings.map(
    (f) =>
      `${f.file}${f.line === undefined ? '' : `:${f.line}`}: ${f.check}: ${f.message}${f.diff ? `\n${f.diff}` : ''}`,
  )
  lines.push(...drift.notices.map((n) => `note: ${n}`))
  lines.push(
    drift.findings.length === 0
      ? `no drift in ${drift.modules.length} module(s)`
      : `${drift.findings.length} drift finding(s)`,
  )
  return `${lines.join('\n')}\n`
}
