import { describe, expect, it, test } from '@jest/globals'
import { InputError } from '../../../src/settings/errors.js'
import { parseGoproxy } from '../../../src/settings/goproxy.js'

// The "go would stop … with: <text>" parts below were checked against go1.26.8: `go mod download` in a throwaway
// module, in a network namespace with no network, GOPROXY set to the value (see the report of task b).

describe('parseGoproxy: valid lists', () => {
  test.each([
    [
      'https://proxy.golang.org,direct',
      'https://proxy.golang.org,direct',
      [['url', 'https://proxy.golang.org', ','], ['direct']],
    ],
    ['direct', 'direct', [['direct']]],
    ['off', 'off', [['off']]],
    // the separator after an entry is kept with it
    [
      'https://a.example|https://b.example,direct',
      'https://a.example|https://b.example,direct',
      [['url', 'https://a.example', '|'], ['url', 'https://b.example', ','], ['direct']],
    ],
    // Go trims each element and skips empty ones
    ['  https://a.example , ,direct  ', 'https://a.example,direct', [['url', 'https://a.example', ','], ['direct']]],
    // implicit https:// for anything with . : or / that is not a URL or an absolute path
    ['proxy.corp.example:8443', 'https://proxy.corp.example:8443', [['url', 'https://proxy.corp.example:8443']]],
    ['localhost:3000/go', 'https://localhost:3000/go', [['url', 'https://localhost:3000/go']]],
    ['goproxy.cn,direct', 'https://goproxy.cn,direct', [['url', 'https://goproxy.cn', ','], ['direct']]],
    // schemes are case-insensitive; the text is kept as written
    ['HTTPS://Proxy.Example', 'HTTPS://Proxy.Example', [['url', 'HTTPS://Proxy.Example']]],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080', [['url', 'http://127.0.0.1:8080']]],
    ['file:///srv/goproxy,off', 'file:///srv/goproxy,off', [['url', 'file:///srv/goproxy', ','], ['off']]],
    ['https://[::1]:8443/x', 'https://[::1]:8443/x', [['url', 'https://[::1]:8443/x']]],
    // a trailing separator has nothing after it: the last entry carries none
    ['https://a.example|', 'https://a.example', [['url', 'https://a.example']]],
    // line breaks separate like commas, unless a separator already stands at the break
    [
      'https://a.example\nhttps://b.example\ndirect\n',
      'https://a.example,https://b.example,direct',
      [['url', 'https://a.example', ','], ['url', 'https://b.example', ','], ['direct']],
    ],
    [
      'https://a.example|\r\n  https://b.example\n\n  |direct',
      'https://a.example|https://b.example|direct',
      [['url', 'https://a.example', '|'], ['url', 'https://b.example', '|'], ['direct']],
    ],
  ])('%j', (raw, value, entries) => {
    const result = parseGoproxy(raw)
    expect(result.value.value).toBe(value)
    expect(result.value.entries.map((e) => [e.kind, e.url, e.separator].filter((x) => x !== undefined))).toEqual(
      entries,
    )
    expect(result.credentials).toEqual([])
    expect(result.warnings).toEqual([])
  })
})

