import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Diagnosis } from '../diagnose/types.js'
import type { DriftCheckReport } from '../drift/check-run.js'
import type { CliPlatform } from '../platform/cli.js'
import { renderCodeQuality } from '../report/codequality.js'
import { mainReportJson } from '../report/json.js'
import { toJUnit } from '../report/junit.js'
import type { MainReport, PostReport } from '../report/model.js'
import { diagnosesOf, findingsOf } from '../report/outcome.js'
import { renderRunSummary } from '../report/summary.js'
import type { Redactor } from '../secrets/redactor.js'
import { formatDotenv } from './env-format.js'

export interface ReportFiles {
  drift?: Partial<DriftCheckReport>
  diagnoses: Diagnosis[]
  /** path of the working directory relative to the repository root, for report locations */
  pathPrefix: string
}

/** GitLab's reports: Code Quality JSON and JUnit XML for the merge request. */
export async function writeDriftReports(dir: string, redactor: Redactor, files: ReportFiles): Promise<void> {
  await mkdir(dir, { recursive: true })
  const clean = (text: string): string => redactor.redact(text)
  const drift = {
    findings: [],
    diffs: [],
    modules: [],
    notices: [],
    diagnoses: [],
    durationMs: 0,
    checks: [],
    ...files.drift,
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
  run: { main: MainReport; post: PostReport; pathPrefix: string },
): Promise<void> {
  const { main, post } = run
  const findings = [...findingsOf(main), ...(post.moduleFiles?.findings ?? [])]
  await writeDriftReports(dir, redactor, {
    drift: {
      ...main.drift,
      findings,
      diffs: [...(main.drift?.diffs ?? []), ...(post.moduleFiles?.diffs ?? [])],
    },
    diagnoses: diagnosesOf(main),
    pathPrefix: run.pathPrefix,
  })
  const clean = (text: string): string => redactor.redact(text)
  await writeFile(path.join(dir, 'goproxy-guard.env'), clean(formatDotenv(platform.exported)))
  await writeFile(path.join(dir, 'summary.md'), clean(renderRunSummary(main, post)))
  await writeFile(path.join(dir, 'report.json'), clean(`${JSON.stringify(mainReportJson(main, post), null, 2)}\n`))
}
