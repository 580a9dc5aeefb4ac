import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises'
import path from 'node:path'
import { classifyGoFailure } from '../../diagnose/classify.js'
import type { Diagnosis } from '../../diagnose/types.js'
import { goErrorText } from '../../drift/go-failure.js'
import { copyWorkspace } from '../../drift/workspace-copy.js'
import type { GoAccess } from '../../gocmd/runner.js'
import { withoutRequestTrace } from '../../gocmd/timeout.js'
import type { ModuleLayout } from '../../modules/layout.js'
import type { DownloadResult } from '../../report/model.js'
import type { EffectiveGo } from '../effective.js'

/**
 * `go mod download -x` for every module (or the workspace), on private copies of go.mod / go.sum / go.work: the
 * command adds missing checksums to the files it reads, and the user's files are never written. Modules built from
 * vendor/ are left alone. `-x` traces each request, so a command stopped at go-timeout can name what it waited for.
 */
export async function warmModuleCache(
  layout: ModuleLayout,
  access: GoAccess,
  effective: EffectiveGo,
  tempDir: string,
  vendored: string[],
): Promise<DownloadResult> {
  const started = performance.now()
  const diagnoses: Diagnosis[] = []
  const failed: string[] = []
  const skipped: string[] = []
  const scratch = await mkdtemp(path.join(tempDir, 'goproxy-guard-warm-'))
  try {
    const runs: Array<{ label: string; dir: string; args: string[]; env: Record<string, string> }> = []
    if (layout.workspace !== undefined) {
      if (vendored.includes(layout.workspace.directory)) skipped.push(layout.workspace.directory)
      else {
        const copy = await copyWorkspace(layout, layout.workspace, scratch)
        runs.push({
          label: layout.workspace.file,
          dir: path.resolve(layout.workingDirectory, layout.workspace.directory),
          args: ['mod', 'download', '-x'],
          env: { ...access.env, GOWORK: copy.goWork },
        })
      }
    } else {
      for (const [i, module] of layout.modules.entries()) {
        if (vendored.includes(module)) {
          skipped.push(module)
          continue
        }
        const copyDir = path.join(scratch, String(i))
        await mkdir(copyDir)
        const dir = path.resolve(layout.workingDirectory, module)
        await copyFile(path.join(dir, 'go.mod'), path.join(copyDir, 'go.mod'))
        await copyFile(path.join(dir, 'go.sum'), path.join(copyDir, 'go.sum')).catch(() => undefined)
        runs.push({
          label: module,
          dir,
          args: ['mod', 'download', '-x', `-modfile=${path.join(copyDir, 'go.mod')}`],
          env: { ...access.env, GOWORK: 'off' },
        })
      }
    }
    for (const run of runs) {
      const result = await access.go.run(run.args, { cwd: run.dir, env: run.env })
      if (result.exitCode === 0) continue
      const stderr = withoutRequestTrace(result.stderr)
      const found = classifyGoFailure(stderr, effective)
      if (found.length > 0) diagnoses.push(...found)
      else {
        diagnoses.push({
          code: 'download-failed',
          kind: 'proxy',
          severity: 'error',
          title: `go mod download failed in ${run.label}`,
          detail: goErrorText(stderr).split('\n').slice(0, 8).join('\n') || `exit code ${result.exitCode}`,
          fix: 'Read the go error above; run `goproxy-guard doctor` with the same settings to probe the proxies.',
          module: run.label,
        })
      }
      failed.push(run.label)
    }
  } finally {
    await rm(scratch, { recursive: true, force: true, maxRetries: 3 })
  }
  return { ok: failed.length === 0, durationMs: Math.round(performance.now() - started), failed, skipped, diagnoses }
}
