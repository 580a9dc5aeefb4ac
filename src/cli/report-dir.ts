import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { CliPlatform } from '../platform/cli.js'
import type { Report } from '../report/model.js'
import type { Redactor } from '../secrets/redactor.js'
import { formatDotenv } from './env-format.js'

/** The files a GitLab job publishes: a credential-free dotenv, the summary and the JSON report. */
export async function writeReportDir(dir: string, platform: CliPlatform, redactor: Redactor, report: Report): Promise<void> {
  await mkdir(dir, { recursive: true })
  const clean = (text: string): string => redactor.redact(text)
  await writeFile(path.join(dir, 'goproxy-guard.env'), clean(formatDotenv(platform.exported)))
  await writeFile(path.join(dir, 'summary.md'), clean(platform.summary.join('\n')))
  await writeFile(path.join(dir, 'report.json'), clean(JSON.stringify({ outputs: Object.fromEntries(platform.outputs), report }, null, 2) + '\n'))
}
