import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Diagnosis } from '../diagnose/types.js'
import type { DriftReport } from '../drift/types.js'
import type { CliPlatform } from '../platform/cli.js'
import { renderCodeQuality } from '../report/codequality.js'
import { toJUnit, type JUnitSource } from '../report/junit.js'
import type { Report } from '../report/model.js'
import type { Redactor } from '../secrets/redactor.js'
import { formatDotenv } from './env-format.js'

export interface ReportFiles {
  drift?: DriftReport
  diagnoses: Diagnosis[]
  /** path of the working directory relative to the repository root, for report locations */
  pathPrefix: string
}

/** GitLab's reports: Code Quality JSON and JUnit XML for the merge request, and the findings' source. */
export async function writeDriftReports(dir: string, redactor: Redactor, files: ReportFiles): Promise<void> {
  await mkdir(dir, { recursive: true })
  const clean = (text: string): string => redactor.redact(text)
  const drift: JUnitSource = files.drift ?? {
    findings: [],
    modules: [],
    notices: [],
    diagnoses: [],
    durationMs: 0,
    checks: [],
  }
  await writeFile(
    path.join(dir, 'codequality.json'),
    clean(renderCodeQuality(drift.findings, files.diagnoses, { pathPrefix: files.pathPrefix })),
  )
  await writeFile(
    path.join(dir, 'junit.xml'),
    clean(toJUnit(drift, { diagnoses: files.diagnoses.filter((d) => !drift.diagnoses.includes(d)) })),
  )
}

/** Everything a GitLab job publishes after `run`: the reports, a credential-free dotenv, the summary and the JSON report. */
export async function writeRunReports(
  dir: string,
  platform: CliPlatform,
  redactor: Redactor,
  report: Report,
  pathPrefix: string,
): Promise<void> {
  await writeDriftReports(dir, redactor, { drift: report.drift, diagnoses: report.diagnoses, pathPrefix })
  const clean = (text: string): string => redactor.redact(text)
  await writeFile(path.join(dir, 'goproxy-guard.env'), clean(formatDotenv(platform.exported)))
  await writeFile(path.join(dir, 'summary.md'), clean(platform.summary.join('\n')))
  await writeFile(
    path.join(dir, 'report.json'),
    clean(JSON.stringify({ outputs: Object.fromEntries(platform.outputs), report }, null, 2) + '\n'),
  )
}
