import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { saveModuleCache } from '../cache/module-cache.js'
import { compareSnapshot } from '../drift/snapshot.js'
import type { Finding } from '../drift/types.js'
import type { Platform } from '../platform/platform.js'
import { renderDriftMarkdown } from '../report/drift-markdown.js'
import type { ExitCode } from '../report/model.js'
import { removeWorkDir } from '../secrets/credential-dir.js'
import { annotateFindings } from './announce.js'
import type { Engine } from './engine.js'
import { loadStepState, type StepState } from './state.js'

export interface PostOutcome {
  exitCode: ExitCode
  findings: Finding[]
}

/**
 * The post step, which runs whatever happened before: the module files check, the cache save, and — always, even
 * when the others fail — the removal of the credential files.
 */
export async function runPostStep(engine: Engine): Promise<PostOutcome> {
  const { platform } = engine
  const state = loadStepState(platform)
  if (state === undefined) {
    platform.info('Nothing to do: the main step did not get far enough to write anything.')
    return { exitCode: 0, findings: [] }
  }
  let exitCode: ExitCode = 0
  let findings: Finding[] = []
  try {
    if (state.checkPost && state.snapshotDir !== undefined) {
      findings = await checkModuleFiles(engine, state.snapshotDir)
      if (findings.length > 0) exitCode = 1
    }
    if (state.cachePrimaryKey !== undefined && state.cacheDownloadDir !== undefined) await saveCache(engine, state)
  } finally {
    if (!(await removeCredentials(platform, state.workDir))) exitCode = exitCode === 0 ? 1 : exitCode
  }
  return { exitCode, findings }
}

async function checkModuleFiles(engine: Engine, snapshotDir: string): Promise<Finding[]> {
  const { platform } = engine
  const findings = await compareSnapshot(snapshotDir)
  if (findings.length === 0) {
    platform.info('go.mod, go.sum, go.work and go.work.sum are as the main step found them.')
    return findings
  }
  const workingDirectory = await workingDirectoryOf(snapshotDir)
  annotateFindings(platform, findings, workingDirectory, engine.baseDirectory)
  await platform.appendSummary(
    renderDriftMarkdown(
      { findings, modules: [], notices: [], diagnoses: [], durationMs: 0 },
      'Changed after the main step',
    ),
  )
  const files = [...new Set(findings.map((f) => f.file))].join(', ')
  platform.setFailed(
    `A later step changed ${files}. Commit the change (run go mod tidy locally), or stop the build from editing module files (GOFLAGS=-mod=readonly).`,
  )
  return findings
}

async function workingDirectoryOf(snapshotDir: string): Promise<string> {
  const manifest = JSON.parse(await readFile(path.join(snapshotDir, 'manifest.json'), 'utf8')) as {
    workingDirectory: string
  }
  return manifest.workingDirectory
}

async function saveCache(engine: Engine, state: StepState): Promise<void> {
  const result = await engine.platform.group('Saving the module cache', () =>
    saveModuleCache(
      { store: engine.cache, platform: engine.platform, downloadDir: state.cacheDownloadDir as string },
      {
        key: state.cachePrimaryKey as string,
        matchedKey: state.cacheMatchedKey,
        filesAtRestore: state.cacheFilesAtRestore ?? 0,
        mainSucceeded: state.mainSucceeded === true,
        cacheSave: state.cacheSave !== false,
      },
    ),
  )
  const seconds = (result.durationMs / 1000).toFixed(1)
  await engine.platform.appendSummary(
    `### Module cache (post step)\n\n${result.saved ? `Saved ${result.reason.replace(/^saved: /, '')}, in ${seconds} s` : `Not saved: ${result.reason}`}.\n`,
  )
}

async function removeCredentials(platform: Platform, workDir: string | undefined): Promise<boolean> {
  if (workDir === undefined) return true
  try {
    await removeWorkDir(workDir, platform.tempDir)
    platform.info('Removed the credential files.')
    return true
  } catch (error) {
    platform.setFailed(
      `Could not remove the credential files: ${error instanceof Error ? error.message : String(error)}`,
    )
    return false
  }
}
