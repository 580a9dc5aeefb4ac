import path from 'node:path'
import type { Diagnosis } from '../diagnose/types.js'
import type { Finding } from '../drift/types.js'
import type { Platform } from '../platform/platform.js'

/** Error annotations on the go.mod / go.sum lines concerned, with paths relative to the repository root. */
export function annotateFindings(
  platform: Platform,
  findings: Finding[],
  workingDirectory: string,
  repositoryRoot: string,
): void {
  for (const f of findings) {
    const file = path.relative(repositoryRoot, path.resolve(workingDirectory, f.file)).split(path.sep).join('/')
    platform.error(f.diff ? `${f.message}\n${f.diff}` : f.message, {
      title: `goproxy-guard ${f.check}`,
      file,
      startLine: f.line,
    })
  }
}

export function announceDiagnoses(platform: Platform, diagnoses: Diagnosis[]): void {
  for (const d of diagnoses) {
    const message = `${d.title}\n${d.detail}\nFix: ${d.fix}`
    if (d.severity === 'error') platform.error(message, { title: `goproxy-guard ${d.code}` })
    else platform.warning(message, { title: `goproxy-guard ${d.code}` })
  }
}
