import { describe, expect, it, test } from '@jest/globals'
import { InputError } from '../../../src/settings/errors.js'
import { parseGosumdb, SUM_GOLANG_ORG_KEY } from '../../../src/settings/gosumdb.js'

// Keys made by a throwaway Go program with golang.org/x/mod/sumdb/note (GenerateKey for the valid one; the others
// hashed as note does, wrong in one way each). Each was then given to go1.26.8 as GOSUMDB (`go mod download` with
// no network and a local file proxy); the Go texts below are what it printed.
const VALID = 'sum.example.com/db+51d154e3+AVAWHNaXq64Uw+TYs5+BKFgcd6n/7wYGz6oM1ZAjr9Fi'
const ALGORITHM_2 = 'sum.example.com+51ed9a2f+AgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'
const KEY_31_BYTES = 'sum.example.com+c57b3193+AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='
const NAME_WITH_SLASH = 'sum.example.com/+f51b27e0+AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'
const NAME_WITH_QUERY = 'sum.example.com?x+06ba4b1f+AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'
const NAME_WITH_USER = 'u@sum.example.com+807b0cf5+AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'
const NAME_WITH_PORT = 'sum.example.com:8443+662d1f83+AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'

/** The message of the InputError parseGosumdb throws for `raw`; fails the test when it throws nothing else. */
function refusal(raw: string): string {
  try {
    parseGosumdb(raw)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return (error as InputError).message
  }
  throw new Error(`parseGosumdb accepted ${JSON.stringify(raw)}`)
}

describe('parseGosumdb: accepted values', () => {
  test.each([
    ['sum.golang.org', { value: 'sum.golang.org', name: 'sum.golang.org', verifierKey: SUM_GOLANG_ORG_KEY }],
    [SUM_GOLANG_ORG_KEY, { value: SUM_GOLANG_ORG_KEY, name: 'sum.golang.org', verifierKey: SUM_GOLANG_ORG_KEY }],
    // Go rewrites exactly this value to sum.golang.org https://sum.golang.google.cn
    [
      'sum.golang.google.cn',
      { value: 'sum.golang.google.cn', name: 'sum.golang.org', url: 'https://sum.golang.google.cn' },
    ],
    [
      'sum.golang.org https://goproxy.cn/sumdb/sum.golang.org',
      {
        value: 'sum.golang.org https://goproxy.cn/sumdb/sum.golang.org',
        url: 'https://goproxy.cn/sumdb/sum.golang.org',
      },
    ],
    [VALID, { value: VALID, name: 'sum.example.com/db', verifierKey: VALID }],
    [NAME_WITH_PORT, { name: 'sum.example.com:8443' }],
    [`${VALID} https://127.0.0.1:8443/sumdb`, { url: 'https://127.0.0.1:8443/sumdb', name: 'sum.example.com/db' }],
    // fields split at spaces and tabs, joined by one space for export; white space around the value is dropped
    [
      '  sum.golang.org \t https://mirror.example/sumdb/sum.golang.org\n',
      { value: 'sum.golang.org https://mirror.example/sumdb/sum.golang.org' },
    ],
    // Go fetches a URL without a scheme over https
    [
      'sum.golang.org mirror.example/sumdb',
      { value: 'sum.golang.org https://mirror.example/sumdb', url: 'https://mirror.example/sumdb' },
    ],
    ['sum.golang.org http://127.0.0.1:8080', { url: 'http://127.0.0.1:8080' }],
    ['sum.golang.org file:///srv/sumdb', { url: 'file:///srv/sumdb' }],
  ])('%j', (raw, expected) => {
    const result = parseGosumdb(raw)
    expect(result.value).toMatchObject({ off: false, ...expected })
    expect(result.credentials).toEqual([])
    expect(result.warnings).toEqual([])
  })

  it('reads off, and warns about what it turns off', () => {
    const result = parseGosumdb(' off\n')
    expect(result.value).toEqual({ value: 'off', off: true, name: '', verifierKey: '' })
    expect(result.warnings[0]).toContain('toolchain downloads')
  })
})

