import type { Diagnosis } from '../diagnose/types.js'
import type { FileDiff, Finding } from '../drift/types.js'
import { describeBuildCache, describeModuleCache, describeSave } from './caches.js'
import { findingsByFile } from './drift.js'
import type { MainReport, PostReport } from './model.js'
import { describeNeeds } from './needs.js'
import { diagnosesOf, driftFix, findingsOf, mainHeadline, postHeadline, type Headline } from './outcome.js'
import { renderProbeText } from './probe.js'
import { goCommandLines } from './summary.js'
import { paint, wrap, type TextStyle } from './terminal.js'

/*
 * The CLI's report, for a terminal or a CI log: the verdict and the fix first, then what failed, the drift with one
 * diff per file, the warnings, and the details. Nothing here speaks of steps, annotations or a job summary.
 */

const MARK: Record<Headline['status'], string> = { passed: '✔', warnings: '!', failed: '✖' }

export function renderHeadline(headline: Headline, style: TextStyle): string {
  const colour = headline.status === 'passed' ? 'green' : headline.status === 'warnings' ? 'yellow' : 'red'
  const lines = [
    wrap(style, `${paint(style, colour, MARK[headline.status])} ${paint(style, 'bold', headline.sentence)}`, '  '),
  ]
  if (headline.diagnosis !== undefined) lines.push(wrap(style, `  ${headline.diagnosis.detail}`, '  '))
  if (headline.fix !== undefined) lines.push(wrap(style, `  ${paint(style, 'bold', 'fix:')} ${headline.fix}`, '  '))
  return `${lines.join('\n')}\n`
}

function section(style: TextStyle, title: string, body: string[]): string {
  return body.length === 0 ? '' : `\n${paint(style, 'bold', title)}\n${body.join('\n')}\n`
}

export function diagnosisLines(d: Diagnosis, style: TextStyle): string[] {
  const mark = d.severity === 'error' ? paint(style, 'red', '✖') : paint(style, 'yellow', '!')
  const where = [d.module, d.url].filter(Boolean).join(', ')
  return [
    wrap(style, `  ${mark} ${d.title}${where ? ` (${where})` : ''}`, '    '),
    wrap(style, `    ${d.detail}`, '    '),
    wrap(style, `    ${paint(style, 'bold', 'fix:')} ${d.fix}`, '    '),
  ]
}

/** Per file: its findings, then its one diff; then the one fix, unless it was said already. */
export function findingLines(findings: Finding[], diffs: FileDiff[], style: TextStyle, fixSaid?: string): string[] {
  const lines: string[] = []
  for (const group of findingsByFile(findings, diffs)) {
    lines.push(`  ${paint(style, 'bold', group.file)}`)
    for (const f of group.findings)
      lines.push(wrap(style, `    ${f.line === undefined ? '' : `line ${f.line}: `}${f.message}`, '      '))
    if (group.diff !== undefined) {
      for (const line of group.diff.replace(/\n$/, '').split('\n')) {
        const colour =
          line.startsWith('+') && !line.startsWith('+++')
            ? 'green'
            : line.startsWith('-') && !line.startsWith('---')
              ? 'red'
              : 'dim'
        lines.push(`    ${paint(style, colour, line)}`)
      }
    }
  }
  const fix = driftFix(findings)
  if (fix !== '' && fix !== fixSaid) lines.push(wrap(style, `  ${paint(style, 'bold', 'fix:')} ${fix}`, '  '))
  return lines
}

