/**
 * How text looks where a person reads it: colours only on a terminal that has not asked for none (NO_COLOR,
 * https://no-color.org), and prose wrapped at the terminal's width. Piped output and CI logs get plain, unwrapped
 * lines that tools can grep.
 */
export interface TextStyle {
  color: boolean
  /** columns to wrap prose at; undefined: never wrap */
  width?: number
}

export const PLAIN: TextStyle = { color: false }

/** The style for a stream: colour and wrapping only when it is a terminal. */
export function styleFor(
  stream: { isTTY?: boolean; columns?: number },
  env: Readonly<Record<string, string | undefined>>,
): TextStyle {
  if (stream.isTTY !== true) return PLAIN
  const noColor = env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== ''
  return { color: !noColor && env['TERM'] !== 'dumb', width: Math.max(40, stream.columns ?? 80) }
}

const CODES = { bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39], cyan: [36, 39] } as const

export type Paint = keyof typeof CODES

export function paint(style: TextStyle, how: Paint, text: string): string {
  if (!style.color || text === '') return text
  const [on, off] = CODES[how]
  return `\u001b[${on}m${text}\u001b[${off}m`
}

/**
 * `text` wrapped at the style's width, every line after the first indented by `indent` (the first carries its own
 * prefix). Words longer than a line (URLs, hashes) are never broken.
 */
export function wrap(style: TextStyle, text: string, indent = ''): string {
  const width = style.width
  return text
    .split('\n')
    .map((paragraph, index) => {
      const prefix = index === 0 ? '' : indent
      if (width === undefined) return prefix + paragraph
      const lines: string[] = []
      let line = prefix
      let fresh = true
      for (const word of paragraph.split(' ')) {
        if (!fresh && visibleLength(line) + 1 + visibleLength(word) > width) {
          lines.push(line)
          line = indent + word
        } else line += fresh ? word : ` ${word}`
        fresh = false
      }
      lines.push(line)
      return lines.join('\n')
    })
    .join('\n')
}

function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex -- colour codes take no columns
  return text.replace(/\u001b\[\d+m/g, '').length
}
