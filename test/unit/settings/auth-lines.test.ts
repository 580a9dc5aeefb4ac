import { describe, expect, it, test } from '@jest/globals'
import { parseAuthLines } from '../../../src/settings/auth-lines.js'
import { InputError } from '../../../src/settings/errors.js'

describe('parseAuthLines: accepted input', () => {
  it('reads HOST USERNAME SECRET lines, skipping blank lines and comments', () => {
    const raw = '# private proxy\nProxy.Example:8443 ci s3cret\n\n  git.example.com  oauth2   tok-en  \r\n'
    expect(parseAuthLines(raw)).toEqual([
      { host: 'proxy.example:8443', username: 'ci', secret: 's3cret', origin: 'auth line 2' },
      { host: 'git.example.com', username: 'oauth2', secret: 'tok-en', origin: 'auth line 4' },
    ])
  })

  it('reads netrc entries, on one line or spread over several', () => {
    const raw = [
      'machine a.example login alice password pa',
      'machine b.example',
      '  login bob',
      '  # a comment inside an entry',
      '  password pb account ignored',
      'machine [::1]:8443 login carol password pc',
    ].join('\n')
    expect(parseAuthLines(raw, 'auth')).toEqual([
      { host: 'a.example', username: 'alice', secret: 'pa', origin: 'auth line 1' },
      { host: 'b.example', username: 'bob', secret: 'pb', origin: 'auth line 2' },
      { host: '[::1]:8443', username: 'carol', secret: 'pc', origin: 'auth line 6' },
    ])
  })

  it('reads both forms mixed', () => {
    const raw =
      'machine a.example login alice password pa\nb.example bob pb\nmachine c.example\nlogin carol\npassword pc'
    expect(parseAuthLines(raw).map((c) => [c.host, c.username, c.secret])).toEqual([
      ['a.example', 'alice', 'pa'],
      ['b.example', 'bob', 'pb'],
      ['c.example', 'carol', 'pc'],
    ])
  })

  it('returns nothing for blank input', () => {
    expect(parseAuthLines('\n  \n# only a comment\n')).toEqual([])
  })
})

describe('parseAuthLines: refused input never shows the secret', () => {
  const SECRET = 'Zq9-very-secret-Xk2'
  test.each([
    [`git.example.com ${SECRET}`, 'line 1: has 2 fields where 3 are needed'],
    [`\n${SECRET}`, 'line 2: has 1 field where 3 are needed'],
    [`git.example.com ci ${SECRET} extra`, 'line 1: has 4 fields where 3 are needed'],
    [`https://git.example.com ci ${SECRET}`, 'line 1: HOST is a URL (it has a scheme)'],
    [`git.example.com/group ci ${SECRET}`, 'line 1: HOST contains a path (/)'],
    [`ci@git.example.com ci ${SECRET}`, 'line 1: HOST contains user info (@)'],
    [`git.example.com:99999 ci ${SECRET}`, 'line 1: HOST is not a host name'],
    [`git_example!com ci ${SECRET}`, 'line 1: HOST is not a host name'],
    [`machine git.example.com login ci`, 'line 1: the entry for git.example.com has no password'],
    [`machine git.example.com password ${SECRET}`, 'line 1: the entry for git.example.com has no login'],
    [`machine git.example.com login ci pasword ${SECRET}`, 'line 1: a netrc entry holds a word that is not machine'],
    [`machine git.example.com login ci password`, `line 1: 'password' has no value`],
    [
      `machine git.example.com login ci password ${SECRET}\npassword again`,
      "line 2: the entry that starts on line 1 has 'password' twice",
    ],
    [`login ci password ${SECRET}`, "line 1: 'login' appears before any 'machine HOST'"],
    [`default login ci password ${SECRET}`, "line 1: 'default' entries are not supported"],
    [`machine https://git.example.com login ci password ${SECRET}`, 'line 1: HOST is a URL'],
  ])('%j', (raw, text) => {
    let error: unknown
    try {
      parseAuthLines(raw, 'auth')
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(InputError)
    const message = (error as InputError).message
    expect(message).toContain(`Input 'auth': ${text}`)
    expect(message).not.toContain(SECRET)
    expect(message).not.toContain(SECRET.slice(0, 6))
  })
})
