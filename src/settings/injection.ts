import { InputError } from './errors.js'
import { findControlCharacter } from './go-strings.js'
import { quoteValue } from './quote.js'

// GITHUB_ENV, GITHUB_OUTPUT and dotenv files are line-based: a line break in a value would end it and let the rest
// of the value define other variables (GitHub's heredoc form guards only against its own delimiter). A NUL byte cuts
// the value short in C-based readers. So every value we export must be one line, whatever the file format does.

const LINE_BREAKING: Record<string, string> = {
  '\n': 'a line feed',
  '\r': 'a carriage return',
  '\0': 'a NUL character',
}

/** What in `value` could end a line of an environment file, and where; undefined when the value is one safe line. */
export function findLineBreak(value: string): { what: string; index: number } | undefined {
  const index = value.search(/[\n\r\0]/)
  if (index < 0) return undefined
  return { what: LINE_BREAKING[value[index] as string] as string, index }
}

/** Throws when `value` (the value given for `input`) cannot be written to GITHUB_ENV / GITHUB_OUTPUT / dotenv as one line. */
export function assertSingleLine(input: string, value: string): void {
  const found = findLineBreak(value)
  if (found === undefined) return
  throw new InputError(
    input,
    `the value to export contains ${found.what} (at character ${found.index + 1}); it would end the line in the ` +
      'environment file and let the rest set other variables. Write the value on one line; lists take commas.',
  )
}

/** Checks every variable about to be exported: names must be plain identifiers, values single lines. */
export function assertExportable(variables: Readonly<Record<string, string>>): void {
  for (const [name, value] of Object.entries(variables)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new InputError(
        name,
        'is not a valid environment variable name (letters, digits and _, not starting with a digit).',
      )
    }
    assertSingleLine(name, value)
  }
}

/**
 * Throws when `value`, which Go reads as one line, holds a line break or another control character: Go would take it
 * as part of a name, a flag or a command (`goReads` says what it would do), and no Go setting needs one. Where Go
 * splits at tabs as at spaces (GOFLAGS, GOAUTH, GOSUMDB), `tab: true` lets a tab stand for white space.
 */
export function refuseControlCharacters(
  input: string,
  value: string,
  options: { tab: boolean; goReads: string; fix: string },
): void {
  const found = findControlCharacter(options.tab ? value.replaceAll('\t', ' ') : value)
  if (found === undefined) return
  throw new InputError(
    input,
    `${quoteValue(value)} holds ${found.name} at character ${found.index + 1}. ${options.goReads} ${options.fix}`,
  )
}
