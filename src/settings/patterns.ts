import { InputError } from './errors.js'
import { assertSingleLine } from './injection.js'
import { BadPatternError, goPathMatch, isBadPattern } from './go-path-match.js'
import { findControlCharacter, goTrimSpace, isGoSpace } from './go-strings.js'
import { quoteValue } from './quote.js'
import type { ParseResult, PatternSetting } from './types.js'

/**
 * Parses a GOPRIVATE / GONOPROXY / GONOSUMDB / GOINSECURE list: module path prefix globs, as
 * golang.org/x/mod/module.MatchPrefixPatterns reads them.
 *
 * Go splits on commas only and keeps white space, so `a.com, b.com` gives a second pattern ` b.com` that never
 * matches. Here commas and line breaks both separate patterns; white space around a pattern is trimmed, with a
 * warning when it stood next to a comma (Go would not have trimmed it). A malformed glob, which Go silently ignores
 * (so it never matches), is an error here. A trailing `/` is kept: Go drops it before matching.
 */
export function parsePatternList(raw: string, input: string): ParseResult<PatternSetting> {
  const patterns: string[] = []
  const warnings: string[] = []
  const emptyOnceTrimmed: string[] = []
  const urlLike: string[] = []
  let spacedCommas = false
  for (const line of raw.split(/\r?\n/)) {
    for (const element of goTrimSpace(line).split(',')) {
      const pattern = goTrimSpace(element)
      if (pattern !== element) spacedCommas = true
      if (pattern === '') continue
      const doubt = checkPattern(pattern, raw, input)
      if (doubt === 'empty') emptyOnceTrimmed.push(pattern)
      if (doubt === 'url') urlLike.push(pattern)
      patterns.push(pattern)
    }
  }
  if (spacedCommas) {
    warnings.push(
      `${input}: spaces next to commas were removed. Go keeps them as part of the pattern, which then never matches ` +
        'a module path; write the list without spaces (a.com,b.com) or one pattern per line.',
    )
  }
  if (emptyOnceTrimmed.length > 0) {
    warnings.push(
      `${input}: ${listed(emptyOnceTrimmed, raw)} ${emptyOnceTrimmed.length === 1 ? 'is' : 'are'} empty once Go ` +
        `drops its trailing '/', so Go ignores ${emptyOnceTrimmed.length === 1 ? 'it' : 'them'}.`,
    )
  }
  if (urlLike.length > 0) {
    warnings.push(
      `${input}: ${listed(urlLike, raw)} ${urlLike.length === 1 ? 'looks' : 'look'} like a URL or a git address. Patterns match module paths ` +
        `such as github.com/your-org/repo (no scheme, user or port), so ${urlLike.length === 1 ? 'this one never matches' : 'these never match'}.`,
    )
  }
  if (patterns.length === 0) {
    throw new InputError(
      input,
      `${quoteValue(raw)} holds no pattern. Give module path prefixes such as github.com/your-org,*.corp.example.com.`,
    )
  }
  const value = patterns.join(',')
  assertSingleLine(input, value)
  return { value: { patterns, value }, warnings }
}

/** entries a warning names; the rest are counted (a list of thousands would bury the warning) */
const LISTED = 3

/** `the pattern 'a'` / `the patterns 'a', 'b', 'c' and 2 more` */
function listed(patterns: string[], raw: string): string {
  const named = patterns.slice(0, LISTED).map((p) => quoteValue(p, raw))
  const more = patterns.length > LISTED ? ` and ${patterns.length - LISTED} more` : ''
  return `the pattern${patterns.length === 1 ? '' : 's'} ${named.join(', ')}${more}`
}

/** Throws when Go could not use the pattern; says when Go would ignore it or it can never match. */
function checkPattern(pattern: string, raw: string, input: string): 'empty' | 'url' | undefined {
  const shown = (): string => quoteValue(pattern, raw)
  // Module and import paths hold no control character (module.CheckPath, CheckImportPath), so a pattern holding one
  // matches nothing. A tab, like a carriage return, is white space to Go as much as a space is: it gets the white
  // space error below (around a pattern it was trimmed, as YAML indentation is).
  const control = findControlCharacter(pattern)
  if (control !== undefined && !isGoSpace(pattern.charCodeAt(control.index))) {
    throw new InputError(
      input,
      `${shown()} holds ${control.name} at character ${control.index + 1} of the pattern. Go would keep it as part of ` +
        'the pattern, and since module paths never contain control characters the pattern would match nothing: the ' +
        'modules it was meant to cover would be fetched through the proxy and checked against the checksum database ' +
        'as if public. Remove it.',
    )
  }
  for (let i = 0; i < pattern.length; i++) {
    if (isGoSpace(pattern.charCodeAt(i))) {
      throw new InputError(
        input,
        `${shown()} contains white space: Go would keep it as one pattern, which never matches a module path. ` +
          'Separate patterns with commas or line breaks.',
      )
    }
  }
  const glob = pattern.replace(/\/$/, '')
  if (glob === '') return 'empty'
  if (isBadPattern(glob)) {
    throw new InputError(
      input,
      `${shown()} is not a valid pattern: Go's path.Match rejects it (syntax error in pattern), and Go silently ignores ` +
        `such patterns, so it would match nothing. Close every '[' with ']', put a character after every '\\', and ` +
        `do not start a range with '-' or ']'.`,
    )
  }
  return /[:@]/.test(glob) ? 'url' : undefined
}

/**
 * golang.org/x/mod/module.MatchPrefixPatterns: whether any pattern matches a prefix of the module path `target`.
 * A pattern with N slashes is matched (path.Match) against the first N+1 path elements; empty and malformed
 * patterns are ignored. The patterns are joined with commas first, as Go receives them from the environment.
 */
export function matchPrefixPatterns(patterns: string[], target: string): boolean {
  let globs = patterns.join(',')
  while (globs !== '') {
    const comma = globs.indexOf(',')
    let glob = comma < 0 ? globs : globs.slice(0, comma)
    globs = comma < 0 ? '' : globs.slice(comma + 1)
    if (glob.endsWith('/')) glob = glob.slice(0, -1)
    if (glob === '') continue

    let n = glob.split('/').length - 1
    let prefix = target
    for (let i = 0; i < target.length; i++) {
      if (target[i] === '/') {
        if (n === 0) {
          prefix = target.slice(0, i)
          break
        }
        n--
      }
    }
    if (n > 0) continue
    try {
      if (goPathMatch(glob, prefix)) return true
    } catch (error) {
      // a malformed pattern: Go ignores the error and the pattern
      if (!(error instanceof BadPatternError)) throw error
    }
  }
  return false
}
