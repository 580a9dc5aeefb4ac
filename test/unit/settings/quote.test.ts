import { describe, expect, test } from '@jest/globals'
import { quoteValue, redactPart, redactUserinfo } from '../../../src/settings/quote.js'

describe('redactUserinfo', () => {
  test.each([
    ['https://proxy.example,direct', 'https://proxy.example,direct'],
    ['https://u:p@proxy.example/go', 'https://***@proxy.example/go'],
    // Go takes the user info up to the last @
    ['https://u:p@ss@proxy.example', 'https://***@proxy.example'],
    // without a scheme, Go may still add https://
    ['tok3n@localhost', '***@localhost'],
    // each URL of a list keeps what is not user info
    ['https://a.example,https://u:p@b.example|direct', 'https://a.example,https://***@b.example|direct'],
    ['ftp://b,https://u:p@a', 'ftp://b,https://***@a'],
    // a password holding a comma spans two list entries
    ['https://u:pa,ss@proxy.example', 'https://***@proxy.example'],
    ['sum.golang.org https://u:p@mirror.example', 'sum.golang.org https://***@mirror.example'],
    ['https://proxy.example/path@v1', 'https://***@v1'],
  ])('%j', (value, expected) => {
    expect(redactUserinfo(value)).toBe(expected)
  })
})

describe('redactPart', () => {
  test.each([
    // a piece cut from a password (at `,`, `#`, `+` …) is hidden whole
    ['https://u:pa', 'https://u:pa,ss@proxy.example', '***'],
    [':pa', 'https://u:pa#ss@proxy.example', '***'],
    // an entry next to one with credentials is shown
    ['https://a.example', 'https://a.example,https://u:p@b.example', 'https://a.example'],
    ['https://u:p@b.example', 'https://a.example,https://u:p@b.example', 'https://***@b.example'],
    ['go1.22', 'go1.22+auto', 'go1.22'],
  ])('%j of %j', (part, whole, expected) => {
    expect(redactPart(part, whole)).toBe(expected)
    expect(quoteValue(part, whole)).toBe(`'${expected}'`)
  })
})
