// Finding the user info of URLs in text, in time linear in the text's length. Every line the tool prints passes
// through here, as do inputs of up to 128 KB (the most the OS lets one environment value hold), so a regular
// expression that backtracks (`scheme*://[^/]*@` tried from every position) would make a long value take minutes.

/** A URL's user info in a text: `text.slice(start, at)`, where `at` is the index of the `@` that ends it. */
export interface UserinfoSpan {
  /** where the URL begins: its scheme, or `start` when it has none */
  url: number
  start: number
  at: number
}

/**
 * The user info of every `scheme://user@host` in prose (log lines, Go's errors, diagnoses): after `scheme://`, up to
 * the last `@` before the first `/`, white space, `,` or `|`. The scheme starts with a letter.
 */
export function userinfoInText(text: string): UserinfoSpan[] {
  const spans: UserinfoSpan[] = []
  // nothing before `floor` can begin a URL: it was part of the previous one
  let floor = 0
  let marker = text.indexOf('://')
  while (marker >= 0) {
    const scheme = schemeStart(text, marker, floor)
    let next = marker + 3
    if (scheme >= 0) {
      let end = next
      let at = -1
      for (; end < text.length && !endsProseAuthority(text.charCodeAt(end)); end++) {
        if (text.charCodeAt(end) === 0x40) at = end
      }
      if (at >= 0) {
        spans.push({ url: scheme, start: marker + 3, at })
        floor = at + 1
        next = at + 1
      }
    }
    marker = text.indexOf('://', next)
  }
  return spans
}

/**
 * The user info of every URL in an input value, read so that no piece of a credential can escape: the value is cut at
 * each `://`, and in each piece everything up to its last `@` is user info. Go takes the user info up to the LAST `@`
 * of the authority, so a password may hold `@`; a password holding `,`, `|`, `/`, white space or a line break spans
 * what a list or Go's parser would split (`https://u:pa,ss@host`, `https://bot:Tok abc@host`); and a value without a
 * scheme (`token@host`) still becomes a URL once Go adds `https://`. This masks more than Go would read as user info
 * when an entry without a scheme that holds an `@` follows an entry with one — the safe side to err on.
 */
export function userinfoInValue(value: string): UserinfoSpan[] {
  const spans: UserinfoSpan[] = []
  let start = 0
  let url = 0
  for (;;) {
    const marker = value.indexOf('://', start)
    const end = marker < 0 ? value.length : marker
    // searched back only to the piece's start: lastIndexOf would go on to the text's start, piece after piece
    let at = end - 1
    while (at >= start && value.charCodeAt(at) !== 0x40) at--
    if (at >= start) spans.push({ url, start, at })
    if (marker < 0) return spans
    const scheme = schemeStart(value, marker, start)
    url = scheme < 0 ? marker : scheme
    start = marker + 3
  }
}

/** `text` with each span's user info replaced by `mask` (the `@` stays). */
export function replaceUserinfo(text: string, spans: UserinfoSpan[], mask: string): string {
  if (spans.length === 0) return text
  let out = ''
  let copied = 0
  for (const span of spans) {
    out += text.slice(copied, span.start) + mask
    copied = span.at
  }
  return out + text.slice(copied)
}

/** Where the scheme ending just before `marker` (the `://`) starts, not before `floor`; -1 when there is none. */
function schemeStart(text: string, marker: number, floor: number): number {
  let first = -1
  for (let i = marker - 1; i >= floor && isSchemeCharacter(text.charCodeAt(i)); i--) {
    if (isLetter(text.charCodeAt(i))) first = i
  }
  return first
}

function isLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
}

function isSchemeCharacter(c: number): boolean {
  return isLetter(c) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e
}

/** `/`, `,`, `|` or white space as JavaScript's `\s` knows it */
function endsProseAuthority(c: number): boolean {
  if (c === 0x2f || c === 0x2c || c === 0x7c || c === 0x20 || (c >= 0x09 && c <= 0x0d)) return true
  if (c < 0xa0) return false
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  )
}
