import { GoCommandError } from '../gocmd/goenv.js'
import { emptyReport, exitCodeOf, type ExitCode, type Report } from '../report/model.js'
import { renderSummary } from '../report/summary.js'
import { configure } from './configure.js'
import type { Engine } from './engine.js'
import { saveStepState, type StepState } from './state.js'

export interface StepOutcome {
  exitCode: ExitCode
  report: Report
}

/** The action's main step and the CLI's `run`: configure, probe, restore, check, warm, verify, report. */
export async function runMainStep(engine: Engine): Promise<StepOutcome> {
  const { platform } = engine
  const report = emptyReport()
  const state: StepState = {}
  const remember = (patch: Partial<StepState>): void => {
    Object.assign(state, patch)
    saveStepState(platform, state)
  }

  let configured
  try {
    configured = await configure(engine, report, (workDir) => remember({ workDir }))
  } catch (error) {
    if (error instanceof GoCommandError) {
      platform.setFailed(error.message)
      return { exitCode: 2, report }
    }
    throw error
  }
  if (!configured.ok) {
    platform.setFailed(configured.message)
    return { exitCode: 2, report }
  }
  const { settings, effective } = configured.value
  remember({ checkPost: settings.checkPost, cacheSave: settings.cacheSave })

  platform.setOutput('goproxy', effective.GOPROXY)
  platform.setOutput('gosumdb', effective.GOSUMDB)
  platform.setOutput('goprivate', effective.GOPRIVATE)
  platform.setOutput('gonosumdb', effective.GONOSUMDB)

  const exitCode = exitCodeOf(report.diagnoses, report.drift)
  remember({ mainSucceeded: exitCode === 0 })
  await platform.appendSummary(renderSummary(report))
  return { exitCode, report }
}