describe('parseGoproxy: what Go refuses', () => {
  test.each([
    ['myproxy', 'invalid proxy URL missing scheme: myproxy'],
    ['/srv/goproxy', 'invalid proxy URL missing scheme: /srv/goproxy'],
    ['https://a.example,noproxy', 'invalid proxy URL missing scheme: noproxy'],
    [',', 'GOPROXY list is not the empty string, but contains no entries'],
    [' | , ', 'GOPROXY list is not the empty string, but contains no entries'],
    ['ftp://mirror.example', 'invalid proxy URL scheme (must be https, http, file): ftp://mirror.example'],
    ['file://host/srv', 'invalid file:// proxy URL with non-path elements: file://host/srv'],
    ['file:/srv/goproxy', 'invalid file:// proxy URL with non-path elements: file:/srv/goproxy'],
    ['file:///srv/goproxy?x', 'invalid file:// proxy URL with non-path elements: file:///srv/goproxy?x'],
    ['https://a b', 'parse "https://a b": invalid character " " in host name'],
    ['https://[::1', `parse "https://[::1": missing ']' in host`],
    ['https://[127.0.0.1]', 'parse "https://[127.0.0.1]": invalid IP-literal'],
    ['https://h%41', 'parse "https://h%41": invalid URL escape "%41"'],
    ['https://h/%zz', 'parse "https://h/%zz": invalid URL escape "%zz"'],
    ['https://h:80:90', 'parse "https://h:80:90": invalid port ":80:90" after host'],
    // Go adds https:// to file:tmp (no ":/"), then fails on the port
    ['file:tmp', 'parse "https://file:tmp": invalid port ":tmp" after host'],
    ['https://', 'http: no Host in request URL'],
    ['http:/x', 'http: no Host in request URL'],
    ['https://h:99999', 'dial tcp: address 99999: invalid port'],
    ['http://user:secret@proxy.example', 'refusing to pass credentials to insecure URL: http://***@proxy.example'],
  ])('%j', (raw, goText) => {
    let error: unknown
    try {
      parseGoproxy(raw)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(InputError)
    const message = (error as InputError).message
    expect(message).toContain("Input 'goproxy'")
    expect(message).toContain(goText)
    expect(message).not.toContain('secret')
  })

  it('refuses an empty value, pointing at the default', () => {
    expect(() => parseGoproxy('')).toThrow(/empty.*https:\/\/proxy\.golang\.org,direct/)
  })

  it('names the input it was given', () => {
    expect(() => parseGoproxy('myproxy', 'preset')).toThrow("Input 'preset'")
  })
})

describe('parseGoproxy: entries after direct or off', () => {
  it('drops them from the value, as Go ignores them, and warns', () => {
    const result = parseGoproxy('https://a.example,direct,https://b.example|off')
    expect(result.value.value).toBe('https://a.example,direct')
    expect(result.warnings).toHaveLength(1)
    expect(result.warnings[0]).toContain("'https://b.example, off' after 'direct' are ignored by Go")
  })

  it('does not validate them, as Go never reads them', () => {
    expect(parseGoproxy('off,not a url').value.value).toBe('off')
  })

  it('keeps credentials of an ignored entry out of the warning', () => {
    const result = parseGoproxy('direct,https://u:hunter2@b.example')
    expect(result.warnings.join('\n')).not.toContain('hunter2')
    expect(result.credentials).toEqual([])
  })
})

describe('parseGoproxy: credentials', () => {
  it('lifts user info out of an https URL', () => {
    const result = parseGoproxy('https://alice:s3cr%40t@Proxy.Example:8443/go,direct')
    expect(result.value.value).toBe('https://Proxy.Example:8443/go,direct')
    expect(result.value.entries[0]?.url).toBe('https://Proxy.Example:8443/go')
    expect(result.credentials).toEqual([
      { host: 'proxy.example:8443', username: 'alice', secret: 's3cr@t', origin: 'goproxy' },
    ])
    expect(result.warnings).toEqual([])
  })

  it('takes the user info up to the last @, as Go does', () => {
    const result = parseGoproxy('https://alice:p@ss@proxy.example')
    expect(result.credentials[0]).toMatchObject({ username: 'alice', secret: 'p@ss', host: 'proxy.example' })
    expect(result.value.value).toBe('https://proxy.example')
  })

  it('lifts credentials from an entry Go completes with https://', () => {
    const result = parseGoproxy('bob:tok@proxy.example')
    expect(result.value.value).toBe('https://proxy.example')
    expect(result.credentials[0]).toMatchObject({ host: 'proxy.example', username: 'bob', secret: 'tok' })
  })

  it('treats a lone token before @ as the secret, and says how it is written', () => {
    const result = parseGoproxy('https://ghp_abcdef123456@proxy.example')
    expect(result.credentials).toEqual([
      { host: 'proxy.example', username: 'ghp_abcdef123456', secret: 'ghp_abcdef123456', origin: 'goproxy' },
    ])
    expect(result.warnings).toHaveLength(1)
    expect(result.warnings[0]).not.toContain('ghp_abcdef123456')
    expect(result.warnings[0]).toContain('empty password')
  })

  it('drops an empty port from the credential host', () => {
    expect(parseGoproxy('https://u:p@proxy.example:').credentials[0]?.host).toBe('proxy.example')
  })

  it('refuses user info without a user name, which a netrc file cannot hold', () => {
    expect(() => parseGoproxy('https://:tok@proxy.example')).toThrow(/without a user name/)
  })

  it('refuses percent-encoded user info that is not UTF-8', () => {
    expect(() => parseGoproxy('https://u:%ff%fe@proxy.example')).toThrow(/not valid UTF-8/)
  })

  it('refuses a percent-encoded line break or space in the credential, which would break the netrc file', () => {
    expect(() => parseGoproxy('https://u:p%0Amachine%20evil.example@proxy.example')).toThrow(
      /white space or a control character/,
    )
    expect(() => parseGoproxy('https://u:p%00x@proxy.example')).toThrow(/white space or a control character/)
  })

  it('never shows a bad escape inside the password (Go quotes it)', () => {
    expect(() => parseGoproxy('https://u:pa%zzss@proxy.example')).toThrow(/invalid URL escape in the user info/)
    expect(() => parseGoproxy('https://u:pa%zzss@proxy.example')).not.toThrow(/zz/)
  })

  it('keeps the password out of parse errors Go would print in full', () => {
    // go1.26.8 prints: parse "https://u:p@a:b:c": invalid port ":b:c" after host
    expect(() => parseGoproxy('https://u:hunter2@a:b:c')).toThrow(
      'parse "https://***@a:b:c": invalid port ":b:c" after host',
    )
  })

  it('keeps a token out of the missing-scheme error Go would print in full', () => {
    // go1.26.8 prints: invalid proxy URL missing scheme: tok@localhost
    expect(() => parseGoproxy('tok3n@localhost')).toThrow('invalid proxy URL missing scheme: ***@localhost')
    expect(() => parseGoproxy('tok3n@localhost')).not.toThrow(/tok3n/)
  })
})
