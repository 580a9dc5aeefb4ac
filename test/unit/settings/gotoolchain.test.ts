import { describe, expect, it, test } from '@jest/globals'
import { InputError } from '../../../src/settings/errors.js'
import { parseGotoolchain } from '../../../src/settings/gotoolchain.js'

// Go texts checked with go1.26.8 (`GOTOOLCHAIN=<value> go version`, GOPROXY=off, no network).

describe('parseGotoolchain: accepted values', () => {
  test.each([
    'auto',
    'path',
    'local',
    'local+auto',
    'local+path',
    'go1.26.8',
    'go1.26.8+path',
    'go1.24.3+auto',
    'go1.21rc1+auto',
    'go1.20',
    'go1.21.0-custom',
  ])('%j', (raw) => {
    expect(parseGotoolchain(raw)).toEqual({ value: raw, warnings: [] })
  })

  it('trims the value', () => {
    expect(parseGotoolchain('  local\n').value).toBe('local')
  })

  test.each([
    ['go1.22', 'invalid toolchain: go1.22 is a language version but not a toolchain version (go1.22.x)'],
    ['go1.22+auto', 'invalid toolchain: go1.22 is a language version but not a toolchain version (go1.22.x)'],
    [
      'go1.22-custom',
      'invalid toolchain: go1.22-custom is a language version but not a toolchain version (go1.22-custom.x)',
    ],
  ])('warns about the language version %j, which Go cannot download', (raw, goText) => {
    const result = parseGotoolchain(raw)
    expect(result.value).toBe(raw)
    expect(result.warnings).toHaveLength(1)
    expect(result.warnings[0]).toContain(goText)
    expect(result.warnings[0]).toContain('Name a release such as go1.22.0.')
  })

  it('does not warn about a language version looked up in PATH only', () => {
    expect(parseGotoolchain('go1.22+path').warnings).toEqual([])
  })

  it('warns about white space in a toolchain name, which Go cannot download', () => {
    expect(parseGotoolchain('go1.22.0 x').warnings[0]).toContain('contains white space')
  })
})

describe('parseGotoolchain: what Go refuses', () => {
  test.each([
    ['bash', 'go: invalid GOTOOLCHAIN "bash"'],
    ['go2', 'go: invalid GOTOOLCHAIN "go2"'],
    ['go1.2.3.4', 'go: invalid GOTOOLCHAIN "go1.2.3.4"'],
    ['go/1.2', 'go: invalid GOTOOLCHAIN "go/1.2"'],
    ['1.22.0', 'go: invalid GOTOOLCHAIN "1.22.0"'],
    ['go1.22+foo', 'go: invalid GOTOOLCHAIN "go1.22+foo": only version suffixes are +auto and +path'],
    ['go1.22+', 'go: invalid GOTOOLCHAIN "go1.22+": only version suffixes are +auto and +path'],
    ['local+foo', 'go: invalid GOTOOLCHAIN "local+foo": only version suffixes are +auto and +path'],
    ['auto+auto', 'go: invalid GOTOOLCHAIN "auto+auto": invalid minimum toolchain "auto"'],
    ['path+auto', 'go: invalid GOTOOLCHAIN "path+auto": invalid minimum toolchain "path"'],
    ['+auto', 'go: invalid GOTOOLCHAIN "+auto": invalid minimum toolchain ""'],
    ['go01.2', 'go: invalid GOTOOLCHAIN "go01.2"'],
  ])('%j', (raw, goText) => {
    let error: unknown
    try {
      parseGotoolchain(raw)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).message).toContain("Input 'gotoolchain'")
    expect((error as InputError).message).toContain(goText)
  })

  // a toolchain name never holds one; Go would take it as part of the name (a custom suffix after go1.N.P)
  test.each([
    ['go1.26.8\n+auto', 'holds a line feed (U+000A) at character 9'],
    ['go1.21.0-cu\x01stom', 'holds a control character (U+0001) at character 12'],
    ['go1.21.0\tx', 'holds a tab (U+0009) at character 9'],
  ])('refuses the control character in %j', (raw, text) => {
    expect(() => parseGotoolchain(raw)).toThrow(InputError)
    expect(() => parseGotoolchain(raw)).toThrow("Input 'gotoolchain'")
    expect(() => parseGotoolchain(raw)).toThrow(text)
  })

  it('refuses an empty value, pointing at the default', () => {
    expect(() => parseGotoolchain(' ')).toThrow(/empty.*auto/)
  })
})
