import { describe, expect, it, test } from '@jest/globals'
import { findAuthSecrets, findUrlSecrets } from '../../../src/secrets/scan.js'

/** each secret as `user / secret` (a credential) or `secret`, sorted and without repeats */
const secrets = (text: string): string[] =>
  [
    ...new Set(findUrlSecrets(text).map((f) => (f.username === undefined ? f.secret : `${f.username} / ${f.secret}`))),
  ].sort()

describe('findUrlSecrets', () => {
  test.each([
    ['https://alice:pw@proxy.corp/go,direct', ['alice / pw', 'alice:pw']],
    ['https://TOKEN123@proxy.corp', ['TOKEN123']],
    // decoded too; short user names and pieces (under MIN_MASKED_LENGTH) are not secrets of their own
    ['https://a%40b:p%2Fw@h|https://c:d@e', ['a%40b / p%2Fw', 'a%40b:p%2Fw', 'a@b / p/w', 'a@b:p/w', 'c / d', 'c:d']],
    ['https://proxy.corp,direct', []],
    ['sum.golang.org https://u:p@mirror.example/sumdb', ['u / p', 'u:p']],
    // whatever the user info holds, it is read up to its last @, and every long enough piece is a secret too
    ['https://bot:Tokabc 9nSecret@host/', ['9nSecret', 'Tokabc', 'bot / Tokabc 9nSecret', 'bot:Tokabc 9nSecret']],
    ['https://bot:Tokabc\n9nSecret@host/', ['9nSecret', 'Tokabc', 'bot / Tokabc\n9nSecret', 'bot:Tokabc\n9nSecret']],
    [`https://bot:"quoted'Secret"@host/`, [`bot / "quoted'Secret"`, `bot:"quoted'Secret"`, 'Secret', 'quoted']],
    ['https://deploy:pa@ss-w0rd@host', ['deploy', 'deploy / pa@ss-w0rd', 'deploy:pa@ss-w0rd', 'ss-w0rd']],
    ['https://deploy:pa:ss-w0rd@host', ['deploy', 'deploy / pa:ss-w0rd', 'deploy:pa:ss-w0rd', 'ss-w0rd']],
    ['https://u:pa,ss-w0rd@host,direct', ['ss-w0rd', 'u / pa,ss-w0rd', 'u:pa,ss-w0rd']],
    // without a scheme (Go adds https:// to a GOPROXY entry), only the entry that holds the @
    ['proxy.golang.org,tok3n-abc@corp.example', ['tok3n-abc']],
    ['tok3n@corp.example', ['tok3n']],
  ])('%j', (text, expected) => {
    expect(secrets(text)).toEqual([...expected].sort())
  })

  it('keeps the whole URL, for masking as written', () => {
    expect(findUrlSecrets('direct|https://bot:T0k en@h.example/path,off')[0]?.url).toBe(
      'https://bot:T0k en@h.example/path',
    )
  })

  it('takes few pieces from a user info of thousands of words: the whole is the secret', () => {
    const words = Array.from({ length: 5000 }, (_, i) => `word-${i}`).join(' ')
    expect(findUrlSecrets(`https://u:${words}@host`).length).toBeLessThan(50)
  })
})

describe('findAuthSecrets', () => {
  it('finds the third field of plain lines and the password of netrc lines, also in malformed input', () => {
    const found = findAuthSecrets(
      'h1 u1 s1\n# comment\nmachine h2 login u2 password s2\nh3 lonely\nh4 u4 my pass-words',
    )
    // a word of a secret with spaces is masked on its own only when long enough not to be an ordinary word
    expect(found.map((f) => f.secret)).toEqual(['s1', 's2', 'lonely', 'my pass-words', 'pass-words'])
    expect(found.find((f) => f.secret === 's2')?.username).toBe('u2')
  })
})
