import { untrustedCacheDiagnosis } from '../cache/trust.js'
import type { Diagnosis } from '../diagnose/types.js'
import type { Finding } from '../drift/types.js'
import type { ExitCode, MainReport, PostReport } from './model.js'

/** Every diagnosis of the main step, each once, with the failure policy applied. */
export function diagnosesOf(report: MainReport): Diagnosis[] {
  const all: Diagnosis[] = [
    ...(report.probe !== undefined && 'verdict' in report.probe ? report.probe.verdict.diagnoses : []),
    ...(report.access?.diagnoses ?? []),
    ...(report.drift?.diagnoses ?? []),
    ...(report.download?.diagnoses ?? []),
    ...(report.verify?.diagnoses ?? []),
    ...(report.moduleCache?.untrusted ? [untrustedCacheDiagnosis('module cache', report.moduleCache.untrusted)] : []),
    ...(report.buildCache?.untrusted ? [untrustedCacheDiagnosis('build cache', report.buildCache.untrusted)] : []),
  ]
  // with on-proxy-failure: warn the user chose to go on whatever the proxies do: their failures, wherever seen, warn
  const policy = report.policy
  const applied = all.map((d) =>
    policy === 'warn' && d.kind === 'proxy' && d.severity === 'error' ? { ...d, severity: 'warning' as const } : d,
  )
  const seen = new Set<string>()
  return applied.filter((d) => {
    const key = `${d.severity}\u0000${d.code}\u0000${d.title}\u0000${d.module ?? ''}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/** Drift findings and modules that fail verification. */
export function findingsOf(report: MainReport): Finding[] {
  return [...(report.drift?.findings ?? []), ...(report.verify?.findings ?? [])]
}

/** Invalid input 2, then a proxy failure 3 (nothing downstream can be trusted without one), then drift or security 1. */
export function exitCodeOf(diagnoses: Diagnosis[], findings: Finding[] = []): ExitCode {
  const errors = diagnoses.filter((d) => d.severity === 'error')
  if (errors.some((d) => d.kind === 'config')) return 2
  if (errors.some((d) => d.kind === 'proxy')) return 3
  if (errors.length > 0 || findings.length > 0) return 1
  return 0
}

export function mainExitCode(report: MainReport): ExitCode {
  if (report.refused !== undefined) return 2
  return exitCodeOf(diagnosesOf(report), findingsOf(report))
}

export function postExitCode(report: PostReport): ExitCode {
  const failed =
    (report.moduleFiles?.findings.length ?? 0) > 0 ||
    (report.credentials.removed === false && report.credentials.failed !== undefined)
  return failed ? 1 : 0
}

/** The verdict in one line, and the fix: what every surface says first. */
export interface Headline {
  status: 'passed' | 'warnings' | 'failed'
  sentence: string
  fix?: string
  /** the diagnosis the headline speaks for, so it is not said a second time */
  diagnosis?: Diagnosis
}

export function mainHeadline(report: MainReport): Headline {
  if (report.refused !== undefined) {
    const what = report.refusedAfterExport
      ? 'The modules could not be checked'
      : 'Nothing was exported and no file was written'
    return { status: 'failed', sentence: `${what}: ${firstLine(report.refused)}` }
  }
  const diagnoses = diagnosesOf(report)
  const findings = findingsOf(report)
  const errors = diagnoses.filter((d) => d.severity === 'error')
  const code = exitCodeOf(diagnoses, findings)
  const first =
    code === 2
      ? errors.find((d) => d.kind === 'config')
      : code === 3
        ? errors.find((d) => d.kind === 'proxy')
        : errors.find((d) => d.kind === 'security')
  if (first !== undefined) return { status: 'failed', sentence: first.title, fix: first.fix, diagnosis: first }
  if (findings.length > 0) {
    return { status: 'failed', sentence: driftSentence(findings), fix: driftFix(findings) }
  }
  if (errors[0] !== undefined) {
    return { status: 'failed', sentence: errors[0].title, fix: errors[0].fix, diagnosis: errors[0] }
  }
  const warnings =
    diagnoses.filter((d) => d.severity === 'warning').length + (report.configuration?.warnings.length ?? 0)
  const done = passedSentence(report)
  if (warnings > 0) {
    return { status: 'warnings', sentence: `Passed with ${warnings} warning${warnings === 1 ? '' : 's'}: ${done}` }
  }
  return { status: 'passed', sentence: `Passed: ${done}` }
}

export function postHeadline(report: PostReport): Headline {
  const findings = report.moduleFiles?.findings ?? []
  if (findings.length > 0) {
    const files = [...new Set(findings.map((f) => f.file))].join(', ')
    const sentence =
      report.place === 'github'
        ? `A later step changed ${files} after goproxy-guard checked them`
        : `${files} changed while goproxy-guard ran`
    return { status: 'failed', sentence, fix: driftFix(findings) }
  }
  if (report.credentials.removed === false && report.credentials.failed !== undefined) {
    return {
      status: 'failed',
      sentence: `goproxy-guard's work directory (credential files, snapshots) could not be removed: ${report.credentials.failed}`,
      fix: 'Remove them by hand, and rotate the credentials if the runner is shared.',
    }
  }
  const problems = [report.moduleCacheSave?.problem, report.buildCacheSave?.problem].filter(Boolean).length
  return problems > 0
    ? { status: 'warnings', sentence: `Passed with ${problems} cache warning${problems === 1 ? '' : 's'}` }
    : { status: 'passed', sentence: 'Passed: the module files are as they were checked' }
}

