import { describe, expect, it, test } from '@jest/globals'
import { InputError } from '../../../src/settings/errors.js'
import { matchPrefixPatterns, parsePatternList } from '../../../src/settings/patterns.js'

describe('matchPrefixPatterns agrees with golang.org/x/mod/module.MatchPrefixPatterns', () => {
  // Expectations printed by a throwaway Go program (outside this repository) that read these cases and printed
  // module.MatchPrefixPatterns(strings.Join(patterns, ","), target) with golang.org/x/mod v0.42.0 and go1.26.8.
  // A differential run of 20,000 random cases (and 30,000 for path.Match alone) found no disagreement.
  const fromGo: [string[], string, boolean][] = [
    [['rsc.io/private'], 'rsc.io/private/quux', true],
    [['rsc.io/private'], 'rsc.io/private', true],
    [['rsc.io/private'], 'rsc.io/privateer', false],
    [['rsc.io/private'], 'rsc.io', false],
    [['*.corp.example.com'], 'git.corp.example.com/x/y', true],
    [['*.corp.example.com'], 'corp.example.com/x', false],
    [['*.example.com'], 'a.b.example.com/x', true],
    [['github.com/org/*'], 'github.com/org/repo/sub', true],
    [['github.com/org/*'], 'github.com/org', false],
    [['github.com/*/private'], 'github.com/acme/private/x', true],
    [['github.com/*/private'], 'github.com/acme/public/private', false],
    [['github.com/'], 'github.com/x', true],
    [['github.com//'], 'github.com/x', false],
    [['github.com//'], 'github.com//x', true],
    [['example.com/foo/'], 'example.com/foo/bar', true],
    [['/'], 'x', false],
    [['/a'], '/a/b', true],
    [[''], 'a', false],
    [[',,'], 'a', false],
    [['*'], 'anything/else', true],
    [['*'], '', true],
    [['**'], 'abc', true],
    [['*/*'], 'a/b/c', true],
    [['*/*'], 'a', false],
    [['[', 'example.com'], 'example.com/x', true],
    [['['], '[', false],
    [['a[b-d]c.com'], 'acc.com', true],
    [['a[b-d]c.com'], 'aec.com', false],
    [['a[^b]c.com'], 'acc.com', true],
    [['a[^b]c.com'], 'abc.com', false],
    [['a[\\]]c'], 'a]c', true],
    [['a\\*c'], 'a*c', true],
    [['a\\*c'], 'abc', false],
    [['a?c'], 'abc', true],
    [['a?c'], 'a/c', false],
    [[' b.com'], 'b.com/x', false],
    [['B.com'], 'b.com', false],
    [['ex*le.com'], 'example.com/x', true],
    [['é.com'], 'é.com/x', true],
    [['?.com'], 'é.com', true],
    [['[à-ê].com'], 'é.com', true],
    [['a.com', 'b.com'], 'b.com/x', true],
    [['a.com,b.com'], 'b.com/x', true],
    [['a*b*c'], 'axxbyyc', true],
    [['a*b*c'], 'axxbyy', false],
    [['[]a]'], ']', false],
    [['[a-]'], 'a', false],
    [['\\'], '\\', false],
    [['x\\'], 'x', false],
    [['a*['], 'abc', false],
    [['*x'], 'axbx', true],
    [['gopkg.in/*'], 'gopkg.in/yaml.v3', true],
    [['golang.org/x'], 'golang.org/x/mod', true],
    [['golang.org/x/'], 'golang.org/xerrors', false],
    [['*.*'], 'localhost/x', false],
    [['[a-c][x-z]'], 'by/z', true],
  ]
  test.each(fromGo)('%j matching %j is %s', (patterns, target, expected) => {
    expect(matchPrefixPatterns(patterns, target)).toBe(expected)
  })
})

describe('parsePatternList: accepted lists', () => {
  test.each([
    ['github.com/acme', ['github.com/acme'], []],
    ['github.com/acme,*.corp.example.com', ['github.com/acme', '*.corp.example.com'], []],
    ['github.com/acme\n*.corp.example.com\n', ['github.com/acme', '*.corp.example.com'], []],
    ['  github.com/acme\r\n\n  gitlab.example.com/group/  ', ['github.com/acme', 'gitlab.example.com/group/'], []],
    ['a.com,,b.com', ['a.com', 'b.com'], []],
    ['none', ['none'], []],
    ['a.com, b.com', ['a.com', 'b.com'], ['spaces next to commas were removed']],
    ['a.com ,b.com', ['a.com', 'b.com'], ['spaces next to commas were removed']],
    ['/,a.com', ['/', 'a.com'], ["the pattern '/' is empty once Go drops its trailing '/'"]],
    ['https://github.com/acme', ['https://github.com/acme'], ['looks like a URL or a git address']],
    ['git@github.com:acme', ['git@github.com:acme'], ['looks like a URL or a git address']],
    // many alike are named in one warning, a few of them
    [
      'a.com:1,b.com:2,c.com:3,d.com:4,e.com:5',
      ['a.com:1', 'b.com:2', 'c.com:3', 'd.com:4', 'e.com:5'],
      ["the patterns 'a.com:1', 'b.com:2', 'c.com:3' and 2 more look like a URL or a git address"],
    ],
  ])('%j', (raw, patterns, warnings) => {
    const result = parsePatternList(raw, 'goprivate')
    expect(result.value.patterns).toEqual(patterns)
    expect(result.value.value).toBe(patterns.join(','))
    expect(result.warnings).toHaveLength(warnings.length)
    warnings.forEach((w, i) => expect(result.warnings[i]).toContain(w))
  })

  it('exports a list that matches exactly where the parsed patterns do', () => {
    const { value } = parsePatternList('github.com/acme\n*.corp.example.com', 'gonosumdb')
    expect(matchPrefixPatterns(value.value.split(','), 'git.corp.example.com/lib')).toBe(true)
    expect(matchPrefixPatterns(value.patterns, 'github.com/acmeco/lib')).toBe(false)
  })
})

describe('parsePatternList: refused lists', () => {
  test.each([
    ['[', "'[' is not a valid pattern: Go's path.Match rejects it (syntax error in pattern)"],
    ['a.com,[a-]', "'[a-]' is not a valid pattern"],
    ['x\\', "'x\\' is not a valid pattern"],
    ['a.com b.com', "'a.com b.com' contains white space"],
    // a tab is white space to Go, kept inside the pattern
    ['a.com\tb.com', "'a.com\\tb.com' contains white space"],
    // module paths hold no control character, so Go would never match these (checked with go1.26.8:
    // GOPRIVATE=$'example.com\x01' GOPROXY=off fails with "module lookup disabled by GOPROXY=off", as for a public module)
    ['corp.example\x01', "'corp.example\\x01' holds a control character (U+0001) at character 13 of the pattern"],
    ['a.com,corp\x1b[0m.example', 'holds a control character (U+001B) at character 5 of the pattern'],
    ['corp.example\x7f', 'holds a control character (U+007F) at character 13'],
    ['corp.example\x00', 'holds a NUL character (U+0000) at character 13'],
    ['corp.example\u0085x', 'contains white space'],
    [',', 'holds no pattern'],
    ['\n\n', 'holds no pattern'],
  ])('%j', (raw, text) => {
    expect(() => parsePatternList(raw, 'gonoproxy')).toThrow(InputError)
    expect(() => parsePatternList(raw, 'gonoproxy')).toThrow(text)
    expect(() => parsePatternList(raw, 'gonoproxy')).toThrow("Input 'gonoproxy'")
  })
})
