import { InputError } from './errors.js'
import { assertSingleLine, refuseControlCharacters } from './injection.js'
import { goFields, goTrimSpace, QuotedSplitError, quotedSplit } from './go-strings.js'
import { quoteValue } from './quote.js'
import type { GoauthSetting, ParseResult } from './types.js'

const INPUT = 'goauth'

/**
 * Parses GOAUTH (Go 1.24+) as the go command does (cmd/go/internal/auth runGoAuth): commands separated by `;`, each
 * trimmed; `off` (alone), `netrc`, `git <absolute dir>`, or a command line. Go checks the commands in reverse order
 * and stops at the first bad one, so the error reported here is the one Go would report. A line break or another
 * control character is refused (tabs count as spaces, as to Go). Whether a `git` directory exists is not checked
 * (that needs the runner's file system); its path must be absolute for Linux and macOS (/…) or Windows (C:\…,
 * \\server\share).
 */
export function parseGoauth(raw: string): ParseResult<GoauthSetting> {
  const fail = (message: string): never => {
    throw new InputError(INPUT, message)
  }
  if (raw === '') {
    fail(
      "the value is empty. Leave the input unset to keep Go's default (netrc), or write netrc, off, git /abs/dir or a command.",
    )
  }
  // Go splits GOAUTH at `;` only: a line break would be part of a command to Go (`netrc\ncmd` is netrc alone), and
  // turning it into a `;` here would export a second command that Go would run
  const value = goTrimSpace(raw)
  refuseControlCharacters(INPUT, value, {
    tab: true,
    goReads:
      "Go reads GOAUTH as one line of commands separated by ';': a line break or control character would become part " +
      'of a command, and exporting it as a separator would add a command that was never written as one.',
    fix: "Write the commands on one line, separated by ';' (e.g. netrc; git /abs/dir).",
  })
  const commands = value.split(';').map(goTrimSpace)
  const shown = quoteValue(value)
  const warnings: string[] = []

  for (const command of [...commands].reverse()) {
    const words = goFields(command)
    const first = words[0]
    if (first === undefined) {
      fail(
        `${shown} holds an empty command: go would stop with: go: GOAUTH encountered an empty command (GOAUTH=${redacted(value)}). ` +
          "Remove the extra ';'.",
      )
    } else if (first === 'off') {
      if (commands.length !== 1) {
        fail(
          `${shown} combines off with other methods: go would stop with: go: GOAUTH=off cannot be combined with other ` +
            `authentication commands (GOAUTH=${redacted(value)}). Write off alone, or drop it.`,
        )
      }
      if (words.length > 1) warnings.push(`${INPUT}: the words after 'off' are ignored by Go.`)
    } else if (first === 'netrc') {
      if (words.length > 1)
        warnings.push(`${INPUT}: the words after 'netrc' are ignored by Go; it reads $NETRC or ~/.netrc.`)
    } else if (first === 'git') {
      if (words.length !== 2) {
        fail(
          `${quoteValue(command, value)} needs exactly one directory: go would stop with: go: GOAUTH=git dir method requires an ` +
            'absolute path to the git working directory. Write git /absolute/path (a path without spaces).',
        )
      }
      if (!isAbsolutePath(words[1] as string)) {
        fail(
          `${quoteValue(command, value)} names a relative directory: go would stop with: go: GOAUTH=git dir method requires an ` +
            'absolute path to the git working directory, dir is not absolute. Give the absolute path of a git checkout.',
        )
      }
    } else {
      try {
        quotedSplit(command)
      } catch (error) {
        if (!(error instanceof QuotedSplitError)) throw error
        // Go only logs this (with -x) and never runs the command, so no credential ever comes from it
        fail(
          `${quoteValue(command, value)} cannot be split into words (${error.message}): Go would never run it and would fetch ` +
            'without its credentials. Close the quote.',
        )
      }
    }
  }
  const joined = commands.join(';')
  assertSingleLine(INPUT, joined)
  return { value: { value: joined, commands }, warnings }
}

function redacted(value: string): string {
  return quoteValue(value).slice(1, -1)
}

/** filepath.IsAbs on the runner's OS, which a pure parser cannot know: either form is accepted */
function isAbsolutePath(dir: string): boolean {
  return dir.startsWith('/') || /^[A-Za-z]:[\\/]/.test(dir) || dir.startsWith('\\\\')
}
