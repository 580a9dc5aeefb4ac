import { unescapeModulePath } from '../modules/escape.js'
import type { ProxyEntry } from '../settings/types.js'
import type { GoResult, GoRunner } from './runner.js'

/**
 * What a go command that ran out of time leaves behind: the first line of the stderr the caller sees, which the
 * classifier reads as the `go-timeout` diagnosis (src/diagnose/timeout-rule.ts), whatever stage ran the command.
 * `goproxy-guard: go mod tidy -diff did not finish within 600 s and was stopped; still fetching a@v1, b@v2 from URL`
 */
export const TIMEOUT_MARKER = 'goproxy-guard: '

export interface TimedOutCommand {
  /** `go mod tidy -diff` */
  command: string
  timeoutMs: number
  /** `path@version` of the modules still being fetched when it stopped */
  fetching: string[]
  /** where they were asked for (a GOPROXY entry), when known */
  from?: string
}

export function timeoutLine(stopped: TimedOutCommand): string {
  const seconds = stopped.timeoutMs / 1000
  const still =
    stopped.fetching.length === 0
      ? ''
      : `; still fetching ${stopped.fetching.join(', ')}${stopped.from === undefined ? '' : ` from ${stopped.from}`}`
  return `${TIMEOUT_MARKER}go ${stopped.command} did not finish within ${seconds} s and was stopped${still}`
}

/** The `-x` trace of HTTP requests: those started (`# get URL`) and not finished (`# get URL: 200 OK (0.1s)`). */
export function requestsInFlight(stderr: string): string[] {
  const open = new Set<string>()
  for (const line of stderr.split('\n')) {
    const match = /^# get (\S+?)(:\s.*)?$/.exec(line.trim())
    if (match === null) continue
    if (match[2] === undefined) open.add(match[1] as string)
    else open.delete(match[1] as string)
  }
  return [...open]
}

/**
 * The module version a proxy request is for (`<entry>/<escaped path>/@v/<escaped version>.zip`), given the GOPROXY
 * entries it may have gone to; undefined for anything else (a list, a checksum database).
 */
export function moduleOfRequest(url: string, entries: readonly ProxyEntry[]): string | undefined {
  const entry = entries.find(
    (e) => e.kind === 'url' && e.url !== undefined && url.startsWith(`${e.url.replace(/\/+$/, '')}/`),
  )
  const rest =
    entry?.url === undefined ? new URL(url).pathname.slice(1) : url.slice(entry.url.replace(/\/+$/, '').length + 1)
  const at = rest.indexOf('/@v/')
  if (at < 0) return undefined
  const modulePath = unescapeModulePath(decodeURIComponent(rest.slice(0, at)))
  const file = decodeURIComponent(rest.slice(at + 4))
  const version = unescapeModulePath(file.replace(/\.(info|mod|zip)$/, ''))
  if (modulePath === undefined || version === undefined || version === file || version === 'list') return undefined
  return `${modulePath}@${version}`
}

/** stderr without the `-x` request trace, for the classifier and for people. */
export function withoutRequestTrace(stderr: string): string {
  return stderr
    .split('\n')
    .filter((line) => !line.startsWith('# get '))
    .join('\n')
}

/**
 * A runner whose timed-out commands say so in their stderr: `explain` tells which modules were still being fetched
 * and from where (from the `-x` trace when the command had one, else from what the module cache still lacks).
 */
export function reportingTimeouts(
  go: GoRunner,
  explain: (args: string[], result: GoResult) => Promise<Omit<TimedOutCommand, 'command' | 'timeoutMs'>>,
): GoRunner {
  return {
    async run(args, options) {
      const result = await go.run(args, options)
      if (!result.timedOut) return result
      const known = await explain(args, result)
      const command = args.filter((a) => a !== '-x' && !a.startsWith('-modfile=')).join(' ')
      const line = timeoutLine({ command, timeoutMs: options.timeoutMs ?? 0, ...known })
      return {
        ...result,
        exitCode: result.exitCode === 0 ? 1 : result.exitCode,
        stderr: `${line}\n${withoutRequestTrace(result.stderr)}`,
      }
    },
  }
}
