import { verifyModules } from '../../drift/check.js'
import type { ClassifyGoFailure } from '../../drift/go-failure.js'
import type { GoAccess } from '../../gocmd/runner.js'
import type { ModuleLayout } from '../../modules/layout.js'
import type { VerifyResult } from '../../report/model.js'

/**
 * `go mod verify` after a restore: Go checks a cached module's .ziphash against go.sum, not the zip itself, so a
 * restored cache is never trusted blindly.
 */
export async function verifyStage(
  layout: ModuleLayout,
  access: GoAccess & { classify: ClassifyGoFailure; tempDirectory: string },
  reason: VerifyResult['reason'],
): Promise<VerifyResult> {
  const started = performance.now()
  const verified = await verifyModules(layout, access)
  return {
    ok: verified.findings.length === 0 && !verified.diagnoses.some((d) => d.severity === 'error'),
    durationMs: Math.round(performance.now() - started),
    reason,
    findings: verified.findings,
    diagnoses: verified.diagnoses,
  }
}
