import { TIMEOUT_MARKER } from '../gocmd/timeout.js'
import type { GoFailureContext } from './context.js'
import { entryForUrl } from './context.js'
import type { GoErrorEntry } from './go-error.js'
import type { Diagnosis } from './types.js'

const LINE = /^go (.+?) did not finish within ([\d.]+) s and was stopped(?:; still fetching (.+?)(?: from (\S+))?)?$/

/** A go command the tool stopped at go-timeout: a proxy failure (exit 3) naming what it still waited for. */
export function classifyTimeout(entry: GoErrorEntry, context: GoFailureContext): Diagnosis | undefined {
  if (!entry.head.startsWith(TIMEOUT_MARKER)) return undefined
  const match = LINE.exec(entry.head.slice(TIMEOUT_MARKER.length))
  if (match === null) return undefined
  const [, command, seconds, fetching, from] = match
  const modules = fetching?.split(', ') ?? []
  const label = from === undefined ? undefined : (entryForUrl(from, context)?.label ?? from)
  const waiting =
    modules.length === 0 ? '' : `: still fetching ${modules.join(', ')}${label === undefined ? '' : ` from ${label}`}`
  return {
    code: 'go-timeout',
    kind: 'proxy',
    severity: 'error',
    title: `go ${command} did not finish within ${seconds} s${waiting}`,
    detail: `The command was stopped with everything it started when go-timeout ran out. Go sets no time limit on a proxy that accepts a request and never answers, so without the limit the job would wait for the CI system's own timeout.${label === undefined ? '' : ` The request${modules.length === 1 ? '' : 's'} still open went to ${label}.`}`,
    fix:
      label === undefined
        ? 'Find out which proxy or VCS host does not answer (run goproxy-guard doctor with the same settings); raise go-timeout if the downloads are only slow.'
        : `Find out why ${label} does not answer, or remove it from GOPROXY (\`|\` does not help: Go never sees an error); raise go-timeout if the downloads are only slow.`,
    ...(from === undefined ? {} : { url: from }),
    ...(modules[0] === undefined ? {} : { module: modules[0].split('@')[0] }),
  }
}
