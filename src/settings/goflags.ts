import { InputError } from './errors.js'
import { assertSingleLine, refuseControlCharacters } from './injection.js'
import { BOOLEAN_FLAGS, BUILD_FLAGS, FLEXIBLE_BOOLEANS, MIXED_FLAGS, VALUE_FLAGS } from './goflag-names.js'
import { goQuote, goTrimSpace, QuotedSplitError, quotedSplit } from './go-strings.js'
import { redactPart } from './quote.js'
import type { GoflagsSetting, ParseResult } from './types.js'

const INPUT = 'goflags'
const GO_BOOLEANS = ['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False']
/** a word, or a piece of one, for a message: credential-free */
const shown = (piece: string, word = piece): string => goQuote(redactPart(piece, word))
const TOOL_FLAG_LISTS = new Set(['ldflags', 'gcflags', 'asmflags', 'gccgoflags'])

/**
 * Parses GOFLAGS as the go command does (cmd/go/internal/base/goflags.go): words split at spaces, a word wrapped
 * whole in '' or "" may hold spaces; every word must be -flag, --flag or -flag=value, naming a flag that some go
 * command defines. Go stops every command on a malformed word or an unknown flag, and stops the commands that
 * define a flag when its value is missing or not a boolean; all of these are errors here. The exported value joins
 * the words with single spaces, quoting the ones that hold spaces.
 */
export function parseGoflags(raw: string): ParseResult<GoflagsSetting> {
  const fail = (message: string): never => {
    throw new InputError(INPUT, message)
  }
  // Go would split a line break like a space, but the value is exported as one line and no flag needs a control
  // character: one inside a quoted word would reach the compiler or linker as it is
  refuseControlCharacters(INPUT, goTrimSpace(raw), {
    tab: true,
    goReads: 'GOFLAGS is one line of flags separated by spaces; Go would pass a control character on inside a flag.',
    fix: 'Write the flags on one line, separated by spaces.',
  })
  let words: string[] = []
  try {
    words = quotedSplit(raw)
  } catch (error) {
    if (!(error instanceof QuotedSplitError)) throw error
    fail(
      `go would stop every command with: go: parsing $GOFLAGS: ${error.message}. Close the quote; a quote counts ` +
        `only around a whole word, as in '-ldflags=-s -w'.`,
    )
  }

  const warnings: string[] = []
  const parsed = words.map((word) => parseWord(word, fail))
  for (const [i, flag] of parsed.entries()) {
    checkFlag(flag, fail, warnings)
    const previous = parsed[i - 1]
    if (previous?.value !== undefined && TOOL_FLAG_LISTS.has(previous.name) && !BUILD_FLAGS.has(flag.name)) {
      warnings.push(
        `${INPUT}: ${shown(flag.word)} follows ${shown(previous.word)}; Go takes it as a flag of its own, not as ` +
          `part of -${previous.name}. To pass several values, quote the whole word: '-${previous.name}=${redactPart(previous.value, previous.word)} ${redactPart(flag.word)}'.`,
      )
    }
  }
  const value = words.map(quoteWord).join(' ')
  assertSingleLine(INPUT, value)
  return { value: { value, flags: words }, warnings }
}

interface Flag {
  word: string
  name: string
  value?: string
}

function parseWord(word: string, fail: (message: string) => never): Flag {
  if (
    !word.startsWith('-') ||
    word === '-' ||
    word === '--' ||
    word.startsWith('---') ||
    word.startsWith('-=') ||
    word.startsWith('--=')
  ) {
    fail(
      `${shown(word)} is not a flag: go would stop every command with: go: parsing $GOFLAGS: non-flag ${shown(word)}. ` +
        'Write each flag as -name or -name=value; a value with spaces needs the whole word quoted.',
    )
  }
  const body = word.startsWith('--') ? word.slice(2) : word.slice(1)
  const eq = body.indexOf('=')
  const name = eq < 0 ? body : body.slice(0, eq)
  if (!BOOLEAN_FLAGS.has(name) && !VALUE_FLAGS.has(name) && !MIXED_FLAGS.has(name)) {
    const flag = `-${redactPart(name, word)}`
    fail(
      `no go command has the flag ${flag}: go would stop every command with: go: parsing $GOFLAGS: unknown flag ${flag}. ` +
        'Check the spelling against go help build and go help testflag.',
    )
  }
  return eq < 0 ? { word, name } : { word, name, value: body.slice(eq + 1) }
}

function checkFlag(flag: Flag, fail: (message: string) => never, warnings: string[]): void {
  const { name, value, word } = flag
  const goSays = (reason: string, where = 'the commands that have it', detail = ''): string =>
    `go would stop ${where} with: go: ${reason} (from $GOFLAGS)${detail === '' ? '' : `: ${detail}`}`
  if (value === undefined) {
    if (VALUE_FLAGS.has(name)) {
      fail(`-${name} needs a value: ${goSays(`flag needs an argument: -${name}`)}. Write -${name}=value.`)
    }
    const needing = MIXED_FLAGS.get(name)
    if (needing !== undefined) {
      warnings.push(
        `${INPUT}: -${name} has no value; ${goSays(`flag needs an argument: -${name}`, needing.join(' and '))}. ` +
          `Write -${name}=value, or drop it from GOFLAGS.`,
      )
    }
    return
  }
  if (BOOLEAN_FLAGS.has(name) && !GO_BOOLEANS.includes(value)) {
    const flexible = FLEXIBLE_BOOLEANS.get(name)
    if (flexible?.accepts(value) === true) {
      if (flexible.only !== undefined) {
        warnings.push(
          `${INPUT}: -${name}=${redactPart(value, word)} is accepted only by ${flexible.only}; ` +
            `${goSays(`invalid boolean value ${shown(value, word)} for flag -${name}`, 'the other commands that have it')}.`,
        )
      }
      return
    }
    const reason = name === 'buildvcs' ? "value is neither 'auto' nor a valid bool" : 'parse error'
    fail(
      `-${name} is a boolean flag: ${goSays(`invalid boolean value ${shown(value, word)} for flag -${name}`, undefined, reason)}. ` +
        `Write -${name}, -${name}=true or -${name}=false.`,
    )
  }
  if (name === 'C') {
    fail(
      `-C cannot be set in GOFLAGS: ${goSays(`invalid value ${shown(value, word)} for flag -C`, undefined, '-C flag must be first flag on command line')}. ` +
        'Set the working directory of the step instead.',
    )
  }
  if (name === 'mod') {
    if (!['', 'mod', 'readonly', 'vendor'].includes(value)) {
      fail(
        `-mod=${redactPart(value, word)} is not a module mode: go would stop the build commands with: ` +
          `-mod=${redactPart(value, word)} not supported (can be '', 'mod', 'readonly', or 'vendor').`,
      )
    }
    if (value === 'mod') {
      warnings.push(
        `${INPUT}: -mod=mod lets every build rewrite go.mod and go.sum, so missing requirements are added silently ` +
          'instead of failing the job, and drift goes unnoticed. The default (readonly) is safer in CI.',
      )
    }
  }
}

/** quoted.Split reads a word without white space back unchanged; one with white space is wrapped in quotes */
function quoteWord(word: string): string {
  if (!/[ \t]/.test(word)) return word
  return word.includes("'") ? `"${word}"` : `'${word}'`
}
