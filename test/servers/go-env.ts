import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { goBinary } from './paths.js'

/**
 * One build cache for the tests of every run on the machine. Compiling the standard library afresh for each test takes
 * minutes on a loaded machine; Go's build cache is safe for concurrent use, and compiled packages never stand in for a
 * module's missing source, so sharing it changes nothing a test checks. A test about build caching sets GOCACHE itself.
 */
export const TEST_BUILD_CACHE = path.join(os.tmpdir(), 'goproxy-guard-test-gocache')

/**
 * Compiles what the fixtures import (fmt, strings) into TEST_BUILD_CACHE: call it in a beforeAll with a long timeout
 * before a test that builds, so the one slow compile of a fresh machine is not charged to the test.
 */
export async function warmTestBuildCache(): Promise<void> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'gpg-warm-'))
  try {
    const result = await runGo(['build', 'fmt', 'strings'], { cwd: root, env: await isolatedGoEnv(root) })
    if (result.code !== 0) throw new Error(`warming the test build cache failed: ${result.stderr}`)
  } finally {
    await rm(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 })
  }
}

/**
 * An environment for the real `go` command that touches nothing outside `root` but the shared TEST_BUILD_CACHE, and
 * reaches only what the caller points it at: private GOPATH/GOMODCACHE/HOME, GOTOOLCHAIN=local, GOFLAGS=-modcacherw,
 * no go env file, no telemetry (it writes below HOME in the background, even after go exits, and a clean-up could meet
 * it), no system or global git config, GOPROXY=off and GOSUMDB=off unless `extra` says otherwise. An `extra` value of
 * `undefined` removes the variable.
 */
export async function isolatedGoEnv(
  root: string,
  extra: Record<string, string | undefined> = {},
): Promise<Record<string, string>> {
  const home = path.join(root, 'home')
  await mkdir(home, { recursive: true })
  const base: Record<string, string | undefined> = {
    PATH: `${path.dirname(goBinary())}${path.delimiter}${process.env.PATH ?? ''}`,
    HOME: home,
    GOPATH: path.join(root, 'gopath'),
    GOMODCACHE: path.join(root, 'gopath', 'pkg', 'mod'),
    GOCACHE: TEST_BUILD_CACHE,
    GOENV: 'off',
    GOFLAGS: '-modcacherw',
    GOTOOLCHAIN: 'local',
    GOTELEMETRY: 'off',
    GOPROXY: 'off',
    GOSUMDB: 'off',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    ...extra,
  }
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(base)) if (value !== undefined) env[name] = value
  return env
}

export interface GoResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs a command asynchronously, collecting stdout and stderr; never rejects on a non-zero exit. */
export function runCaptured(
  command: string,
  args: string[],
  options: { cwd: string; env: Record<string, string> },
): Promise<GoResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

/**
 * Runs `go` asynchronously (servers in the same process keep answering) and never rejects on a non-zero exit. Telemetry
 * is always off; `options.env` should come from isolatedGoEnv or runnerEnv, for a private HOME.
 */
export function runGo(args: string[], options: { cwd: string; env: Record<string, string> }): Promise<GoResult> {
  return runCaptured(goBinary(options.env.PATH), args, {
    cwd: options.cwd,
    env: { ...options.env, GOTELEMETRY: 'off' },
  })
}
