import { existsSync, statSync } from 'node:fs'
import path from 'node:path'
import { parseAuthLines } from './auth-lines.js'
import { InputError, InputErrors } from './errors.js'
import { parseGoauth } from './goauth.js'
import { parseGoflags } from './goflags.js'
import { parseGoproxy } from './goproxy.js'
import { parseGosumdb } from './gosumdb.js'
import { parseGotoolchain } from './gotoolchain.js'
import { assertSingleLine } from './injection.js'
import { INPUT_DEFAULTS, type InputName } from './inputs.js'
import { parsePatternList } from './patterns.js'
import { PRESETS } from './presets.js'
import { quoteValue } from './quote.js'
import {
  BUILD_CACHE_SAVE,
  ON_PROXY_FAILURE,
  type Credential,
  type ParseResult,
  type Preset,
  type Settings,
} from './types.js'
import { outside } from './workspace-path.js'

export type InputSource = (name: InputName) => string

export interface SettingsContext {
  /** the directory relative paths are resolved against (GITHUB_WORKSPACE on GitHub, the current directory elsewhere) */
  baseDirectory: string
  env: Readonly<Record<string, string | undefined>>
}

export interface SettingsResult {
  settings: Settings
  warnings: string[]
  /** where each Go variable's value came from, for the summary */
  sources: Partial<Record<string, 'input' | 'preset'>>
}

/** Variables people set believing Go reads them. */
const MISTAKEN_VARIABLES: Record<string, string> = {
  GONOSUMCHECK: 'GONOSUMDB',
  GONOVERIFY: 'GONOSUMDB',
  GO_PROXY: 'GOPROXY',
  GOPRIVATES: 'GOPRIVATE',
}

/**
 * Reads every input into one validated Settings object. All invalid inputs are reported together (InputErrors);
 * nothing is exported or written by this function.
 */
