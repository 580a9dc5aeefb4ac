import type { Diagnosis } from '../diagnose/types.js'
import { checkRun, type CheckOutcome, type GoAccess } from './check-run.js'
import { blockingDiagnoses, goErrorText, type ClassifyGoFailure } from './go-failure.js'
import type { GoResult } from '../gocmd/runner.js'
import type { Finding } from './types.js'

/*
 * `go mod verify` re-hashes each cached module of the build list (zip and extracted tree) against the .ziphash the
 * cache recorded when it downloaded it. A mismatch means the cache content changed after download — tampering or
 * corruption — so it is a SECURITY diagnosis, never drift. It does not read go.sum for this and skips modules that are
 * not cached. It writes neither go.mod nor go.sum nor go.work.sum (checked with Go 1.26, in module and workspace mode).
 */

const MODIFIED = /^(\S+) (\S+): (zip|dir) has been modified \(([^)]*)\)/
const MISSING_ZIPHASH = /^(\S+) (\S+): missing ziphash: (.*)$/

export interface VerifyInput extends GoAccess {
  /** absolute directory to run in (a module, or the go.work directory) */
  directory: string
  /** relative module (or workspace) directory, for findings */
  module: string
  scope: 'module' | 'workspace'
  /** the file a finding points at (go.mod or go.work) */
  file: string
  classify: ClassifyGoFailure
  /** extra environment, e.g. GOWORK */
  extraEnv?: Record<string, string>
}

export async function runVerifyCheck(input: VerifyInput): Promise<CheckOutcome> {
  const result = await input.go.run(['mod', 'verify'], {
    cwd: input.directory,
    env: { ...input.env, ...input.extraEnv },
  })
  const { findings, diagnoses } = interpretVerify(result, input)
  return {
    findings,
    diagnoses,
    diffs: [],
    notices: [],
    checks: [checkRun('verify', input.module, input.scope, { findings, diagnoses }, result.durationMs)],
  }
}

export function interpretVerify(
  result: Pick<GoResult, 'exitCode' | 'stdout' | 'stderr'>,
  place: { module: string; file: string; classify: ClassifyGoFailure },
): { findings: Finding[]; diagnoses: Diagnosis[] } {
  const findings: Finding[] = []
  const diagnoses: Diagnosis[] = []
  if (result.exitCode === 0) return { findings, diagnoses }
  const other: string[] = []
  for (const line of goErrorText(result.stderr).split('\n')) {
    const modified = MODIFIED.exec(line)
    const missing = MISSING_ZIPHASH.exec(line)
    if (modified) {
      const [, mod, version, what] = modified
      diagnoses.push({
        code: what === 'zip' ? 'module-cache-zip-modified' : 'module-cache-dir-modified',
        kind: 'security',
        severity: 'error',
        title: `SECURITY: ${mod}@${version} in the module cache was modified after it was downloaded`,
        detail:
          what === 'zip'
            ? `go mod verify found that the cached zip of ${mod}@${version} changed after download. Go builds from that zip without checking it again, so the build would use content nobody verified.`
            : `go mod verify found that the extracted files of ${mod}@${version} in the module cache changed after download.`,
        fix: 'Do not build with this cache: delete it (go clean -modcache, or drop the CI cache entry) and download again. Find out how the cache was altered.',
        module: mod,
      })
    } else if (missing) {
      const [, mod, version] = missing
      diagnoses.push({
        code: 'module-cache-ziphash-missing',
        kind: 'security',
        severity: 'warning',
        title: `${mod}@${version} in the module cache has no recorded hash`,
        detail:
          'The cache holds the module without the .ziphash written at download, so its content cannot be verified.',
        fix: 'Delete the module cache entry (or the whole cache) so Go downloads and records it again.',
        module: mod,
      })
    } else if (line.trim() !== '') other.push(line)
  }
  const rest = other.join('\n')
  if (rest !== '') {
    const blocking = blockingDiagnoses(place.classify, rest)
    if (blocking.length > 0) diagnoses.push(...blocking)
    else if (diagnoses.length === 0) {
      findings.push({
        check: 'verify',
        module: place.module,
        file: place.file,
        message: `go mod verify failed: ${rest}`,
      })
    }
  }
  return { findings, diagnoses }
}
