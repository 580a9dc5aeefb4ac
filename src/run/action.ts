import path from 'node:path'
import { createGoRunner } from '../gocmd/runner.js'
import { createGitHubPlatform } from '../platform/github.js'
import { Redactor } from '../secrets/redactor.js'
import { createActionsCacheStore } from '../cache/actions-store.js'
import type { Engine } from './engine.js'
import { runMainStep } from './main-step.js'
import { runPostStep } from './post-step.js'

function gitHubEngine(): Engine {
  const redactor = new Redactor()
  return {
    platform: createGitHubPlatform(redactor),
    redactor,
    go: createGoRunner(),
    cache: createActionsCacheStore(),
    baseDirectory: path.resolve(process.env['GITHUB_WORKSPACE'] || process.cwd()),
  }
}

/** The action's main entry: any failure becomes a failed step with a message, never an unhandled rejection. */
export async function runActionMain(): Promise<void> {
  const engine = gitHubEngine()
  try {
    const { exitCode } = await runMainStep(engine)
    if (exitCode !== 0) process.exitCode = 1
  } catch (error) {
    engine.platform.setFailed(
      `goproxy-guard failed unexpectedly: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    )
  }
}

export async function runActionPost(): Promise<void> {
  const engine = gitHubEngine()
  try {
    const { exitCode } = await runPostStep(engine)
    if (exitCode !== 0) process.exitCode = 1
  } catch (error) {
    engine.platform.setFailed(
      `goproxy-guard post step failed unexpectedly: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    )
  }
}
