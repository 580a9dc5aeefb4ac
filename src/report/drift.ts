import type { DriftReport, FileDiff, Finding } from '../drift/types.js'
import { driftFix } from './outcome.js'
import { cell, code, details } from './markdown.js'

const LONG_DIFF_LINES = 20

export interface FileFindings {
  file: string
  findings: Finding[]
  diff?: string
}

/** Findings grouped by file, in the order they came, each file with its one diff. */
export function findingsByFile(findings: Finding[], diffs: FileDiff[]): FileFindings[] {
  const groups = new Map<string, FileFindings>()
  for (const f of findings) {
    const group = groups.get(f.file) ?? { file: f.file, findings: [] }
    group.findings.push(f)
    groups.set(f.file, group)
  }
  for (const d of diffs) {
    const group = groups.get(d.file)
    // a diff without findings (tidy reformatting alone) still shows what tidy writes
    if (group === undefined) groups.set(d.file, { file: d.file, findings: [], diff: d.diff })
    else if (group.diff === undefined) group.diff = d.diff
  }
  return [...groups.values()]
}

/** Markdown: per file, what is wrong (one line each) and one diff; then the one fix, unless it was said already. */
export function renderFindingsMarkdown(
  findings: Finding[],
  diffs: FileDiff[],
  title: string,
  fixSaid?: string,
): string {
  const parts = [`### ${title}\n`]
  for (const group of findingsByFile(findings, diffs)) {
    const lines = group.findings.map((f) => `- ${f.line === undefined ? '' : `line ${f.line}: `}${cell(f.message)}`)
    parts.push(`**${code(group.file)}**\n\n${lines.join('\n')}${lines.length > 0 ? '\n' : ''}`)
    if (group.diff !== undefined) {
      const block = `\`\`\`diff\n${group.diff.replace(/```/g, '` ` `').replace(/\n$/, '')}\n\`\`\``
      parts.push(
        group.diff.split('\n').length > LONG_DIFF_LINES ? details(`diff of ${group.file}`, block) : `${block}\n`,
      )
    }
  }
  const fix = driftFix(findings)
  if (fix !== '' && fix !== fixSaid) parts.push(`**Fix:** ${fix}\n`)
  return parts.join('\n')
}

/** The drift check's result when it found nothing. */
export function renderCleanDriftMarkdown(drift: DriftReport): string {
  const n = drift.modules.length
  return `no drift in ${n} module${n === 1 ? '' : 's'} (${(drift.durationMs / 1000).toFixed(1)} s)`
}