function passedSentence(report: MainReport): string {
  const parts: string[] = []
  const modules = report.layout?.modules.length ?? 0
  if (report.drift !== undefined) parts.push(`no drift in ${count(modules, 'module')}`)
  else parts.push(`${count(modules, 'module')} found`)
  const needs = report.access?.needs
  if (needs !== undefined && needs.moduleVersions > 0) {
    parts.push(
      needs.missing.length === 0
        ? `every module version the job reads (${needs.moduleVersions}) is in the module cache`
        : `${needs.missing.length} of ${count(needs.moduleVersions, 'module version')} fetched`,
    )
  }
  if (report.verify?.ok) parts.push('the module cache verified')
  return parts.join(', ')
}

/** e.g. "go.mod and go.sum drift: 3 findings in go.mod, go.sum" */
export function driftSentence(findings: Finding[]): string {
  const files = [...new Set(findings.map((f) => f.file))]
  const security = findings.some((f) => f.check === 'verify')
  const what = security
    ? 'go mod verify failed'
    : findings.some((f) => f.check === 'vendor')
      ? 'vendor/ and go.mod drift'
      : 'go.mod and go.sum drift'
  return `${what}: ${count(findings.length, 'finding')} in ${files.slice(0, 4).join(', ')}${files.length > 4 ? `, and ${files.length - 4} more files` : ''}`
}

/** One fix line for a set of findings: what to run, where, and what to commit. */
export function driftFix(findings: Finding[]): string {
  const fixes: string[] = []
  const dirs = (check: (f: Finding) => boolean): string => {
    const modules = [...new Set(findings.filter(check).map((f) => f.module))]
    return modules.length === 1 && modules[0] === '.' ? '' : ` in ${modules.join(', ')}`
  }
  const tidy = (f: Finding): boolean => f.check === 'tidy' || f.check === 'go.sum'
  if (findings.some(tidy)) fixes.push(`Run \`go mod tidy\`${dirs(tidy)} and commit go.mod and go.sum.`)
  if (findings.some((f) => f.check === 'vendor')) {
    fixes.push(
      `Run \`go mod vendor\`${dirs((f) => f.check === 'vendor')} (\`go work vendor\` in a workspace) and commit vendor/.`,
    )
  }
  if (findings.some((f) => f.check === 'replace')) {
    fixes.push('Point replace directives and go.work use lines inside the repository, or set allow-external-replace.')
  }
  if (findings.some((f) => f.check === 'post-step')) {
    fixes.push(
      'Commit the change (run `go mod tidy` locally), or keep the build from editing module files (GOFLAGS=-mod=readonly).',
    )
  }
  if (findings.some((f) => f.check === 'verify')) {
    fixes.push(
      'Do not build with this module cache: delete it (go clean -modcache, or drop the CI cache entry) and download again.',
    )
  }
  return fixes.join(' ')
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? ''
}
