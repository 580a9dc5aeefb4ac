import { trimTrailing } from '../settings/go-strings.js'

/**
 * A reader for the line structure of go.mod and go.work files: line numbers for what `go mod edit -json` /
 * `go work edit -json` / `go mod tidy -diff` report, and the few facts the offline needs assessment reads (go and
 * toolchain lines, requirements, replacements) without running go. The go command stays the authority on meaning:
 * a file it would refuse is its to report.
 */

/** One directive, with its 1-based line. Lines inside a `verb ( … )` block carry the block's verb. */
export interface ModDirective {
  verb: string
  args: string[]
  line: number
  /** the trailing `//` comment, trimmed (empty when none) */
  comment: string
}

export interface Requirement {
  path: string
  version: string
  indirect: boolean
  line: number
}

export function parseModDirectives(text: string): ModDirective[] {
  const directives: ModDirective[] = []
  let blockVerb: string | undefined
  text.split('\n').forEach((raw, index) => {
    const { tokens, comment } = tokenizeLine(raw)
    const line = index + 1
    if (blockVerb !== undefined) {
      if (tokens.length === 1 && tokens[0] === ')') blockVerb = undefined
      else if (tokens.length > 0) directives.push({ verb: blockVerb, args: tokens, line, comment })
      return
    }
    const [verb, ...args] = tokens
    if (verb === undefined) return
    if (args.length === 1 && args[0] === '(') blockVerb = verb
    else directives.push({ verb, args, line, comment })
  })
  return directives
}

export function parseRequirements(text: string): Requirement[] {
  const requirements: Requirement[] = []
  for (const d of parseModDirectives(text)) {
    const [path, version] = d.args
    if (d.verb !== 'require' || path === undefined || version === undefined) continue
    // Go's own rule: the comment is exactly `indirect` or starts with `indirect;`
    const indirect = d.comment === 'indirect' || d.comment.startsWith('indirect;')
    requirements.push({ path, version, indirect, line: d.line })
  }
  return requirements
}

/** `replace old [v] => new [v]`: `new` is a directory when it has no version (Go's own rule). */
export interface Replacement {
  oldPath: string
  oldVersion?: string
  newPath: string
  newVersion?: string
}

export function parseReplacements(text: string): Replacement[] {
  const replacements: Replacement[] = []
  for (const d of parseModDirectives(text)) {
    if (d.verb !== 'replace') continue
    const arrow = d.args.indexOf('=>')
    const [oldPath, oldVersion] = d.args.slice(0, arrow)
    const [newPath, newVersion] = d.args.slice(arrow + 1)
    if (arrow < 1 || arrow > 2 || oldPath === undefined || newPath === undefined) continue
    replacements.push({
      oldPath,
      newPath,
      ...(oldVersion === undefined ? {} : { oldVersion }),
      ...(newVersion === undefined ? {} : { newVersion }),
    })
  }
  return replacements
}

/** The first argument of the `go` or `toolchain` line, if there is one. */
export function directiveValue(text: string, verb: 'go' | 'toolchain'): string | undefined {
  return parseModDirectives(text).find((d) => d.verb === verb)?.args[0]
}

/** The line of the `replace` directive for `oldPath` (and `oldVersion`, when the directive names one). */
export function replaceLine(text: string, oldPath: string, oldVersion?: string): number | undefined {
  for (const d of parseModDirectives(text)) {
    if (d.verb !== 'replace') continue
    const arrow = d.args.indexOf('=>')
    if (arrow < 1 || d.args[0] !== oldPath) continue
    const version = arrow === 2 ? d.args[1] : undefined
    if (version === oldVersion) return d.line
  }
  return undefined
}

/** The line of the `use` directive for a directory, compared after normalising `./` and trailing slashes. */
export function useLine(text: string, diskPath: string): number | undefined {
  const wanted = normaliseDir(diskPath)
  return parseModDirectives(text).find(
    (d) => d.verb === 'use' && d.args[0] !== undefined && normaliseDir(d.args[0]) === wanted,
  )?.line
}

function normaliseDir(dir: string): string {
  return trimTrailing(dir.replace(/\\/g, '/'), '/').replace(/^\.\//, '') || '.'
}

function tokenizeLine(raw: string): { tokens: string[]; comment: string } {
  const tokens: string[] = []
  let i = 0
  while (i < raw.length) {
    const c = raw[i] as string
    if (c === ' ' || c === '\t' || c === '\r') {
      i++
    } else if (raw.startsWith('//', i)) {
      return { tokens, comment: raw.slice(i + 2).trim() }
    } else if (c === '"' || c === '`') {
      const end = closingQuote(raw, i)
      tokens.push(unquote(raw.slice(i, end + 1)))
      i = end + 1
    } else if (c === '(' || c === ')') {
      tokens.push(c)
      i++
    } else {
      let j = i
      while (j < raw.length && !' \t\r()"`'.includes(raw[j] as string) && !raw.startsWith('//', j)) j++
      tokens.push(raw.slice(i, j))
      i = j
    }
  }
  return { tokens, comment: '' }
}

function closingQuote(raw: string, start: number): number {
  const quote = raw[start]
  for (let j = start + 1; j < raw.length; j++) {
    if (quote === '"' && raw[j] === '\\') j++
    else if (raw[j] === quote) return j
  }
  return raw.length - 1
}

function unquote(quoted: string): string {
  if (quoted.startsWith('`')) return quoted.slice(1, -1)
  try {
    return JSON.parse(quoted) as string
  } catch {
    return quoted.slice(1, -1)
  }
}
