import { INPUT_NAMES } from '../settings/inputs.js'
import { NAMED_CREDENTIAL_FLAGS, type NamedCredentialFlags } from './named-credentials.js'

export const COMMANDS = ['setup', 'doctor', 'drift', 'run'] as const
export type Command = (typeof COMMANDS)[number]

export interface CliArgs {
  command: Command
  inputs: Map<string, string>
  format?: string
  reportDir?: string
  authFile?: string
  /** where credentials are (never the credentials): --auth-host, --auth-username, --auth-*-variable, --auth-job-token */
  credentials: NamedCredentialFlags
}

export type ParsedArgs =
  { kind: 'run'; args: CliArgs } | { kind: 'help' } | { kind: 'version' } | { kind: 'error'; message: string }

const FORMATS: Record<Command, string[]> = {
  setup: ['sh', 'dotenv', 'json'],
  doctor: ['text', 'json'],
  drift: ['text', 'json'],
  run: ['text', 'json'],
}

const BOOLEAN_INPUTS = new Set([
  'probe',
  'select-fastest',
  'cache',
  'cache-save',
  'build-cache',
  'download',
  'check-drift',
  'check-post',
  'allow-external-replace',
])

/** Flags that take no value (--name, --no-name, or --name=true|false). */
const BOOLEAN_FLAGS = new Set([...BOOLEAN_INPUTS, 'auth-job-token'])

/** `goproxy-guard <command> [--input value | --input=value | --flag | --no-flag]…`. Secrets never come as flags. */
export function parseArgs(argv: string[]): ParsedArgs {
  const [command, ...rest] = argv
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') return { kind: 'help' }
  if (command === 'version' || command === '--version') return { kind: 'version' }
  if (!(COMMANDS as readonly string[]).includes(command)) {
    return { kind: 'error', message: `unknown command '${command}'. Commands: ${COMMANDS.join(', ')}.` }
  }
  const args: CliArgs = { command: command as Command, inputs: new Map(), credentials: {} }
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i] as string
    if (word === '--help' || word === '-h') return { kind: 'help' }
    if (!word.startsWith('--'))
      return { kind: 'error', message: `unexpected argument '${word}'. Flags look like --goproxy=VALUE.` }
    const eq = word.indexOf('=')
    let name = eq < 0 ? word.slice(2) : word.slice(2, eq)
    let value: string | undefined = eq < 0 ? undefined : word.slice(eq + 1)
    if (value === undefined && name.startsWith('no-') && BOOLEAN_FLAGS.has(name.slice(3))) {
      name = name.slice(3)
      value = 'false'
    }
    if (name === 'auth') {
      return {
        kind: 'error',
        message:
          'credentials never come as flags (other processes can read them): put the auth lines in GOPROXY_GUARD_AUTH or a file named by --auth-file.',
      }
    }
    const known =
      (INPUT_NAMES as readonly string[]).includes(name) ||
      (NAMED_CREDENTIAL_FLAGS as readonly string[]).includes(name) ||
      ['format', 'report-dir', 'auth-file'].includes(name)
    if (!known) return { kind: 'error', message: `unknown flag --${name}. Run goproxy-guard --help for the list.` }
    if (value === undefined) {
      const next = rest[i + 1]
      if (BOOLEAN_FLAGS.has(name) && (next === undefined || next.startsWith('--'))) value = 'true'
      else if (next === undefined) return { kind: 'error', message: `--${name} needs a value.` }
      else {
        value = next
        i++
      }
    }
    if (name === 'format') args.format = value
    else if (name === 'report-dir') args.reportDir = value
    else if (name === 'auth-file') args.authFile = value
    else if (name === 'auth-host') args.credentials.authHost = value
    else if (name === 'auth-username') args.credentials.authUsername = value
    else if (name === 'auth-token-variable') args.credentials.authTokenVariable = value
    else if (name === 'auth-netrc-variable') args.credentials.authNetrcVariable = value
    else if (name === 'auth-job-token') {
      if (value !== 'true' && value !== 'false') {
        return { kind: 'error', message: `--auth-job-token takes true or false, not '${value}'.` }
      }
      args.credentials.authJobToken = value === 'true'
    } else args.inputs.set(name, value)
  }
  if (args.format !== undefined && !FORMATS[args.command].includes(args.format)) {
    return {
      kind: 'error',
      message: `--format ${args.format} is not available for ${args.command}; use one of ${FORMATS[args.command].join(', ')}.`,
    }
  }
  return { kind: 'run', args }
}

export const USAGE = `goproxy-guard — Go module fetching in CI, correct, fast and safe

Usage:
  goproxy-guard setup  [flags] [--format sh|dotenv|json]   validate, write credential files, print the environment
  goproxy-guard doctor [flags] [--format text|json]        probe the proxies and the checksum database, judged for these modules
  goproxy-guard drift  [flags] [--format text|json] [--report-dir DIR]   drift checks; DIR gets codequality.json and junit.xml
  goproxy-guard run    [flags] [--format text|json] [--report-dir DIR]   the action's main step, then its post check

Flags carry the action's input names: --working-directory, --modules, --preset, --goproxy, --goprivate, --gonoproxy,
--gonosumdb, --gosumdb, --goinsecure, --goflags, --gotoolchain, --goauth, --probe, --probe-timeout, --on-proxy-failure,
--select-fastest, --cache, --cache-dependency-path, --cache-key-prefix, --cache-save, --build-cache,
--build-cache-save, --go-timeout, --download, --check-drift, --check-post, --allow-external-replace. Booleans also take --name / --no-name. Each input may instead come from a
GOPROXY_GUARD_<NAME> variable (e.g. GOPROXY_GUARD_GOPRIVATE).

Credentials: GOPROXY_GUARD_AUTH holds the auth lines (HOST USERNAME SECRET, or netrc syntax), or --auth-file PATH.
Flags that name where credentials are (never the credentials) add to them:
  --auth-host HOST[:PORT] --auth-username USER [--auth-token-variable NAME]   the token in variable NAME
                                                 (default GOPROXY_GUARD_TOKEN), holding only the token
  --auth-netrc-variable NAME   a variable holding netrc text or the path of a netrc file; used when it is set
  --auth-job-token             CI_JOB_TOKEN for CI_SERVER_HOST (and CI_SERVER_FQDN when it carries a port)
A host without a port also gets a netrc line for every host:port at which GOPROXY or GOSUMDB reach it.

Output: the report on stdout (verdict and fix first; --format json for data), one progress line per stage on stderr
(GOPROXY_GUARD_VERBOSE=1 for every log line). Colours on a terminal, unless NO_COLOR is set.

Exit codes: 0 ok, 1 drift or verification failure, 2 invalid input, 3 a fetch the job needs cannot succeed.
`
