import os from 'node:os'
import { paint, PLAIN, type TextStyle } from '../report/terminal.js'
import type { Redactor } from '../secrets/redactor.js'
import type { Annotation, Platform } from './platform.js'

export interface CliPlatform extends Platform {
  readonly exported: Map<string, string>
  readonly outputs: Map<string, string>
}

export interface CliPlatformOptions {
  inputs: ReadonlyMap<string, string>
  env: Readonly<Record<string, string | undefined>>
  /** where progress lines go; stdout stays free for the command's own output */
  log: (line: string) => void
  style?: TextStyle
  tempDir?: string
}

/**
 * A terminal or a GitLab job: inputs from flags (or GOPROXY_GUARD_<NAME> variables), exports kept for the command to
 * print or write, progress redacted by the tool itself since no runner masks anything here. Progress is the stage
 * titles; the stages' own lines only with GOPROXY_GUARD_VERBOSE=1 (or debug), since the command's report says it all.
 */
export function createCliPlatform(redactor: Redactor, options: CliPlatformOptions): CliPlatform {
  const style = options.style ?? PLAIN
  const clean = (text: string): string => redactor.redact(text)
  const state = new Map<string, string>()
  const exported = new Map<string, string>()
  const outputs = new Map<string, string>()
  const where = (a?: Annotation): string => {
    if (a?.file === undefined) return ''
    return ` (${a.file}${a.startLine === undefined ? '' : `:${a.startLine}`})`
  }
  const log = (prefix: string, message: string, a?: Annotation): void => {
    for (const line of clean(message + where(a)).split('\n')) options.log(`${prefix}${line}`)
  }
  const debugOn = options.env['GOPROXY_GUARD_DEBUG'] === '1' || options.env['RUNNER_DEBUG'] === '1'
  const verbose = debugOn || options.env['GOPROXY_GUARD_VERBOSE'] === '1'
  return {
    name: 'cli',
    input: (name) => {
      const flag = options.inputs.get(name)
      if (flag !== undefined) return flag
      return options.env[`GOPROXY_GUARD_${name.toUpperCase().replace(/-/g, '_')}`] ?? ''
    },
    setSecret: (secret) => redactor.addValue(secret),
    exportVariable: (name, value) => void exported.set(name, clean(value)),
    setOutput: (name, value) => void outputs.set(name, clean(value)),
    saveState: (name, value) => void state.set(name, clean(value)),
    getState: (name) => state.get(name) ?? '',
    debug: (message) => {
      if (debugOn) log('debug: ', message)
    },
    info: (message) => {
      if (verbose) log('  ', message)
    },
    notice: (message, a) => log('note: ', message, a),
    warning: (message, a) => log(`${paint(style, 'yellow', 'warning')}: `, message, a),
    error: (message, a) => log(`${paint(style, 'red', 'error')}: `, message, a),
    group: async (title, fn) => {
      log('', paint(style, 'dim', `▸ ${title}`))
      return fn()
    },
    appendSummary: async () => undefined,
    setFailed: (message) => log(`${paint(style, 'red', 'error')}: `, message),
    addProblemMatcher: () => undefined,
    env: options.env,
    tempDir: options.tempDir ?? (options.env['RUNNER_TEMP'] || options.env['TMPDIR'] || os.tmpdir()),
    exported,
    outputs,
  }
}
