import { describe, expect, it, test } from '@jest/globals'
import { InputError } from '../../../src/settings/errors.js'
import { assertExportable, assertSingleLine, findLineBreak } from '../../../src/settings/injection.js'

describe('assertSingleLine', () => {
  test.each([
    ['https://a.example\nGITHUB_TOKEN=x', 'a line feed (at character 18)'],
    ['a\rb', 'a carriage return (at character 2)'],
    ['a\0b', 'a NUL character (at character 2)'],
  ])('refuses %j', (value, what) => {
    expect(() => assertSingleLine('goproxy', value)).toThrow(InputError)
    expect(() => assertSingleLine('goproxy', value)).toThrow(`Input 'goproxy': the value to export contains ${what}`)
  })

  it('never repeats the value, which may hold a secret', () => {
    expect(() => assertSingleLine('auth', 'hunter2\nx')).not.toThrow(/hunter2/)
  })

  test.each(['', 'https://proxy.golang.org,direct', 'a\u2028b', 'tab\there'])('accepts %j', (value) => {
    expect(() => assertSingleLine('goproxy', value)).not.toThrow()
    expect(findLineBreak(value)).toBeUndefined()
  })
})

describe('assertExportable', () => {
  it('accepts plain names with single-line values', () => {
    expect(() => assertExportable({ GOPROXY: 'https://proxy.golang.org,direct', GOFLAGS: '-modcacherw' })).not.toThrow()
  })

  it('names the variable with a line break in its value', () => {
    expect(() => assertExportable({ GOPROXY: 'direct', GOFLAGS: '-x\n-v' })).toThrow("Input 'GOFLAGS'")
  })

  test.each(['BAD NAME', '1GO', 'GO=X', 'GO\nX'])('refuses the variable name %j', (name) => {
    expect(() => assertExportable({ [name]: 'x' })).toThrow('is not a valid environment variable name')
  })
})
