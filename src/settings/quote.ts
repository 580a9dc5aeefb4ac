import { withoutUserinfo } from './errors.js'

/**
 * `part` of `whole` for a message, between single quotes, with every URL user info removed (see redactPart).
 */
export function quoteValue(part: string, whole: string = part): string {
  return `'${redactPart(part, whole)}'`
}

/**
 * `part` of `whole`, credential-free. A part that a parser cut out of a longer value may hold a piece of a user
 * info without its `@` (`https://u:pa` from `https://u:pa,ss@host` cut at the comma), so a part is shown only when
 * it appears as it is in the redacted whole; otherwise it is replaced by `***`.
 */
export function redactPart(part: string, whole: string = part): string {
  const shown = redactUserinfo(part)
  if (part === whole) return shown
  return redactUserinfo(whole).includes(shown) ? shown : '***'
}

/**
 * `value` with every URL user info replaced by `***`. Go takes the user info up to the LAST `@` before the host, so
 * a password may itself hold `@`; a word without a scheme (`token@host`) still becomes a URL once Go adds
 * `https://`; and a password holding `,` or `|` spans what a list splits into two entries. So within each
 * white-space-separated word, each URL runs from its `://` to the next `://`, and everything from its `://` (or
 * the start of the word) to its last `@` is removed.
 */
export function redactUserinfo(value: string): string {
  return withoutUserinfo(value.replace(/\S+/g, redactWord))
}

function redactWord(word: string): string {
  const starts = [0]
  for (let i = word.indexOf('://'); i >= 0; i = word.indexOf('://', i + 3)) starts.push(i + 3)
  let out = ''
  let copied = 0
  for (const [k, start] of starts.entries()) {
    const next = starts[k + 1]
    const end = next === undefined ? word.length : next - 3
    const at = word.lastIndexOf('@', end - 1)
    if (at >= start && at >= copied) {
      out += `${word.slice(copied, start)}***`
      copied = at
    }
  }
  return out + word.slice(copied)
}
