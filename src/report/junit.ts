import type { Diagnosis } from '../diagnose/types.js'
import type { CheckName, CheckRun } from '../drift/check-run.js'
import type { DriftReport, Finding } from '../drift/types.js'

/*
 * JUnit XML for GitLab's artifacts:reports:junit: one testcase per check per module, the classname naming the module
 * (GitLab shows it as the suite), failures carrying every finding's message and diff. A proxy failure that kept a check
 * from running is an <error>, not a <failure>: the files may be fine.
 */

export type JUnitSource = DriftReport & { checks?: CheckRun[] }

export interface JUnitOptions {
  /** diagnoses from other stages (probe, cache verification) to list as their own testcases */
  diagnoses?: Diagnosis[]
  /** the root element's name */
  name?: string
}

const CHECK_TITLES: Record<CheckName, string> = {
  tidy: 'go mod tidy -diff',
  'go.sum': 'go.sum has every checksum the build needs',
  replace: 'replace directives stay inside the repository',
  vendor: 'vendor/ matches go mod vendor',
  verify: 'go mod verify',
  'post-step': 'module files unchanged by later steps',
}

const DEFAULT_CHECKS: CheckName[] = ['tidy', 'go.sum', 'replace', 'verify']

interface TestCase {
  classname: string
  name: string
  file?: string
  seconds: number
  failure?: { message: string; type: string; body: string }
  error?: { message: string; type: string; body: string }
  skipped?: string
}

export function toJUnit(report: JUnitSource, options: JUnitOptions = {}): string {
  const cases = [...checkCases(report), ...diagnosisCases([...report.diagnoses, ...(options.diagnoses ?? [])])]
  const suites = new Map<string, TestCase[]>()
  for (const c of cases) suites.set(c.classname, [...(suites.get(c.classname) ?? []), c])

  const total = counts(cases)
  let xml = '<?xml version="1.0" encoding="UTF-8"?>\n'
  xml += `<testsuites${attrs({ name: options.name ?? 'goproxy-guard', ...total })}>\n`
  for (const [name, members] of suites) {
    xml += `  <testsuite${attrs({ name, ...counts(members) })}>\n`
    for (const c of members) xml += renderCase(c)
    xml += '  </testsuite>\n'
  }
  xml += '</testsuites>\n'
  return xml
}

function checkCases(report: JUnitSource): TestCase[] {
  const runs: CheckRun[] = report.checks
    ? [...report.checks]
    : report.modules.flatMap((module) => DEFAULT_CHECKS.map((check) => passedRun(check, module)))
  // findings of checks the run list does not name (post-step findings added later, a report without `checks`)
  for (const f of report.findings) {
    if (!runs.some((r) => r.check === f.check && r.module === f.module && inScope(f, r))) {
      runs.push({ ...passedRun(f.check, f.module), scope: isWorkspaceFile(f.file) ? 'workspace' : 'module' })
    }
  }
  return runs.map((run) => {
    const findings = report.findings.filter((f) => f.check === run.check && f.module === run.module && inScope(f, run))
    const label =
      run.scope === 'workspace'
        ? `workspace ${run.module}`
        : run.module === '.'
          ? 'root module'
          : `module ${run.module}`
    const c: TestCase = {
      classname: `goproxy-guard drift: ${label}`,
      name: `${CHECK_TITLES[run.check]} (${label})`,
      file: findings[0]?.file ?? (run.module === '.' ? 'go.mod' : `${run.module}/go.mod`),
      seconds: run.durationMs / 1000,
    }
    if (findings.length > 0) {
      const message =
        findings.length === 1
          ? (findings[0] as Finding).message
          : `${findings.length} problems: ${(findings[0] as Finding).message}; …`
      const files = new Set(findings.map((f) => f.file))
      const diffs = (report.diffs ?? []).filter((d) => files.has(d.file)).map((d) => d.diff.replace(/\n$/, ''))
      c.failure = { message, type: run.check, body: [...findings.map(describeFinding), ...diffs].join('\n') }
    } else if (run.outcome === 'error') {
      c.error = { message: run.detail ?? 'the check could not run', type: 'proxy', body: run.detail ?? '' }
    } else if (run.outcome === 'skipped') {
      c.skipped = run.detail ?? 'skipped'
    } else if (run.outcome === 'failed') {
      c.failure = { message: run.detail ?? 'the check failed', type: run.check, body: run.detail ?? '' }
    }
    return c
  })
}

