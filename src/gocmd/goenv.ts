import { GO_VARIABLES } from '../goenv/environment.js'
import type { GoRunner } from './runner.js'

/**
 * What changes compiled output wholesale, so the build cache is keyed on it: the target, cgo, experiments and the
 * architecture levels (`go help environment`, "Architecture-specific environment variables").
 */
export const BUILD_VARIABLES = [
  'GOOS',
  'GOARCH',
  'CGO_ENABLED',
  'CC',
  'GOEXPERIMENT',
  'GOAMD64',
  'GOARM',
  'GOARM64',
  'GO386',
  'GOMIPS',
  'GOMIPS64',
  'GOPPC64',
  'GORISCV64',
  'GOWASM',
] as const

/** The variables the engine reads back from `go env`, as Go resolves them (environment, `go env -w` file, defaults). */
export const GO_ENV_KEYS = [
  ...GO_VARIABLES,
  'GOMODCACHE',
  'GOCACHE',
  'GOVERSION',
  'GOWORK',
  'GOPATH',
  'GOHOSTOS',
  'GOHOSTARCH',
  ...BUILD_VARIABLES,
] as const

export type GoEnv = Record<(typeof GO_ENV_KEYS)[number], string>

export class GoCommandError extends Error {
  override readonly name = 'GoCommandError'
}

/** One `go env -json` call: the effective values every later stage uses. */
export async function readGoEnv(go: GoRunner, env: Record<string, string>, cwd: string): Promise<GoEnv> {
  let result
  try {
    result = await go.run(['env', '-json', ...GO_ENV_KEYS], { cwd, env })
  } catch (error) {
    throw new GoCommandError(
      `could not run the go command (${error instanceof Error ? error.message : String(error)}). ` +
        'Install Go before this step, e.g. with actions/setup-go, and make sure `go` is on PATH.',
    )
  }
  if (result.exitCode !== 0) {
    throw new GoCommandError(`go env failed: ${result.stderr.trim() || `exit code ${result.exitCode}`}`)
  }
  const parsed = JSON.parse(result.stdout) as Record<string, string>
  const out = {} as GoEnv
  for (const key of GO_ENV_KEYS) out[key] = parsed[key] ?? ''
  return out
}

/** `go1.26.8` → [1, 26]; anything unparsable (devel builds) counts as new. */
export function goMinorVersion(goversion: string): [number, number] {
  const match = /^go(\d+)\.(\d+)/.exec(goversion)
  return match ? [Number(match[1]), Number(match[2])] : [1, 999]
}

/** The full environment for our own go commands: inherited, plus what we export, never prompting for credentials. */
export function goProcessEnv(
  base: Readonly<Record<string, string | undefined>>,
  exported: Record<string, string>,
): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(base)) if (v !== undefined) env[k] = v
  Object.assign(env, exported)
  env['GIT_TERMINAL_PROMPT'] = '0'
  env['GCM_INTERACTIVE'] = 'never'
  return env
}