/** `goproxy-guard run`: the main step's report, with what the post check found. */
export function renderRunText(main: MainReport, post: PostReport | undefined, style: TextStyle): string {
  const parts: string[] = []
  const headline =
    post !== undefined &&
    (post.moduleFiles?.findings.length ?? 0) > 0 &&
    main.refused === undefined &&
    mainHeadline(main).status !== 'failed'
      ? postHeadline(post)
      : mainHeadline(main)
  parts.push(renderHeadline(headline, style))
  if (main.refused !== undefined) {
    parts.push(`\n${main.refused}\n`)
    return parts.join('')
  }
  const diagnoses = diagnosesOf(main)
  parts.push(
    section(
      style,
      'What failed',
      diagnoses
        .filter((d) => d.severity === 'error' && d !== headline.diagnosis)
        .flatMap((d) => diagnosisLines(d, style)),
    ),
  )
  const findings = findingsOf(main)
  if (findings.length > 0) {
    parts.push(section(style, 'Drift', findingLines(findings, main.drift?.diffs ?? [], style, headline.fix)))
  }
  const changed = post?.moduleFiles
  if (changed !== undefined && changed.findings.length > 0) {
    parts.push(
      section(
        style,
        'Changed while goproxy-guard ran',
        findingLines(changed.findings, changed.diffs, style, headline.fix),
      ),
    )
  }
  const warnings = [
    ...(main.configuration?.warnings ?? []).map((w) => wrap(style, `  ${paint(style, 'yellow', '!')} ${w}`, '    ')),
    ...diagnoses.filter((d) => d.severity === 'warning').flatMap((d) => diagnosisLines(d, style)),
  ]
  parts.push(section(style, 'Warnings', warnings))
  if (main.stoppedEarly !== undefined) parts.push(`\n${wrap(style, main.stoppedEarly)}\n`)
  if (main.access !== undefined) {
    parts.push(
      section(
        style,
        'What this job needs',
        describeNeeds(main.access.needs).map((l) => wrap(style, `  ${l}`, '  ')),
      ),
    )
  }
  if (main.probe !== undefined) {
    parts.push(
      section(
        style,
        'Proxies',
        'verdict' in main.probe
          ? indent(renderProbeText(main.probe.report, main.probe.verdict))
          : [`  not probed: ${main.probe.skipped}`],
      ),
    )
  }
  const details: string[] = []
  if (main.moduleCache) details.push(wrap(style, `  module cache: ${describeModuleCache(main.moduleCache)}`, '    '))
  if (main.buildCache) details.push(wrap(style, `  build cache: ${describeBuildCache(main.buildCache)}`, '    '))
  if (main.drift !== undefined && main.drift.findings.length === 0) {
    const n = main.drift.modules.length
    details.push(
      main.drift.diagnoses.some((d) => d.severity === 'error')
        ? '  the drift check could not run to the end (see what failed)'
        : `  go mod tidy -diff and the other drift checks: no drift in ${n} module${n === 1 ? '' : 's'}`,
    )
  }
  for (const notice of main.drift?.notices ?? []) details.push(wrap(style, `  note: ${notice}`, '    '))
  details.push(...goCommandLines(main).map((line) => `  ${line.replace(/^- /, '')}`))
  if (post?.moduleCacheSave) details.push(`  module cache: ${describeSave(post.moduleCacheSave, 'module')}`)
  parts.push(section(style, 'Details', details))
  return parts.join('')
}

/** `goproxy-guard drift`: the findings, one diff per file, and the fix; or a line saying all is well. */
export function renderDriftCommandText(
  drift: { findings: Finding[]; diffs: FileDiff[]; modules: string[]; notices: string[]; diagnoses: Diagnosis[] },
  style: TextStyle,
): string {
  const errors = drift.diagnoses.filter((d) => d.severity === 'error')
  const parts: string[] = []
  if (errors.length > 0) {
    const [first, ...rest] = errors
    parts.push(renderHeadline({ status: 'failed', sentence: first!.title, fix: first!.fix, diagnosis: first }, style))
    parts.push(
      section(
        style,
        'What failed',
        rest.flatMap((d) => diagnosisLines(d, style)),
      ),
    )
  } else if (drift.findings.length > 0) {
    parts.push(
      renderHeadline(mainHeadline({ place: 'terminal', policy: 'fail', drift: { ...drift, durationMs: 0 } }), style),
    )
  } else {
    const n = drift.modules.length
    parts.push(renderHeadline({ status: 'passed', sentence: `No drift in ${n} module${n === 1 ? '' : 's'}` }, style))
  }
  if (drift.findings.length > 0) {
    parts.push(section(style, 'Drift', findingLines(drift.findings, drift.diffs, style, driftFix(drift.findings))))
  }
  const warnings = drift.diagnoses.filter((d) => d.severity === 'warning').flatMap((d) => diagnosisLines(d, style))
  parts.push(section(style, 'Warnings', warnings))
  parts.push(
    section(
      style,
      'Notes',
      drift.notices.map((n) => wrap(style, `  ${n}`, '  ')),
    ),
  )
  return parts.join('')
}

function indent(text: string): string[] {
  return text
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => `  ${line}`)
}
