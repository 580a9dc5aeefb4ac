import { isIP } from 'node:net'
import { InputError } from './errors.js'
import { containsControlCharacter, goFields } from './go-strings.js'
import type { Credential } from './types.js'

const LINE_FORM = 'HOST USERNAME SECRET'
const NETRC_FORM = 'machine HOST login USERNAME password SECRET'
const ENTRY_WORDS = new Set(['login', 'password', 'account'])

/**
 * Reads the `auth` input: credentials one per line as `HOST USERNAME SECRET`, or in netrc syntax
 * (`machine HOST login USERNAME password SECRET`, an entry possibly spread over several lines, several entries).
 * Both forms may be mixed: a line starting with `machine` opens a netrc entry, which continues on following lines
 * that start with `login`, `password` or `account`. Blank lines and lines starting with `#` are ignored.
 *
 * Messages name the line but never show a field of it: a field in the wrong place may be the secret.
 */
export function parseAuthLines(raw: string, input = 'auth'): Credential[] {
  const lines = raw.split(/\r?\n/)
  const credentials: Credential[] = []
  const fail = (line: number, message: string): never => {
    throw new InputError(input, `line ${line}: ${message}`)
  }
  let entry: NetrcEntry | undefined
  const closeEntry = (): void => {
    if (entry === undefined) return
    credentials.push(finishEntry(entry, input, fail))
    entry = undefined
  }

  for (const [index, text] of lines.entries()) {
    const line = index + 1
    const words = goFields(text)
    const first = words[0]
    if (first === undefined || first.startsWith('#')) continue
    if (containsControlCharacter(words.join(''))) {
      fail(line, 'holds a control character, which a netrc file cannot carry (the line is not shown). Remove it.')
    }
    if (first === 'default' || first === 'macdef') {
      fail(
        line,
        `'${first}' entries are not supported (Go never uses a netrc default entry, and macros do nothing for it). ` +
          `Write one '${NETRC_FORM}' entry per host.`,
      )
    }
    if (first === 'machine') {
      closeEntry()
      entry = { line, fields: {} }
      readPairs(entry, words, line, fail)
      continue
    }
    if (ENTRY_WORDS.has(first)) {
      if (entry === undefined) {
        fail(line, `'${first}' appears before any 'machine HOST'. Start each netrc entry with machine HOST.`)
      }
      readPairs(entry as NetrcEntry, words, line, fail)
      continue
    }
    closeEntry()
    if (words.length !== 3) {
      fail(
        line,
        `has ${words.length} field${words.length === 1 ? '' : 's'} where 3 are needed (the line is not shown: it may ` +
          `hold a secret). Write ${LINE_FORM}, separated by spaces, or ${NETRC_FORM}.`,
      )
    }
    const [host, username, secret] = words as [string, string, string]
    credentials.push({ host: checkHost(host, line, fail), username, secret, origin: `${input} line ${line}` })
  }
  closeEntry()
  return credentials
}

interface NetrcEntry {
  /** the line of its `machine` word */
  line: number
  fields: Partial<Record<'machine' | 'login' | 'password' | 'account', { value: string; line: number }>>
}

function readPairs(
  entry: NetrcEntry,
  words: string[],
  line: number,
  fail: (line: number, message: string) => never,
): void {
  for (let i = 0; i < words.length; i += 2) {
    const key = words[i] as string
    const value = words[i + 1]
    if (key !== 'machine' && !ENTRY_WORDS.has(key)) {
      fail(
        line,
        `a netrc entry holds a word that is not machine, login, password or account (not shown: it may be a secret). ` +
          `Write ${NETRC_FORM}.`,
      )
    }
    const known = key as keyof NetrcEntry['fields']
    if (value === undefined) fail(line, `'${key}' has no value. Write ${NETRC_FORM}.`)
    if (entry.fields[known] !== undefined) {
      fail(line, `the entry that starts on line ${entry.line} has '${key}' twice. Give each entry one ${key}.`)
    }
    entry.fields[known] = { value: value as string, line }
  }
}

function finishEntry(entry: NetrcEntry, input: string, fail: (line: number, message: string) => never): Credential {
  const { machine, login, password } = entry.fields
  const host = checkHost((machine as { value: string }).value, entry.line, fail)
  if (login === undefined || password === undefined) {
    const missing = login === undefined ? 'login' : 'password'
    fail(
      entry.line,
      `the entry for ${host} has no ${missing}. Go ignores netrc entries without both a login and a password; ` +
        `write ${NETRC_FORM}.`,
    )
  }
  return {
    host,
    username: (login as { value: string }).value,
    secret: (password as { value: string }).value,
    origin: `${input} line ${entry.line}`,
  }
}

/** host or host:port, as Go's netrc lookup compares it with the URL's host; lower-cased */
function checkHost(host: string, line: number, fail: (line: number, message: string) => never): string {
  if (host.includes('://')) {
    fail(
      line,
      'HOST is a URL (it has a scheme). Write only the host name, with :port if the URL has one, e.g. git.example.com.',
    )
  }
  if (host.includes('@'))
    fail(line, 'HOST contains user info (@). Write only the host name; the user name is the next field.')
  if (host.includes('/'))
    fail(
      line,
      'HOST contains a path (/). Write only the host name, with :port if needed; credentials apply to the whole host.',
    )
  const bracketed = /^\[([^\]]+)\](?::([0-9]+))?$/.exec(host)
  const plain = /^([A-Za-z0-9._-]+)(?::([0-9]+))?$/.exec(host)
  const match = bracketed ?? plain
  const name = match?.[1]
  const port = match?.[2]
  const valid =
    name !== undefined &&
    (bracketed === null ? !name.startsWith('.') && !name.startsWith('-') : isIP(name) === 6) &&
    (port === undefined || (Number(port) >= 1 && Number(port) <= 65535))
  if (!valid) {
    fail(
      line,
      'HOST is not a host name (letters, digits, dots and dashes, with an optional :port from 1 to 65535, or [IPv6]:port). ' +
        'Write it like git.example.com or proxy.example.com:8443.',
    )
  }
  return host.toLowerCase()
}
