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
  let joined = ''
  for (const line of lines) {
    const glued =
      joined === '' || separators.includes(joined.at(-1) as string) || separators.includes(line[0] as string)
    joined += glued ? line : separator + line
  }
  return joined
}
