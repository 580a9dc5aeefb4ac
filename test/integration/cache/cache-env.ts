import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, beforeEach } from '@jest/globals'
import { startCacheService, type CacheService, type CacheServiceOptions } from '../../servers/cache-service.js'
import { removeDir, tempDir } from '../../helpers/temp-dir.js'

/**
 * @actions/cache reads its configuration from process.env when it is called, so a test sets the runner's variables
 * for the duration of one test and puts the previous values back afterwards.
 */
const RUNNER_VARIABLES = [
  'ACTIONS_CACHE_SERVICE_V2',
  'ACTIONS_RESULTS_URL',
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_CACHE_URL',
  'ACTIONS_CACHE_MODE',
  'GITHUB_SERVER_URL',
  'GITHUB_WORKSPACE',
  'GITHUB_EVENT_NAME',
  'RUNNER_TEMP',
  'SEGMENT_DOWNLOAD_TIMEOUT_MINS',
] as const

export interface RunnerSandbox {
  /** a temp dir holding the workspace, RUNNER_TEMP and a GOPATH */
  root: string
  workspace: string
  runnerTemp: string
  /** `<root>/gopath/pkg/mod/cache/download`, created empty */
  downloadDir: string
  /** the variables set in process.env, for a Platform's env */
  env: Record<string, string>
  restore(): Promise<void>
}

export async function enterRunnerSandbox(
  service: CacheService,
  extra: Record<string, string> = {},
): Promise<RunnerSandbox> {
  const saved = new Map(RUNNER_VARIABLES.map((name) => [name, process.env[name]]))
  const root = await tempDir('gpg-cache-')
  const workspace = path.join(root, 'workspace')
  const runnerTemp = path.join(root, 'runner-temp')
  const downloadDir = path.join(root, 'gopath', 'pkg', 'mod', 'cache', 'download')
  await Promise.all([workspace, runnerTemp, downloadDir].map((dir) => mkdir(dir, { recursive: true })))
  for (const name of RUNNER_VARIABLES) delete process.env[name]
  const env: Record<string, string> = { ...service.env, GITHUB_WORKSPACE: workspace, RUNNER_TEMP: runnerTemp, ...extra }
  Object.assign(process.env, env)
  return {
    root,
    workspace,
    runnerTemp,
    downloadDir,
    env,
    restore: async () => {
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name]
        else process.env[name] = value
      }
      await removeDir(root)
    },
  }
}

export interface StdoutCapture {
  /** everything written to process.stdout since the capture began: the job log the runner would see */
  text(): string
  stop(): void
}

/** Keeps what the library writes to stdout (workflow commands) for assertions, and out of the test output. */
export function captureStdout(): StdoutCapture {
  const original = process.stdout.write
  const chunks: string[] = []
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))
    const callback = rest.find((arg): arg is () => void => typeof arg === 'function')
    callback?.()
    return true
  }) as typeof process.stdout.write
  return {
    text: () => chunks.join(''),
    stop: () => {
      process.stdout.write = original
    },
  }
}

export interface CacheTestContext {
  service: CacheService
  sandbox: RunnerSandbox
  stdout: StdoutCapture
}

/**
 * For every test of the file: a loopback cache service, a runner sandbox pointed at it, and stdout captured (so the
 * library's workflow commands are checked, not executed); all undone after the test. Read the fields inside tests.
 */
export function useCacheSandbox(options: CacheServiceOptions = {}): CacheTestContext {
  const context = {} as CacheTestContext
  beforeEach(async () => {
    context.service = await startCacheService(options)
    context.sandbox = await enterRunnerSandbox(context.service)
    context.stdout = captureStdout()
  })
  afterEach(async () => {
    context.stdout.stop()
    await context.sandbox.restore()
    await context.service.close()
  })
  return context
}
