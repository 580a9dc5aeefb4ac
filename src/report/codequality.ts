import { createHash } from 'node:crypto'
import path from 'node:path'
import type { Diagnosis } from '../diagnose/types.js'
import type { Finding } from '../drift/types.js'

/*
 * GitLab Code Quality (artifacts:reports:codequality): a JSON array of Code Climate issues, of which GitLab reads
 * description, check_name, fingerprint, severity, location.path and location.lines.begin. The parser refuses a byte
 * order mark. The fingerprint leaves the line out, so a finding that moves keeps its identity between the target
 * branch's report and the merge request's.
 */

export type CodeQualitySeverity = 'info' | 'minor' | 'major' | 'critical' | 'blocker'

export interface CodeQualityIssue {
  type: 'issue'
  check_name: string
  description: string
  categories: string[]
  fingerprint: string
  severity: CodeQualitySeverity
  location: { path: string; lines: { begin: number } }
}

export interface CodeQualityOptions {
  /** the working directory relative to the repository root, when they differ (GitLab wants repository paths) */
  pathPrefix?: string
  /** where diagnoses without a file are shown; default go.mod */
  diagnosisPath?: string
}

const FINDING_SEVERITY: Record<Finding['check'], CodeQualitySeverity> = {
  tidy: 'major',
  'go.sum': 'major',
  replace: 'major',
  vendor: 'major',
  verify: 'critical',
  'post-step': 'major',
}

const DIAGNOSIS_SEVERITY: Record<Diagnosis['kind'], CodeQualitySeverity> = {
  security: 'blocker',
  proxy: 'critical',
  config: 'major',
  drift: 'major',
}

export function toCodeQuality(
  findings: Finding[],
  diagnoses: Diagnosis[] = [],
  options: CodeQualityOptions = {},
): CodeQualityIssue[] {
  const issues: CodeQualityIssue[] = []
  const seen = new Map<string, number>()
  const add = (issue: Omit<CodeQualityIssue, 'fingerprint' | 'type'>): void => {
    const identity = `${issue.check_name}\u0000${issue.location.path}\u0000${issue.description}`
    // identical findings (the same line reported twice) still need distinct fingerprints
    const occurrence = seen.get(identity) ?? 0
    seen.set(identity, occurrence + 1)
    const fingerprint = createHash('md5').update(`${identity}\u0000${occurrence}`).digest('hex')
    issues.push({ type: 'issue', ...issue, fingerprint })
  }
  for (const f of findings) {
    add({
      check_name: `goproxy-guard/${f.check}`,
      description: oneLine(f.message),
      categories: f.check === 'verify' ? ['Security'] : ['Bug Risk'],
      severity: FINDING_SEVERITY[f.check],
      location: { path: repositoryPath(options.pathPrefix, f.file), lines: { begin: Math.max(1, f.line ?? 1) } },
    })
  }
  for (const d of diagnoses) {
    add({
      check_name: `goproxy-guard/${d.kind}/${d.code}`,
      description: oneLine(`${d.title}${d.module ? ` (${d.module})` : ''}: ${d.fix}`),
      categories: d.kind === 'security' ? ['Security'] : ['Bug Risk'],
      severity: d.severity === 'warning' ? 'minor' : DIAGNOSIS_SEVERITY[d.kind],
      location: { path: repositoryPath(options.pathPrefix, options.diagnosisPath ?? 'go.mod'), lines: { begin: 1 } },
    })
  }
  return issues
}

/** The report file's text: UTF-8 JSON without a byte order mark. */
export function renderCodeQuality(
  findings: Finding[],
  diagnoses: Diagnosis[] = [],
  options: CodeQualityOptions = {},
): string {
  return `${JSON.stringify(toCodeQuality(findings, diagnoses, options), null, 2)}\n`
}

function repositoryPath(prefix: string | undefined, file: string): string {
  const joined = prefix && prefix !== '.' ? `${prefix}/${file}` : file
  return path.posix.normalize(joined.replace(/\\/g, '/')).replace(/^(\.\/)+/, '')
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim()
}
