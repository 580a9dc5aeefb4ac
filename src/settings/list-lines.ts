import { goTrimSpace } from './go-strings.js'

/**
 * Turns a value written over several lines (a YAML block scalar, say) into the one-line list Go reads.
 * Each line is trimmed and blank lines dropped; a line break counts as `separator`, unless one of `separators`
 * already stands at the break (`https://a|` then `https://b` stays `https://a|https://b`).
 * A single-line value comes back trimmed and otherwise unchanged.
 */
export function joinLines(raw: string, separators: string, separator: string): string {
  const lines = raw
    .split(/\r?\n/)
    .map(goTrimSpace)
    .filter((line) => line !== '')
  const parts: string[] = []
  // the last character so far, kept aside: reading it from a string built by `+=` would flatten the string each time
  let last = ''
  for (const line of lines) {
    const glued = parts.length === 0 || separators.includes(last) || separators.includes(line[0] as string)
    if (!glued) parts.push(separator)
    parts.push(line)
    last = line.at(-1) as string
  }
  return parts.join('')
}
