import { describe, expect, it } from '@jest/globals'
import { findAuthSecrets, findUrlSecrets } from '../../../src/secrets/scan.js'

describe('findUrlSecrets', () => {
  it.each([
    ['https://alice:pw@proxy.corp/go,direct', [{ username: 'alice', secret: 'pw' }]],
    ['https://TOKEN123@proxy.corp', [{ secret: 'TOKEN123' }]],
    [
      'https://a%40b:p%2Fw@h|https://c:d@e',
      [
        { username: 'a%40b', secret: 'p%2Fw' },
        { username: 'a@b', secret: 'p/w' },
        { username: 'c', secret: 'd' },
      ],
    ],
    ['https://proxy.corp,direct', []],
  ])('%s', (text, expected) => {
    expect(
      findUrlSecrets(text).map(({ username, secret }) => (username === undefined ? { secret } : { username, secret })),
    ).toEqual(expected)
  })
})

describe('findAuthSecrets', () => {
  it('finds the third field of plain lines and the password of netrc lines, also in malformed input', () => {
    const found = findAuthSecrets('h1 u1 s1\n# comment\nmachine h2 login u2 password s2\nh3 lonely\nh4 u4 two words')
    expect(found.map((f) => f.secret)).toEqual(['s1', 's2', 'lonely', 'two words', 'two', 'words'])
  })
})
