import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parseAuthLines } from '../settings/auth-lines.js'
import { InputError } from '../settings/errors.js'
import type { Credential } from '../settings/types.js'

/**
 * Flags that say where credentials are, never what they are (process arguments are visible to other processes):
 * a GitLab job names its masked variables, and the CLI reads them itself.
 */
export interface NamedCredentialFlags {
  /** `--auth-host HOST[:PORT]` */
  authHost?: string
  /** `--auth-username USER` */
  authUsername?: string
  /** `--auth-token-variable NAME`: the variable that holds only the token for --auth-host */
  authTokenVariable?: string
  /** `--auth-netrc-variable NAME`: a variable holding netrc text, or the path of a netrc file; used when set */
  authNetrcVariable?: string
  /** `--auth-job-token`: CI_JOB_TOKEN for CI_SERVER_HOST (and CI_SERVER_FQDN when it carries a port) */
  authJobToken?: boolean
}

export const NAMED_CREDENTIAL_FLAGS = [
  'auth-host',
  'auth-username',
  'auth-token-variable',
  'auth-netrc-variable',
  'auth-job-token',
] as const

export const DEFAULT_TOKEN_VARIABLE = 'GOPROXY_GUARD_TOKEN'

export type NamedCredentialText = { ok: true; text: string } | { ok: false; message: string }

