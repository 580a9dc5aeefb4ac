// Searches in Go's error output that a regular expression would make quadratic on a long line: `a[^\n]*b` tries
// every `a` of a line against the rest of the line. Go's output quotes what servers answered and what users set, so a
// line may be long and full of repeats.

/** A match of `head` on a line of `text` that `tail` follows later on the same line, with the tail's index in `text`. */
export interface LineMatch {
  match: RegExpExecArray
  /** where the tail starts, in `text` */
  tail: number
}

/**
 * What `head[^\n]*tail` finds: the first line on which `head` matches and one of `tails` follows. Only the first match
 * of `head` on each line is tried: `head` must be a fixed text or end where its word ends, so that a later match
 * never ends earlier and cannot succeed where the first failed.
 */
export function headThenTail(text: string, head: RegExp, tails: readonly string[]): LineMatch | undefined {
  let lineStart = 0
  while (lineStart <= text.length) {
    const newline = text.indexOf('\n', lineStart)
    const lineEnd = newline < 0 ? text.length : newline
    const line = text.slice(lineStart, lineEnd)
    const match = head.exec(line)
    if (match !== null) {
      const end = match.index + match[0].length
      let tail = -1
      for (const t of tails) {
        const at = line.indexOf(t, end)
        if (at >= 0 && (tail < 0 || at < tail)) tail = at
      }
      if (tail >= 0) return { match, tail: lineStart + tail }
    }
    if (newline < 0) return undefined
    lineStart = newline + 1
  }
  return undefined
}

/**
 * What `/prefix([^)]+)\)/` finds, and where its `)` is: each `)` is looked for once, however many `prefix` come before
 * it (`unexpected status (` repeated without a `)` would make the expression rescan the rest of the text from each).
 * `accept` may refuse a candidate by what follows its `)`; it is asked once per `)`.
 */
export function parenthesized(
  text: string,
  prefix: string,
  accept: (close: number) => boolean = () => true,
): { inside: string; close: number } | undefined {
  let close = -1
  let refused = -1
  for (let i = text.indexOf(prefix); i >= 0; i = text.indexOf(prefix, i + 1)) {
    const from = i + prefix.length
    if (close < from) close = text.indexOf(')', from)
    if (close < 0) return undefined
    if (close === from || close === refused) continue
    if (accept(close)) return { inside: text.slice(from, close), close }
    refused = close
  }
  return undefined
}
