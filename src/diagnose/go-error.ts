import { parenthesized } from './text-scan.js'

/**
 * One error as the go command prints it: a line that starts at column 0, plus the tab-indented lines after it
 * (`server response:` bodies, `to add it:` hints, checksum values).
 */
export interface GoErrorEntry {
  /** the whole entry, continuation lines joined with `\n` */
  text: string
  /** the first line */
  head: string
  /** `module@version` named at the start (`go: example.com/m@v1.2.3: …`), if any */
  module?: string
  version?: string
}

/** Splits stderr into entries. Blank lines end an entry. */
export function splitGoErrors(stderr: string): GoErrorEntry[] {
  const entries: GoErrorEntry[] = []
  let current: string[] = []
  const flush = (): void => {
    if (current.length === 0) return
    const text = current.join('\n')
    const head = current[0] ?? ''
    const named = /^(?:go: )?(?:downloading )?([^\s@:]+)@([^\s:]+): /.exec(head)
    entries.push({ text, head, ...(named ? { module: named[1], version: named[2] } : {}) })
    current = []
  }
  for (const line of stderr.replace(/\r\n/g, '\n').split('\n')) {
    if (line.trim() === '') {
      flush()
    } else if (/^[\t ]/.test(line) && current.length > 0) {
      current.push(line)
    } else {
      flush()
      current.push(line)
    }
  }
  flush()
  return entries
}

/** The module named inside a message such as `verifying go.mod: m@v/go.mod: …` or `verifying m@v: …`. */
export function moduleInText(text: string): { module: string; version: string } | undefined {
  const match = /verifying (?:module: |go\.mod: )?([^\s@:]+)@([^\s:/]+)/.exec(text)
  return match ? { module: match[1] ?? '', version: match[2] ?? '' } : undefined
}

/** The first URL quoted in a Go error (`Get "<url>"`, `reading <url>:`, `unexpected status (<url>)`). */
export function urlInText(text: string): string | undefined {
  const quoted = /(?:Get|Head|Post) "([^"]+)"/.exec(text)
  if (quoted) return quoted[1]
  const reading = /reading ((?:https?|file):\/\/\S+?):? (?:\d{3}\b|[A-Za-z])/.exec(text)
  if (reading) return reading[1]
  const unexpected = parenthesized(text, 'unexpected status (')
  if (unexpected) return unexpected.inside
  const any = /((?:https?|file):\/\/[^\s"'()]+)/.exec(text)
  return any ? any[1]?.replace(/[:.,]$/, '') : undefined
}