describe('parseGosumdb: what Go refuses', () => {
  test.each([
    ['a b c', 'invalid GOSUMDB: too many fields'],
    ['goproxy.cn', 'invalid GOSUMDB: malformed verifier id'],
    ['OFF', "malformed verifier id. Did you mean 'off'?"],
    // the China alias works only alone
    ['sum.golang.google.cn https://sum.golang.google.cn', 'invalid GOSUMDB: malformed verifier id'],
    ['sum.example.com+51d154e3+AVAWHNaXq64Uw+TYs5+BKFgcd6n/7wYGz6oM1ZAjr9F', 'invalid GOSUMDB: malformed verifier id'],
    ['sum.example.com+5154e3+AVAWHNaXq64Uw+TYs5+BKFgcd6n/7wYGz6oM1ZAjr9Fi', 'invalid GOSUMDB: malformed verifier id'],
    [
      KEY_31_BYTES,
      'holds a key of 31 bytes instead of 32: go would stop every checksum lookup with: invalid GOSUMDB: malformed verifier id',
    ],
    ['sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn9', 'invalid GOSUMDB: invalid verifier hash'],
    ['sum.golang.org+033de0af+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8', 'invalid GOSUMDB: invalid verifier hash'],
    [ALGORITHM_2, 'invalid GOSUMDB: unknown verifier algorithm'],
    [NAME_WITH_SLASH, 'invalid sumdb name (must be host[/path]): sum.example.com/'],
    [NAME_WITH_QUERY, 'invalid sumdb name (must be host[/path]): sum.example.com?x'],
    [NAME_WITH_USER, 'invalid sumdb name (must be host[/path]): ***@sum.example.com'],
    [
      'sum.golang.org 127.0.0.1:1',
      'invalid GOSUMDB URL: parse "127.0.0.1:1": first path segment in URL cannot contain colon',
    ],
    [
      'sum.golang.org https://127.0.0.1:1/x%zz',
      'invalid GOSUMDB URL: parse "https://127.0.0.1:1/x%zz": invalid URL escape "%zz"',
    ],
    ['sum.golang.org ftp://127.0.0.1:1', 'unsupported scheme: ftp://127.0.0.1:1/lookup/…'],
    ['sum.golang.org https://', 'http: no Host in request URL'],
    [
      'sum.golang.org http://u:hunter2@127.0.0.1:1',
      'refusing to pass credentials to insecure URL: http://***@127.0.0.1:1/lookup/…',
    ],
  ])('%j', (raw, goText) => {
    const message = refusal(raw)
    expect(message).toContain("Input 'gosumdb'")
    expect(message).toContain(goText)
    expect(message).not.toContain('hunter2')
  })

  // Go compares the whole value with off before splitting it (checked with go1.26.8: GOSUMDB=$'off\nhttps://…' gives
  // "verifying go.mod: invalid GOSUMDB: malformed verifier id"); the message never proposes the value just given
  test.each([
    ['off\nhttps://127.0.0.1:1', 'holds a line feed (U+000A) at character 4'],
    ['sum.golang.org\nhttps://mirror.example/sumdb', 'holds a line feed (U+000A) at character 15'],
    ['sum.golang.org\x00', 'holds a NUL character (U+0000) at character 15'],
    [
      'off https://127.0.0.1:1',
      'names a database called off: go would stop every checksum lookup with: invalid GOSUMDB: malformed verifier id. Go turns the checksum database off only when the whole value is off',
    ],
  ])('refuses %j without a "Did you mean"', (raw, text) => {
    const message = refusal(raw)
    expect(message).toContain("Input 'gosumdb'")
    expect(message).toContain(text)
    expect(message).not.toContain('Did you mean')
  })

  it('refuses an empty value, pointing at the default', () => {
    expect(() => parseGosumdb('  ')).toThrow(/empty.*sum\.golang\.org/)
  })
})

describe('parseGosumdb: credentials in the URL', () => {
  it('lifts them into credentials and exports the URL without them', () => {
    const result = parseGosumdb('sum.golang.org https://ci:p%2Fss@Mirror.Example:8443/sumdb/sum.golang.org', 'preset')
    expect(result.value.value).toBe('sum.golang.org https://Mirror.Example:8443/sumdb/sum.golang.org')
    expect(result.value.url).toBe('https://Mirror.Example:8443/sumdb/sum.golang.org')
    expect(result.credentials).toEqual([
      { host: 'mirror.example:8443', username: 'ci', secret: 'p/ss', origin: 'preset' },
    ])
  })

  it('treats a lone token as the secret', () => {
    const result = parseGosumdb('sum.golang.org https://tok3n@mirror.example')
    expect(result.credentials[0]).toMatchObject({ username: 'tok3n', secret: 'tok3n' })
    expect(result.warnings.join()).not.toContain('tok3n')
  })
})