const HOST = /^([A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?$/
const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/

/**
 * The auth lines (`HOST USERNAME SECRET`, one per line) the flags point at, read from `env` (and, for a File-type
 * netrc variable, from the file it names). Pure apart from `readFile`. Messages name the flag and the variable,
 * never a value read from a variable.
 */
export function namedCredentialText(
  flags: NamedCredentialFlags,
  env: Readonly<Record<string, string | undefined>>,
  readFile: (file: string) => string | undefined,
): NamedCredentialText {
  try {
    const credentials = [
      ...tokenCredential(flags, env),
      ...netrcCredentials(flags, env, readFile),
      ...jobTokenCredentials(flags, env),
    ]
    return { ok: true, text: credentials.map((c) => `${c.host} ${c.username} ${c.secret}\n`).join('') }
  } catch (error) {
    if (error instanceof FlagError) return { ok: false, message: error.message }
    throw error
  }
}

/** Ours first, then the lines already given (GOPROXY_GUARD_AUTH or --auth-file): Go takes the first entry per host. */
export function mergeAuthText(named: string, given: string): string {
  if (named === '') return given
  if (given.trim() === '') return named
  return `${named}${given.endsWith('\n') ? given : `${given}\n`}`
}

/**
 * What `runCli` calls next to `--auth-file`: adds the named credentials to the `auth` input (which holds
 * `--auth-file`'s lines, else GOPROXY_GUARD_AUTH's). Returns an error message, or undefined.
 */
export function applyNamedCredentials(
  flags: NamedCredentialFlags,
  inputs: Map<string, string>,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): string | undefined {
  const named = namedCredentialText(flags, env, (file) => readTextFile(path.resolve(cwd, file)))
  if (!named.ok) return named.message
  if (named.text !== '')
    inputs.set('auth', mergeAuthText(named.text, inputs.get('auth') ?? env['GOPROXY_GUARD_AUTH'] ?? ''))
  return undefined
}

class FlagError extends Error {}

function tokenCredential(flags: NamedCredentialFlags, env: Readonly<Record<string, string | undefined>>): Credential[] {
  const { authHost, authUsername } = flags
  if (authHost === undefined || authHost === '') {
    if (authUsername) throw new FlagError('--auth-username is set without --auth-host: give the host it belongs to.')
    if (flags.authTokenVariable) {
      throw new FlagError('--auth-token-variable is set without --auth-host: give the host the token belongs to.')
    }
    return []
  }
  if (!HOST.test(authHost) || !validPort(authHost)) {
    throw new FlagError(
      `--auth-host '${authHost}' is not a host or host:port. Write it like goproxy.example.com or goproxy.example.com:8443.`,
    )
  }
  if (!authUsername) {
    throw new FlagError(
      '--auth-host is set, --auth-username is empty: give the user name the token belongs to (for a GitLab token any non-empty name).',
    )
  }
  if (/\s/.test(authUsername)) throw new FlagError('--auth-username holds whitespace, which a netrc cannot carry.')
  const variable = flags.authTokenVariable || DEFAULT_TOKEN_VARIABLE
  if (!VARIABLE.test(variable)) {
    throw new FlagError(`--auth-token-variable '${variable}' is not a variable name (letters, digits and _).`)
  }
  const secret = env[variable] ?? ''
  if (secret === '') {
    throw new FlagError(
      `--auth-host is set, but the variable ${variable} (--auth-token-variable) is empty or not defined; add it as a masked CI/CD variable holding only the token.`,
    )
  }
  if (/\s/.test(secret)) {
    throw new FlagError(
      `the variable ${variable} (--auth-token-variable) holds whitespace; it must hold only the token.`,
    )
  }
  return [{ host: authHost.toLowerCase(), username: authUsername, secret, origin: '--auth-host' }]
}

function netrcCredentials(
  flags: NamedCredentialFlags,
  env: Readonly<Record<string, string | undefined>>,
  readFile: (file: string) => string | undefined,
): Credential[] {
  const variable = flags.authNetrcVariable
  if (variable === undefined || variable === '') return []
  if (!VARIABLE.test(variable)) {
    throw new FlagError(`--auth-netrc-variable '${variable}' is not a variable name (letters, digits and _).`)
  }
  const value = env[variable] ?? ''
  // unset: nothing to add (the variable is used when it is set)
  if (value.trim() === '') return []
  // a File-type variable holds a path; a plain variable the netrc text itself
  const fromFile = /[\r\n]/.test(value) ? undefined : readFile(value)
  if (fromFile === undefined && !/\s/.test(value.trim())) {
    throw new FlagError(
      `the variable ${variable} (--auth-netrc-variable) holds neither netrc text nor the path of a readable file.`,
    )
  }
  const text = fromFile ?? value
  try {
    return parseAuthLines(text, `--auth-netrc-variable ${variable}${fromFile === undefined ? '' : ' (its file)'}`)
  } catch (error) {
    if (error instanceof InputError) throw new FlagError(error.message)
    throw error
  }
}

function jobTokenCredentials(
  flags: NamedCredentialFlags,
  env: Readonly<Record<string, string | undefined>>,
): Credential[] {
  if (flags.authJobToken !== true) return []
  const token = env['CI_JOB_TOKEN'] ?? ''
  const host = env['CI_SERVER_HOST'] ?? ''
  if (token === '') {
    throw new FlagError('--auth-job-token is set, but CI_JOB_TOKEN is not set (GitLab sets it only inside a job).')
  }
  if (/\s/.test(token))
    throw new FlagError('--auth-job-token: CI_JOB_TOKEN holds whitespace, which a netrc cannot carry.')
  if (host === '' || !HOST.test(host)) {
    throw new FlagError('--auth-job-token is set, but CI_SERVER_HOST is not set to a host name.')
  }
  const credentials: Credential[] = [
    { host: host.toLowerCase(), username: 'gitlab-ci-token', secret: token, origin: '--auth-job-token' },
  ]
  const fqdn = env['CI_SERVER_FQDN'] ?? ''
  // CI_SERVER_FQDN carries the port when the instance is not on 443; Go 1.24+ looks the netrc up by host:port
  if (fqdn !== '' && fqdn.toLowerCase() !== host.toLowerCase() && HOST.test(fqdn) && validPort(fqdn)) {
    credentials.push({
      host: fqdn.toLowerCase(),
      username: 'gitlab-ci-token',
      secret: token,
      origin: '--auth-job-token',
    })
  }
  return credentials
}

function validPort(host: string): boolean {
  const port = /:([0-9]+)$/.exec(host)?.[1]
  return port === undefined || (Number(port) >= 1 && Number(port) <= 65535)
}

function readTextFile(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
}
