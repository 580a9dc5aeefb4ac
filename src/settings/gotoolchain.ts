import { InputError } from './errors.js'
import { refuseControlCharacters } from './injection.js'
import { goCut, goQuote, goTrimSpace } from './go-strings.js'
import { redactPart } from './quote.js'
import type { ParseResult } from './types.js'

const INPUT = 'gotoolchain'
const FORMS =
  'auto, local, path, a toolchain such as go1.24.3, or one of those followed by +auto or +path (e.g. go1.24.3+auto)'

/**
 * Parses GOTOOLCHAIN as the go command does (cmd/go/internal/toolchain Select, gover.FromToolchain):
 * `auto`, `path`, `local`, `go1.N[.P][rcN]` with an optional custom suffix (`go1.21.0-custom`), and
 * `<local|toolchain>+auto` or `+path`. The value is trimmed first. A name that Go would refuse whenever it has to
 * run it (anything not starting with go1) is an error here too.
 */
export function parseGotoolchain(raw: string): ParseResult<string> {
  const value = goTrimSpace(raw)
  const quoted = goQuote(redactPart(value))
  const fail = (reason: string, fix: string): never => {
    throw new InputError(
      INPUT,
      `${quoted} is not a toolchain setting: go would stop every command with: go: ${reason}. ${fix}`,
    )
  }
  if (value === '') {
    throw new InputError(
      INPUT,
      `the value is empty. Leave the input unset to keep Go's default (auto), or write ${FORMS}.`,
    )
  }
  refuseControlCharacters(INPUT, value, {
    tab: false,
    goReads:
      'Go reads GOTOOLCHAIN as one line and takes every character as part of the toolchain name, which then names no ' +
      'release it can download.',
    fix: `Write ${FORMS}, on one line.`,
  })
  if (value === 'auto' || value === 'path') return { value, warnings: [] }

  const [min, suffix, plus] = goCut(value, '+')
  const warnings: string[] = []
  if (min !== 'local') {
    const version = versionOfToolchain(min)
    if (version === undefined) {
      if (plus)
        fail(
          `invalid GOTOOLCHAIN ${quoted}: invalid minimum toolchain ${goQuote(redactPart(min, value))}`,
          `Write ${FORMS}.`,
        )
      fail(`invalid GOTOOLCHAIN ${quoted}`, `Write ${FORMS}.`)
    }
    if (plus && suffix !== 'auto' && suffix !== 'path') {
      fail(
        `invalid GOTOOLCHAIN ${quoted}: only version suffixes are +auto and +path`,
        `Write ${redactPart(min, value)}+auto or ${redactPart(min, value)}+path.`,
      )
    }
    // Select's "minimal sanity check" before running a toolchain other than the local one
    if (!min.startsWith('go1') && !min.includes('-go1')) fail(`invalid GOTOOLCHAIN ${quoted}`, `Write ${FORMS}.`)
    // with +path Go never downloads; a name with white space fails the download before this check
    if (suffix !== 'path' && !/\s/.test(min) && isLanguageVersion(version as string)) {
      warnings.push(
        `${INPUT}: ${min} is a language version, not a toolchain: unless a program named ${min} is on PATH, go would ` +
          `stop with: invalid toolchain: ${min} is a language version but not a toolchain version (${min}.x). ` +
          `Name a release such as go${version}.0.`,
      )
    }
    if (/\s/.test(min)) {
      warnings.push(
        `${INPUT}: the toolchain name ${goQuote(min)} contains white space: Go can neither download it nor, in practice, ` +
          'find it in PATH. Remove the space.',
      )
    }
  } else if (plus && suffix !== 'auto' && suffix !== 'path') {
    fail(`invalid GOTOOLCHAIN ${quoted}: only version suffixes are +auto and +path`, 'Write local+auto or local+path.')
  }
  return { value, warnings }
}

/** gover.FromToolchain: the Go version a toolchain name stands for, or undefined */
function versionOfToolchain(name: string): string | undefined {
  if (/[\\/]/.test(name) || !name.startsWith('go')) return undefined
  let version = name.slice(2)
  const custom = version.search(/[ \t-]/)
  if (custom >= 0) version = version.slice(0, custom)
  return parseGoVersion(version) === undefined ? undefined : version
}

interface GoVersion {
  major: string
  minor: string
  patch: string
  kind: string
  pre: string
}

/** internal/gover.Parse: 1, 1.21, 1.21.3, 1.21rc2 …; undefined when malformed */
function parseGoVersion(text: string): GoVersion | undefined {
  const v: GoVersion = { major: '', minor: '', patch: '', kind: '', pre: '' }
  let rest = text
  const cutInt = (): string | undefined => {
    const digits = /^[0-9]+/.exec(rest)?.[0]
    if (digits === undefined || (digits.length > 1 && digits.startsWith('0'))) return undefined
    rest = rest.slice(digits.length)
    return digits
  }
  const major = cutInt()
  if (major === undefined) return undefined
  v.major = major
  if (rest === '') return { ...v, minor: '0', patch: '0' }
  if (!rest.startsWith('.')) return undefined
  rest = rest.slice(1)
  const minor = cutInt()
  if (minor === undefined) return undefined
  v.minor = minor
  if (rest === '') {
    // before Go 1.21 a missing patch meant .0; from 1.21 on, 1.21 is the language version, not a release
    return minor.length < 2 || (minor.length === 2 && minor < '21') ? { ...v, patch: '0' } : v
  }
  if (rest.startsWith('.')) {
    rest = rest.slice(1)
    const patch = cutInt()
    if (patch === undefined || rest !== '') return undefined
    return { ...v, patch }
  }
  const kind = /^[a-z]+/.exec(rest)?.[0]
  if (kind === undefined) return undefined
  v.kind = kind
  rest = rest.slice(kind.length)
  if (rest === '') return v
  const pre = cutInt()
  if (pre === undefined || rest !== '') return undefined
  return { ...v, pre }
}

/** gover.IsLang */
function isLanguageVersion(version: string): boolean {
  const v = parseGoVersion(version)
  return v !== undefined && v.patch === '' && v.kind === '' && v.pre === ''
}
