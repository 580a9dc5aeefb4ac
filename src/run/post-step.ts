import type { Platform } from '../platform/platform.js'
import { removeWorkDir } from '../secrets/credential-dir.js'
import type { ExitCode } from '../report/model.js'
import type { Engine } from './engine.js'
import { loadStepState } from './state.js'

/**
 * The post step, which runs whatever happened before: the module files check, the cache save, and — always, even
 * when the others fail — the removal of the credential files.
 */
export async function runPostStep(engine: Engine): Promise<ExitCode> {
  const { platform } = engine
  const state = loadStepState(platform)
  if (state === undefined) {
    platform.info('Nothing to clean up: the main step did not get far enough to write anything.')
    return 0
  }
  let exitCode: ExitCode = 0
  try {
    // later stages join here
  } finally {
    if (!(await removeCredentials(platform, state.workDir))) exitCode = exitCode === 0 ? 1 : exitCode
  }
  return exitCode
}

async function removeCredentials(platform: Platform, workDir: string | undefined): Promise<boolean> {
  if (workDir === undefined) return true
  try {
    await removeWorkDir(workDir, platform.tempDir)
    platform.info('Removed the credential files.')
    return true
  } catch (error) {
    platform.setFailed(`Could not remove the credential files: ${error instanceof Error ? error.message : String(error)}`)
    return false
  }
}
