import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises'
import path from 'node:path'
import { classifyGoFailure } from '../../diagnose/classify.js'
import type { Diagnosis } from '../../diagnose/types.js'
import { copyWorkspace } from '../../drift/workspace-copy.js'
import type { ModuleLayout } from '../../drift/modules.js'
import type { GoRunner } from '../../gocmd/runner.js'
import type { StageResult } from '../../report/model.js'
import type { EffectiveGo } from '../effective.js'

export interface WarmResult extends StageResult {
  diagnoses: Diagnosis[]
}

/**
 * `go mod download` for every module (or the workspace), on private copies of go.mod / go.sum / go.work: the command
 * adds missing checksums to the files it reads, and the user's files are never written.
 */
export async function warmModuleCache(
  layout: ModuleLayout,
  access: { go: GoRunner; env: Record<string, string> },
  effective: EffectiveGo,
  tempDir: string,
): Promise<WarmResult> {
  const started = performance.now()
  const diagnoses: Diagnosis[] = []
  const failures: string[] = []
  const scratch = await mkdtemp(path.join(tempDir, 'goproxy-guard-warm-'))
  try {
    const runs: Array<{ label: string; dir: string; args: string[]; env: Record<string, string> }> = []
    if (layout.workspace !== undefined) {
      const copy = await copyWorkspace(layout, layout.workspace, scratch)
      runs.push({
        label: layout.workspace.file,
        dir: path.resolve(layout.workingDirectory, layout.workspace.directory),
        args: ['mod', 'download'],
        env: { ...access.env, GOWORK: copy.goWork },
      })
    } else {
      for (const [i, module] of layout.modules.entries()) {
        const copyDir = path.join(scratch, String(i))
        await mkdir(copyDir)
        const dir = path.resolve(layout.workingDirectory, module)
        await copyFile(path.join(dir, 'go.mod'), path.join(copyDir, 'go.mod'))
        await copyFile(path.join(dir, 'go.sum'), path.join(copyDir, 'go.sum')).catch(() => undefined)
        runs.push({
          label: module,
          dir,
          args: ['mod', 'download', `-modfile=${path.join(copyDir, 'go.mod')}`],
          env: { ...access.env, GOWORK: 'off' },
        })
      }
    }
    for (const run of runs) {
      const result = await access.go.run(run.args, { cwd: run.dir, env: run.env })
      if (result.exitCode === 0) continue
      const found = classifyGoFailure(result.stderr, effective)
      if (found.length > 0) diagnoses.push(...found)
      else {
        diagnoses.push({
          code: 'download-failed',
          kind: 'proxy',
          severity: 'error',
          title: `go mod download failed in ${run.label}`,
          detail: firstLines(result.stderr),
          fix: 'Read the go error above; run `goproxy-guard doctor` with the same settings to probe the proxies.',
          module: run.label,
        })
      }
      failures.push(run.label)
    }
  } finally {
    await rm(scratch, { recursive: true, force: true })
  }
  return {
    ok: failures.length === 0,
    durationMs: Math.round(performance.now() - started),
    detail: failures.length === 0 ? undefined : `failed in ${failures.join(', ')}`,
    diagnoses,
  }
}

function firstLines(text: string): string {
  return text.trim().split('\n').slice(0, 8).join('\n')
}
