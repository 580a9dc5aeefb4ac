import type { Diagnosis } from '../diagnose/types.js'
import { classifyGoFailure } from '../diagnose/classify.js'

/**
 * Turns a go command's stderr into diagnoses. The drift checks treat every diagnosis whose kind is not `drift` as
 * "this check could not run": a proxy, the checksum database or credentials failed, or a checksum did not match.
 * It is src/diagnose/classify.ts's `classifyGoFailure(stderr, context)`, bound to the settings Go ran with.
 */
export type ClassifyGoFailure = (stderr: string) => Diagnosis[]

/** The project's classifier without the user's settings: the default when the caller has none to give. */
export const classifyWithoutContext: ClassifyGoFailure = (stderr) => classifyGoFailure(stderr, {})

/** The diagnoses that mean "the check could not run" rather than "the files drifted". */
export function blockingDiagnoses(classify: ClassifyGoFailure, stderr: string): Diagnosis[] {
  return classify(stderr).filter((d) => d.kind !== 'drift')
}

/** stderr without the progress lines (`go: downloading …`, `go: finding module …`). */
export function goErrorText(stderr: string): string {
  return stderr
    .split('\n')
    .filter((line) => !/^go: (downloading|finding module|extracting) /.test(line))
    .join('\n')
    .trim()
}
