// A port of Go's path.Match (Go 1.26), working on UTF-8 bytes as Go does, so that GOPRIVATE-style patterns match
// here exactly where they match in the go command.

const encoder = new TextEncoder()
const SLASH = 0x2f
const STAR = 0x2a
const QUESTION = 0x3f
const BACKSLASH = 0x5c
const OPEN = 0x5b
const CLOSE = 0x5d
const CARET = 0x5e
const DASH = 0x2d
const RUNE_ERROR = 0xfffd

/** path.ErrBadPattern */
export class BadPatternError extends Error {
  override readonly name = 'BadPatternError'
  constructor() {
    super('syntax error in pattern')
  }
}

/** path.Match: whether `name` matches the shell pattern; throws BadPatternError for a malformed pattern. */
export function goPathMatch(pattern: string, name: string): boolean {
  return matchBytes(encoder.encode(pattern), encoder.encode(name))
}

/** Whether Go's path.Match reports the pattern as malformed (it checks the whole pattern when matching ""). */
export function isBadPattern(pattern: string): boolean {
  try {
    goPathMatch(pattern, '')
    return false
  } catch (error) {
    if (error instanceof BadPatternError) return true
    throw error
  }
}

function matchBytes(patternIn: Uint8Array, nameIn: Uint8Array): boolean {
  let pattern = patternIn
  let name = nameIn
  patternLoop: while (pattern.length > 0) {
    const { star, chunk, rest } = scanChunk(pattern)
    pattern = rest
    if (star && chunk.length === 0) {
      // trailing * matches the rest of the name unless it has a /
      return !name.includes(SLASH)
    }
    const first = matchChunk(chunk, name)
    if (first.ok && (first.rest.length === 0 || pattern.length > 0)) {
      name = first.rest
      continue
    }
    if (star) {
      // look for a match skipping i+1 bytes; * cannot skip a /
      for (let i = 0; i < name.length && name[i] !== SLASH; i++) {
        const next = matchChunk(chunk, name.subarray(i + 1))
        if (next.ok) {
          if (pattern.length === 0 && next.rest.length > 0) continue
          name = next.rest
          continue patternLoop
        }
      }
    }
    // before returning false, check that the rest of the pattern is well formed
    while (pattern.length > 0) {
      const next = scanChunk(pattern)
      pattern = next.rest
      matchChunk(next.chunk, new Uint8Array())
    }
    return false
  }
  return name.length === 0
}

function scanChunk(patternIn: Uint8Array): { star: boolean; chunk: Uint8Array; rest: Uint8Array } {
  let pattern = patternIn
  let star = false
  while (pattern.length > 0 && pattern[0] === STAR) {
    pattern = pattern.subarray(1)
    star = true
  }
  let inRange = false
  for (let i = 0; i < pattern.length; i++) {
    switch (pattern[i]) {
      case BACKSLASH:
        if (i + 1 < pattern.length) i++
        break
      case OPEN:
        inRange = true
        break
      case CLOSE:
        inRange = false
        break
      case STAR:
        if (!inRange) return { star, chunk: pattern.subarray(0, i), rest: pattern.subarray(i) }
    }
  }
  return { star, chunk: pattern, rest: new Uint8Array() }
}

/** Whether the chunk (no stars) matches the start of s; keeps checking the chunk's syntax after a mismatch. */
function matchChunk(chunkIn: Uint8Array, sIn: Uint8Array): { ok: boolean; rest: Uint8Array } {
  let chunk = chunkIn
  let s = sIn
  let failed = false
  while (chunk.length > 0) {
    failed = failed || s.length === 0
    switch (chunk[0]) {
      case OPEN: {
        let r = 0
        if (!failed) {
          const decoded = decodeRune(s)
          r = decoded.rune
          s = s.subarray(decoded.size)
        }
        chunk = chunk.subarray(1)
        let negated = false
        if (chunk.length > 0 && chunk[0] === CARET) {
          negated = true
          chunk = chunk.subarray(1)
        }
        let match = false
        let ranges = 0
        for (;;) {
          if (chunk.length > 0 && chunk[0] === CLOSE && ranges > 0) {
            chunk = chunk.subarray(1)
            break
          }
          const lo = getEsc(chunk)
          chunk = lo.rest
          let hi = lo.rune
          if (chunk[0] === DASH) {
            const high = getEsc(chunk.subarray(1))
            chunk = high.rest
            hi = high.rune
          }
          match = match || (lo.rune <= r && r <= hi)
          ranges++
        }
        failed = failed || match === negated
        break
      }
      case QUESTION:
        if (!failed) {
          failed = s[0] === SLASH
          s = s.subarray(decodeRune(s).size)
        }
        chunk = chunk.subarray(1)
        break
      case BACKSLASH:
        chunk = chunk.subarray(1)
        if (chunk.length === 0) throw new BadPatternError()
        failed = literal(chunk, s, failed)
        if (!failed) s = s.subarray(1)
        chunk = chunk.subarray(1)
        break
      default:
        failed = literal(chunk, s, failed)
        if (!failed) s = s.subarray(1)
        chunk = chunk.subarray(1)
    }
  }
  return failed ? { ok: false, rest: new Uint8Array() } : { ok: true, rest: s }
}

function literal(chunk: Uint8Array, s: Uint8Array, failed: boolean): boolean {
  return failed || chunk[0] !== s[0]
}

/** getEsc: a possibly escaped character of a character class */
function getEsc(chunkIn: Uint8Array): { rune: number; rest: Uint8Array } {
  let chunk = chunkIn
  if (chunk.length === 0 || chunk[0] === DASH || chunk[0] === CLOSE) throw new BadPatternError()
  if (chunk[0] === BACKSLASH) {
    chunk = chunk.subarray(1)
    if (chunk.length === 0) throw new BadPatternError()
  }
  const { rune, size } = decodeRune(chunk)
  if (rune === RUNE_ERROR && size === 1) throw new BadPatternError()
  const rest = chunk.subarray(size)
  if (rest.length === 0) throw new BadPatternError()
  return { rune, rest }
}

/** utf8.DecodeRune: (RuneError, 1) for an invalid encoding, (RuneError, 0) for no input */
function decodeRune(bytes: Uint8Array): { rune: number; size: number } {
  const b0 = bytes[0]
  if (b0 === undefined) return { rune: RUNE_ERROR, size: 0 }
  if (b0 < 0x80) return { rune: b0, size: 1 }
  const invalid = { rune: RUNE_ERROR, size: 1 }
  const cont = (i: number, lo = 0x80, hi = 0xbf): number | undefined => {
    const b = bytes[i]
    return b !== undefined && b >= lo && b <= hi ? b & 0x3f : undefined
  }
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    const c1 = cont(1)
    return c1 === undefined ? invalid : { rune: ((b0 & 0x1f) << 6) | c1, size: 2 }
  }
  if (b0 >= 0xe0 && b0 <= 0xef) {
    const c1 = cont(1, b0 === 0xe0 ? 0xa0 : 0x80, b0 === 0xed ? 0x9f : 0xbf)
    const c2 = cont(2)
    return c1 === undefined || c2 === undefined ? invalid : { rune: ((b0 & 0x0f) << 12) | (c1 << 6) | c2, size: 3 }
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const c1 = cont(1, b0 === 0xf0 ? 0x90 : 0x80, b0 === 0xf4 ? 0x8f : 0xbf)
    const c2 = cont(2)
    const c3 = cont(3)
    if (c1 === undefined || c2 === undefined || c3 === undefined) return invalid
    return { rune: ((b0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3, size: 4 }
  }
  return invalid
}