/** Workspace findings sit on go.work / go.work.sum; module findings on the module's files. */
function inScope(f: Finding, run: CheckRun): boolean {
  return (run.scope === 'workspace') === isWorkspaceFile(f.file)
}

function isWorkspaceFile(file: string): boolean {
  return /(^|\/)[^/]*\.work(\.sum)?$/.test(file)
}

function passedRun(check: CheckName, module: string): CheckRun {
  return { check, module, scope: 'module', outcome: 'passed', durationMs: 0 }
}

function diagnosisCases(diagnoses: Diagnosis[]): TestCase[] {
  const seen = new Set<string>()
  const cases: TestCase[] = []
  for (const d of diagnoses) {
    if (d.severity !== 'error') continue
    const name = `${d.code}${d.module ? ` ${d.module}` : ''}${d.url ? ` ${d.url}` : ''}`
    if (seen.has(name)) continue
    seen.add(name)
    const body = [d.detail, `Fix: ${d.fix}`, ...(d.url ? [`URL: ${d.url}`] : [])].join('\n')
    const outcome = { message: d.title, type: d.kind, body }
    const c: TestCase = { classname: 'goproxy-guard diagnoses', name, seconds: 0 }
    if (d.kind === 'proxy' || d.kind === 'config') c.error = outcome
    else c.failure = outcome
    cases.push(c)
  }
  return cases
}

function describeFinding(f: Finding): string {
  const where = f.line ? `${f.file}:${f.line}` : f.file
  return `${where}: ${f.message}`
}

function counts(cases: TestCase[]): Record<string, string> {
  return {
    tests: String(cases.length),
    failures: String(cases.filter((c) => c.failure).length),
    errors: String(cases.filter((c) => c.error).length),
    skipped: String(cases.filter((c) => c.skipped !== undefined).length),
    time: seconds(cases.reduce((sum, c) => sum + c.seconds, 0)),
  }
}

function renderCase(c: TestCase): string {
  const head = `    <testcase${attrs({ classname: c.classname, name: c.name, ...(c.file ? { file: c.file } : {}), time: seconds(c.seconds) })}`
  const inner: string[] = []
  if (c.failure)
    inner.push(
      `      <failure${attrs({ message: c.failure.message, type: c.failure.type })}>${text(c.failure.body)}</failure>\n`,
    )
  if (c.error)
    inner.push(`      <error${attrs({ message: c.error.message, type: c.error.type })}>${text(c.error.body)}</error>\n`)
  if (c.skipped !== undefined) inner.push(`      <skipped${attrs({ message: c.skipped })}/>\n`)
  return inner.length === 0 ? `${head}/>\n` : `${head}>\n${inner.join('')}    </testcase>\n`
}

function seconds(value: number): string {
  return value.toFixed(3)
}

function attrs(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([k, v]) => ` ${k}="${attribute(v)}"`)
    .join('')
}

/** Characters XML 1.0 cannot carry at all (controls, lone surrogates, U+FFFE/U+FFFF) are dropped. */
function clean(value: string): string {
  return value.replace(
    // eslint-disable-next-line no-control-regex -- matching the characters XML 1.0 forbids is the point
    /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '',
  )
}

function text(value: string): string {
  return clean(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;')
}

/** Attribute values also keep their line breaks and tabs, which a parser would otherwise fold into spaces. */
function attribute(value: string): string {
  return text(value).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;')
}
