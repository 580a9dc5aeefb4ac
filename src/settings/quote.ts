import { replaceUserinfo, userinfoInValue } from './url-userinfo.js'

/**
 * `part` of `whole` for a message, between single quotes, with every URL user info removed (see redactPart).
 */
export function quoteValue(part: string, whole: string = part): string {
  return `'${escapeControlCharacters(redactPart(part, whole))}'`
}

/** Control characters written as escapes, so a quoted value can neither break a line nor drive a terminal. */
export function escapeControlCharacters(text: string): string {
  let out = ''
  let copied = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c >= 0x20 && c !== 0x7f && (c < 0x80 || c > 0x9f)) continue
    const escape =
      c === 0x0a ? '\\n' : c === 0x0d ? '\\r' : c === 0x09 ? '\\t' : `\\x${c.toString(16).padStart(2, '0')}`
    out += text.slice(copied, i) + escape
    copied = i + 1
  }
  return copied === 0 ? text : out + text.slice(copied)
}

/**
 * `part` of `whole`, credential-free and at most a few hundred characters long (see abbreviate). A part that a parser
 * cut out of a longer value may hold a piece of a user info without its `@` (`https://u:pa` from
 * `https://u:pa,ss@host` cut at the comma), so a part is shown only when it appears as it is in the redacted whole;
 * otherwise it is replaced by `***`.
 */
export function redactPart(part: string, whole: string = part): string {
  const shown = redactUserinfo(part)
  if (part === whole) return abbreviate(shown)
  return redactedWhole(whole).includes(shown) ? abbreviate(shown) : '***'
}

/**
 * `value` with every URL user info replaced by `***`: each URL runs from its `://` to the next `://`, and everything
 * from its `://` (or the start of the value) to its last `@` is removed (see userinfoInValue).
 */
export function redactUserinfo(value: string): string {
  return replaceUserinfo(value, userinfoInValue(value), '***')
}

/** Longest text a message quotes whole; a longer one keeps its start and end. */
const QUOTED_LIMIT = 400
const QUOTED_HEAD = 240
const QUOTED_TAIL = 80

/**
 * `text`, or its start and end around a note of what was left out when it is longer than a message can usefully
 * quote: a value of 100 KB would bury the one sentence that says what is wrong with it.
 */
export function abbreviate(text: string): string {
  if (text.length <= QUOTED_LIMIT) return text
  const head = text.slice(0, whole(text, QUOTED_HEAD))
  const tail = text.slice(whole(text, text.length - QUOTED_TAIL))
  return `${head} … ${text.length - head.length - tail.length} more characters … ${tail}`
}

/** `index`, moved back off the second half of a surrogate pair so no character is cut in two */
function whole(text: string, index: number): number {
  const c = text.charCodeAt(index)
  return c >= 0xdc00 && c <= 0xdfff ? index - 1 : index
}

// Parsers quote many parts of the same value: the whole is redacted once, not once per part.
let lastWhole: string | undefined
let lastRedacted = ''

function redactedWhole(value: string): string {
  if (value !== lastWhole) {
    lastRedacted = redactUserinfo(value)
    lastWhole = value
  }
  return lastRedacted
}
