import { spawn } from 'node:child_process'
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { goBinary } from './paths.js'

/**
 * An environment for the real `go` command that touches nothing outside `root` and reaches only what the
 * caller points it at: private GOPATH/GOMODCACHE/GOCACHE/HOME, GOTOOLCHAIN=local, GOFLAGS=-modcacherw, no go env file,
 * no telemetry (it writes below HOME in the background, even after go exits, and a clean-up could meet it),
 * no system or global git config, GOPROXY=off and GOSUMDB=off unless `extra` says otherwise. An `extra` value of
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
    GOCACHE: path.join(root, 'gocache'),
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

/**
 * Runs `go` asynchronously (servers in the same process keep answering) and never rejects on a non-zero exit. Telemetry
 * is always off; `options.env` should come from isolatedGoEnv or runnerEnv, for a private HOME.
 */
export function runGo(args: string[], options: { cwd: string; env: Record<string, string> }): Promise<GoResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(goBinary(options.env.PATH), args, {
      cwd: options.cwd,
      env: { ...options.env, GOTELEMETRY: 'off' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}
