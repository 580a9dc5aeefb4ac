import path from 'node:path'
import { createActionsCacheStore } from '../cache/actions-store.js'
import { createGoRunner } from '../gocmd/runner.js'
import { createGitHubPlatform } from '../platform/github.js'
import { Redactor } from '../secrets/redactor.js'
import type { Engine } from './engine.js'
import { runMainStep } from './main-step.js'
import { runPostStep } from './post-step.js'
import { publishMain, publishPost } from './publish.js'

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

/** The main step with its report published: the exit code the step ends with. */
export async function actionMain(engine: Engine): Promise<number> {
  return publishMain(engine.platform, await runMainStep(engine), engine.baseDirectory)
}

export async function actionPost(engine: Engine): Promise<number> {
  return publishPost(engine.platform, await runPostStep(engine), engine.baseDirectory)
}

/** The action's entry points: any failure becomes a failed step with one line, never a stack or an unhandled rejection. */
export async function runActionMain(): Promise<void> {
  await guarded(gitHubEngine(), actionMain, 'goproxy-guard failed unexpectedly')
}

export async function runActionPost(): Promise<void> {
  await guarded(gitHubEngine(), actionPost, 'goproxy-guard post step failed unexpectedly')
}

async function guarded(engine: Engine, step: (engine: Engine) => Promise<number>, what: string): Promise<void> {
  try {
    if ((await step(engine)) !== 0) process.exitCode = 1
  } catch (error) {
    engine.platform.debug(error instanceof Error ? (error.stack ?? error.message) : String(error))
    engine.platform.setFailed(`${what}: ${error instanceof Error ? error.message : String(error)}`)
  }
}