export function readSettings(read: InputSource, context: SettingsContext): SettingsResult {
  const errors: InputError[] = []
  const warnings: string[] = []
  const sources: SettingsResult['sources'] = {}
  const value = (name: InputName): string => {
    const raw = read(name)
    return raw.trim() === '' ? (INPUT_DEFAULTS[name] ?? '') : raw.trim()
  }
  const attempt = <T>(fn: () => T): T | undefined => {
    try {
      return fn()
    } catch (error) {
      if (error instanceof InputError) {
        errors.push(error)
        return undefined
      }
      throw error
    }
  }
  const parsed = <T>(result: ParseResult<T> | undefined): T | undefined => {
    if (result === undefined) return undefined
    warnings.push(...result.warnings)
    return result.value
  }

  const workingDirectory = attempt(() => resolveWorkingDirectory(value('working-directory'), context.baseDirectory))
  const modules = splitList(value('modules'))
  for (const dir of modules) {
    attempt(() => {
      if (path.isAbsolute(dir) || dir.split(/[\\/]/).includes('..')) {
        throw new InputError(
          'modules',
          `${quoteValue(dir)} must be a directory inside working-directory, written relative to it.`,
        )
      }
      const leadsTo = workingDirectory && outside(context.baseDirectory, path.resolve(workingDirectory, dir))
      if (leadsTo) {
        throw new InputError(
          'modules',
          `${quoteValue(dir)} leads outside the workspace (${context.baseDirectory}) through a symbolic link, to ` +
            `${leadsTo}: the checks would read files that are not part of the checkout. List directories inside it.`,
        )
      }
    })
  }

  const preset = attempt(() => parsePreset(value('preset')))
  const credentials: Credential[] = []

  let goproxyRaw = value('goproxy')
  if (goproxyRaw === '' && preset !== undefined) {
    goproxyRaw = PRESETS[preset].goproxy
    sources['GOPROXY'] = 'preset'
  } else if (goproxyRaw !== '') sources['GOPROXY'] = 'input'
  const goproxyResult = goproxyRaw === '' ? undefined : attempt(() => parseGoproxy(goproxyRaw, 'goproxy'))
  if (goproxyResult) credentials.push(...goproxyResult.credentials)

  let gosumdbRaw = value('gosumdb')
  if (gosumdbRaw === '' && preset !== undefined) {
    gosumdbRaw = PRESETS[preset].gosumdb
    sources['GOSUMDB'] = 'preset'
  } else if (gosumdbRaw !== '') sources['GOSUMDB'] = 'input'
  const gosumdbResult = gosumdbRaw === '' ? undefined : attempt(() => parseGosumdb(gosumdbRaw, 'gosumdb'))
  if (gosumdbResult) credentials.push(...gosumdbResult.credentials)

  const patterns = (name: 'goprivate' | 'gonoproxy' | 'gonosumdb' | 'goinsecure') => {
    const raw = value(name)
    if (raw === '') return undefined
    sources[name.toUpperCase()] = 'input'
    return parsed(attempt(() => parsePatternList(raw, name)))
  }
  const goprivate = patterns('goprivate')
  const gonoproxy = patterns('gonoproxy')
  const gonosumdb = patterns('gonosumdb')
  const goinsecure = patterns('goinsecure')

  const optional = <T>(name: InputName, parse: (raw: string) => ParseResult<T>): T | undefined => {
    const raw = value(name)
    if (raw === '') return undefined
    sources[name.toUpperCase()] = 'input'
    return parsed(attempt(() => parse(raw)))
  }
  const goflags = optional('goflags', parseGoflags)
  const gotoolchain = optional('gotoolchain', parseGotoolchain)
  const goauth = optional('goauth', parseGoauth)

  const authRaw = read('auth')
  if (authRaw.trim() !== '') {
    const lines = attempt(() => parseAuthLines(authRaw, 'auth'))
    if (lines) credentials.push(...lines)
  }
  const merged = attempt(() => mergeCredentials(credentials))

  // Every field Settings requires, each parsed on its own; complete() is undefined while any of them failed.
  const required = complete({
    workingDirectory,
    probeTimeoutMs: attempt(() => parseSeconds('probe-timeout', value('probe-timeout'), 600, 10) * 1000),
    onProxyFailure: attempt(() => parseChoice('on-proxy-failure', value('on-proxy-failure'), ON_PROXY_FAILURE)),
    cacheKeyPrefix: attempt(() => parseCacheKeyPrefix(value('cache-key-prefix'))),
    buildCacheSave: attempt(() => parseChoice('build-cache-save', value('build-cache-save'), BUILD_CACHE_SAVE)),
    goTimeoutMs: attempt(() => parseSeconds('go-timeout', value('go-timeout'), MAX_GO_TIMEOUT_SECONDS, 600) * 1000),
    probe: attempt(() => parseBoolean('probe', value('probe'))),
    selectFastest: attempt(() => parseBoolean('select-fastest', value('select-fastest'))),
    cache: attempt(() => parseBoolean('cache', value('cache'))),
    cacheSave: attempt(() => parseBoolean('cache-save', value('cache-save'))),
    buildCache: attempt(() => parseBoolean('build-cache', value('build-cache'))),
    download: attempt(() => parseBoolean('download', value('download'))),
    checkDrift: attempt(() => parseBoolean('check-drift', value('check-drift'))),
    checkPost: attempt(() => parseBoolean('check-post', value('check-post'))),
    allowExternalReplace: attempt(() => parseBoolean('allow-external-replace', value('allow-external-replace'))),
  })

  // Values that end up in GITHUB_ENV / GITHUB_OUTPUT / dotenv files must be single lines.
  const exported: Record<string, string | undefined> = {
    goproxy: goproxyResult?.value.value,
    gosumdb: gosumdbResult?.value.value,
    goprivate: goprivate?.value,
    gonoproxy: gonoproxy?.value,
    gonosumdb: gonosumdb?.value,
    goinsecure: goinsecure?.value,
    goflags: goflags?.value,
    gotoolchain,
    goauth: goauth?.value,
  }
  for (const [name, setting] of Object.entries(exported)) {
    if (setting !== undefined) attempt(() => assertSingleLine(name, setting))
  }

  if (errors.length > 0 || required === undefined) throw new InputErrors(errors)

  for (const [variable, meant] of Object.entries(MISTAKEN_VARIABLES)) {
    if (context.env[variable] !== undefined) {
      warnings.push(`${variable} is set in the environment, but Go does not read it. Did you mean ${meant}?`)
    }
  }
  if (goauth !== undefined && (merged?.length ?? 0) > 0 && !goauth.commands.includes('netrc')) {
    warnings.push(
      goauth.commands.includes('off')
        ? 'goauth is off, so Go will not send the credentials given in auth, goproxy or gosumdb.'
        : "goauth does not include 'netrc', so Go will not read the netrc file that holds the credentials given in auth, goproxy or gosumdb. Add netrc to goauth (e.g. 'netrc; <your command>').",
    )
  }
  if (goproxyResult) warnings.push(...goproxyResult.warnings)
  if (gosumdbResult) warnings.push(...gosumdbResult.warnings)

  const settings: Settings = {
    ...required,
    modules,
    preset,
    goproxy: goproxyResult?.value,
    goprivate,
    gonoproxy,
    gonosumdb,
    goinsecure,
    gosumdb: gosumdbResult?.value,
    goflags,
    gotoolchain,
    goauth,
    credentials: merged ?? [],
    cacheDependencyPath: splitList(value('cache-dependency-path')),
  }
  return { settings, warnings, sources }
}

