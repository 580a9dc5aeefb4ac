import path from 'node:path'
import type { Diagnosis } from '../diagnose/types.js'
import type { Finding } from '../drift/types.js'
import type { Annotation } from '../platform/platform.js'

export interface AnnotationLine {
  level: 'error' | 'warning'
  message: string
  annotation: Annotation
}

/** A diagnosis as an annotation: its title, what happened, and the fix. */
export function diagnosisAnnotation(d: Diagnosis): AnnotationLine {
  return {
    level: d.severity,
    message: `${d.title}\n${d.detail}\nFix: ${d.fix}`,
    annotation: { title: `goproxy-guard ${d.code}` },
  }
}

/** A finding as an error on its line, with the path relative to the repository root (where GitHub looks). */
export function findingAnnotation(f: Finding, workingDirectory: string, repositoryRoot: string): AnnotationLine {
  const file = path.relative(repositoryRoot, path.resolve(workingDirectory, f.file)).split(path.sep).join('/')
  return {
    level: 'error',
    message: f.message,
    annotation: { title: `goproxy-guard ${f.check}`, file, ...(f.line === undefined ? {} : { startLine: f.line }) },
  }
}
