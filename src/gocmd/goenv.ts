import { GO_VARIABLES } from '../goenv/environment.js'
import { withoutUserinfo } from '../settings/errors.js'
import { goQuote } from '../settings/go-strings.js'
import { abbreviate } from '../settings/quote.js'
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

/** The go command is missing, cannot run, or does not answer as Go does: one line that says why and what to do. */
export class GoCommandError extends Error {
  override readonly name = 'GoCommandError'
}

const INSTALL_GO =
  'Install Go before this step, e.g. with actions/setup-go, and make sure `go` on PATH is that toolchain.'

/**
 * One `go env -json` call: the effective values every later stage uses. `timeoutMs` bounds it: with GOTOOLCHAIN
 * asking for a newer Go, this is the command that downloads that toolchain, and a proxy that never answers would
 * otherwise hold the job here.
 */
export async function readGoEnv(
  go: GoRunner,
  env: Record<string, string>,
  cwd: string,
  timeoutMs?: number,
): Promise<GoEnv> {
  let result
  try {
    result = await go.run(['env', '-json', ...GO_ENV_KEYS], { cwd, env, ...(timeoutMs ? { timeoutMs } : {}) })
  } catch (error) {
    throw new GoCommandError(
      `could not run the go command (${oneLine(error instanceof Error ? error.message : String(error))}). ${INSTALL_GO}`,
    )
  }
  if (result.timedOut) {
    const seconds = Math.round((timeoutMs ?? 0) / 1000)
    throw new GoCommandError(
      `\`go env -json\` did not finish within go-timeout (${seconds} s) and was stopped. When GOTOOLCHAIN names a newer ` +
        'Go than the one installed, this command downloads it through GOPROXY: check that the proxy answers, install ' +
        'that Go before this step, or raise go-timeout.',
    )
  }
  if (result.exitCode !== 0) {
    const said = oneLine(result.stderr)
    throw new GoCommandError(
      `\`go env -json\` failed with exit code ${result.exitCode}${said === '' ? '' : `: ${said}`}. Fix what it ` +
        'reports (a go.work or go env file it cannot read, say), or install a working Go before this step.',
    )
  }
  const values = parseGoEnvJson(result.stdout)
  if (values === undefined) {
    const first = result.stdout.split('\n').find((line) => line.trim() !== '')
    throw new GoCommandError(
      `\`go env -json\` printed something that is not Go's JSON (${first === undefined ? 'nothing at all' : `first line: ${goQuote(abbreviate(withoutUserinfo(first.trim())))}`}): ` +
        `the go on PATH is not a working Go toolchain. ${INSTALL_GO}`,
    )
  }
  const out = {} as GoEnv
  for (const key of GO_ENV_KEYS) out[key] = values[key] ?? ''
  return out
}

/** The object `go env -json` prints, every value a string; undefined for anything else. */
function parseGoEnvJson(stdout: string): Record<string, string> | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(stdout)
  } catch {
    return undefined
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined
  const values = parsed as Record<string, unknown>
  return Object.values(values).every((v) => typeof v === 'string') ? (values as Record<string, string>) : undefined
}

/**
 * Text of several lines as one line of a message: lines joined with ` / `, user info removed (a GOPROXY set with
 * `go env -w` may carry credentials not registered as secrets yet), the whole abbreviated.
 */
function oneLine(text: string): string {
  return abbreviate(
    withoutUserinfo(text)
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '')
      .join(' / '),
  )
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