function splitList(raw: string): string[] {
  return raw
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
}

/**
 * The working directory, absolute. It must stay inside the workspace (the base directory) once `..` and symbolic links
 * are resolved: every go.mod below it is read, and every go command runs there.
 */
function resolveWorkingDirectory(raw: string, base: string): string {
  const dir = path.resolve(base, raw)
  const leadsTo = outside(base, dir)
  if (leadsTo !== undefined) {
    throw new InputError(
      'working-directory',
      `${quoteValue(raw)} is outside the workspace (${base}): it leads to ${leadsTo}, and every go.mod below it would ` +
        'be read. Give a directory inside the repository, relative to its root.',
    )
  }
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new InputError(
      'working-directory',
      `${quoteValue(raw)} is not a directory (resolved to ${dir}). Give a path relative to the repository root.`,
    )
  }
  return dir
}

function parsePreset(raw: string): Preset | undefined {
  if (raw === '') return undefined
  if (raw === 'official' || raw === 'china') return raw
  throw new InputError(
    'preset',
    `'${raw}' is not a preset. Use 'official' (proxy.golang.org and sum.golang.org) or 'china' (goproxy.cn, then mirrors.aliyun.com), or leave it empty.`,
  )
}

const TRUE = ['true', 'True', 'TRUE']
const FALSE = ['false', 'False', 'FALSE']

function parseBoolean(name: string, raw: string): boolean {
  if (TRUE.includes(raw)) return true
  if (FALSE.includes(raw)) return false
  throw new InputError(name, `'${raw}' is not a boolean. Use true or false.`)
}

function parseChoice<T extends string>(name: string, raw: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(raw)) return raw as T
  throw new InputError(name, `'${raw}' is not one of ${choices.join(', ')}.`)
}

/** A GitHub job may run for six hours; a limit beyond that would never be reached. */
const MAX_GO_TIMEOUT_SECONDS = 21_600

/** Seconds, more than 0 and at most `max`; the message states exactly that rule. */
function parseSeconds(name: string, raw: string, max: number, example: number): number {
  const seconds = Number(raw)
  if (!/^\d+(\.\d+)?$/.test(raw) || !(seconds > 0) || seconds > max) {
    throw new InputError(
      name,
      `'${raw}' is not a number of seconds greater than 0 and at most ${max}. Use e.g. ${example}.`,
    )
  }
  return seconds
}

/** The object when every field has a value, undefined when any parse failed (its error is already recorded). */
function complete<T extends Record<string, unknown>>(fields: { [K in keyof T]: T[K] | undefined }): T | undefined {
  return Object.values(fields).every((value) => value !== undefined) ? (fields as T) : undefined
}

function parseCacheKeyPrefix(raw: string): string {
  if (!/^[A-Za-z0-9._-]{1,200}$/.test(raw)) {
    throw new InputError(
      'cache-key-prefix',
      `'${raw}' may hold only letters, digits, '.', '_' and '-' (1 to 200 of them); cache keys cannot contain commas or spaces.`,
    )
  }
  return raw
}

/** One credential per host: a netrc file and a git header can hold no more. */
function mergeCredentials(credentials: Credential[]): Credential[] {
  const byHost = new Map<string, Credential>()
  for (const c of credentials) {
    if (/\s/.test(c.secret) || /\s/.test(c.username)) {
      throw new InputError(
        c.origin.startsWith('auth') ? 'auth' : c.origin,
        `the credential for ${c.host} (${c.origin}) contains white space, which a netrc file cannot hold.`,
      )
    }
    const seen = byHost.get(c.host)
    if (seen === undefined) {
      byHost.set(c.host, c)
    } else if (seen.username !== c.username || seen.secret !== c.secret) {
      throw new InputError(
        'auth',
        `${seen.origin} and ${c.origin} give different credentials for ${c.host}. Go sends one credential per host; keep one of them.`,
      )
    }
  }
  return [...byHost.values()]
}
