// Go's notion of white space differs from JavaScript's: Go counts U+0085 (NEL) and not U+FEFF (BOM).
// Go reads the variables with these rules, so our parsers must split and trim with the same ones.

/** unicode.IsSpace */
export function isGoSpace(code: number): boolean {
  switch (code) {
    case 0x09:
    case 0x0a:
    case 0x0b:
    case 0x0c:
    case 0x0d:
    case 0x20:
    case 0x85:
    case 0xa0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202f:
    case 0x205f:
    case 0x3000:
      return true
    default:
      return code >= 0x2000 && code <= 0x200a
  }
}

/** net/url stringContainsCTLByte: an ASCII control character (below space, or DEL) */
export function containsControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x20 || c === 0x7f) return true
  }
  return false
}

/** The first control character in `text` (C0, DEL or C1), named for a message; undefined when there is none. */
export function findControlCharacter(text: string): { index: number; name: string } | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c >= 0x20 && c !== 0x7f && (c < 0x80 || c > 0x9f)) continue
    const named = CONTROL_NAMES[c]
    const code = `U+${c.toString(16).toUpperCase().padStart(4, '0')}`
    return { index: i, name: named === undefined ? `a control character (${code})` : `${named} (${code})` }
  }
  return undefined
}

const CONTROL_NAMES: Record<number, string> = {
  0x00: 'a NUL character',
  0x09: 'a tab',
  0x0a: 'a line feed',
  0x0d: 'a carriage return',
}

/**
 * strings.TrimRight(text, char) for one character. A regular expression such as `/\/+$/` is tried at every `/` of a
 * run and scans the run each time: quadratic on a long run that does not end the text.
 */
export function trimTrailing(text: string, char: string): string {
  let end = text.length
  while (end > 0 && text[end - 1] === char) end--
  return text.slice(0, end)
}

/** strings.TrimSpace */
export function goTrimSpace(text: string): string {
  let start = 0
  let end = text.length
  while (start < end && isGoSpace(text.charCodeAt(start))) start++
  while (end > start && isGoSpace(text.charCodeAt(end - 1))) end--
  return text.slice(start, end)
}

/** strings.Fields */
export function goFields(text: string): string[] {
  const fields: string[] = []
  let start = -1
  for (let i = 0; i <= text.length; i++) {
    const space = i === text.length || isGoSpace(text.charCodeAt(i))
    if (space && start >= 0) {
      fields.push(text.slice(start, i))
      start = -1
    } else if (!space && start < 0) {
      start = i
    }
  }
  return fields
}

/** strings.Cut */
export function goCut(text: string, separator: string): [before: string, after: string, found: boolean] {
  const i = text.indexOf(separator)
  if (i < 0) return [text, '', false]
  return [text.slice(0, i), text.slice(i + separator.length), true]
}

/** strconv.Quote, close enough for messages: printable text as is, the rest escaped. */
export function goQuote(text: string): string {
  let out = '"'
  for (const ch of text) {
    const code = ch.codePointAt(0) as number
    if (ch === '"' || ch === '\\') out += `\\${ch}`
    else if (ch === '\n') out += '\\n'
    else if (ch === '\r') out += '\\r'
    else if (ch === '\t') out += '\\t'
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`
    else if ((code >= 0x80 && code < 0xa0) || code === 0xad || (code >= 0xd800 && code < 0xe000) || code === 0xfeff)
      out += `\\u${code.toString(16).padStart(4, '0')}`
    else out += ch
  }
  return `${out}"`
}

/** cmd/internal/quoted.Split: fields separated by ASCII space, tab, CR or LF, each optionally wrapped in '' or "". */
export function quotedSplit(text: string): string[] {
  const fields: string[] = []
  let rest = text
  const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r'
  while (rest.length > 0) {
    let i = 0
    while (i < rest.length && isSpace(rest[i])) i++
    rest = rest.slice(i)
    if (rest.length === 0) break
    const first = rest[0]
    if (first === '"' || first === "'") {
      const close = rest.indexOf(first, 1)
      if (close < 0) throw new QuotedSplitError(`unterminated ${first} string`)
      fields.push(rest.slice(1, close))
      rest = rest.slice(close + 1)
      continue
    }
    let j = 0
    while (j < rest.length && !isSpace(rest[j])) j++
    fields.push(rest.slice(0, j))
    rest = rest.slice(j)
  }
  return fields
}

export class QuotedSplitError extends Error {
  override readonly name = 'QuotedSplitError'
}
