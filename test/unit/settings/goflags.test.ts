import { describe, expect, it, test } from '@jest/globals'
import { InputError } from '../../../src/settings/errors.js'
import { parseGoflags } from '../../../src/settings/goflags.js'

// Go texts checked with go1.26.8 (`GOFLAGS=<value> go build` in an empty directory, no network).

describe('parseGoflags: accepted values', () => {
  test.each([
    ['-modcacherw', ['-modcacherw'], '-modcacherw'],
    ['-mod=readonly -trimpath', ['-mod=readonly', '-trimpath'], '-mod=readonly -trimpath'],
    ['--tags=netgo,osusergo', ['--tags=netgo,osusergo'], '--tags=netgo,osusergo'],
    ['-race=false -buildvcs=auto', ['-race=false', '-buildvcs=auto'], '-race=false -buildvcs=auto'],
    ['-buildvcs=', ['-buildvcs='], '-buildvcs='],
    // a word wrapped whole in quotes may hold spaces
    [`'-ldflags=-s -w' -x`, ['-ldflags=-s -w', '-x'], `'-ldflags=-s -w' -x`],
    [`"-gcflags=all=-N -l"`, ['-gcflags=all=-N -l'], `'-gcflags=all=-N -l'`],
    [`"-ldflags=-X 'main.v=1'"`, [`-ldflags=-X 'main.v=1'`], `"-ldflags=-X 'main.v=1'"`],
    // test flags are known to go test, so Go accepts them in GOFLAGS
    ['-count=1 -test.v -timeout=5m', ['-count=1', '-test.v', '-timeout=5m'], '-count=1 -test.v -timeout=5m'],
    // tabs are spaces to Go; white space around the value is dropped
    ['  -modcacherw\t-trimpath\r\n', ['-modcacherw', '-trimpath'], '-modcacherw -trimpath'],
    ['', [], ''],
  ])('%j', (raw, flags, value) => {
    const result = parseGoflags(raw)
    expect(result.value.flags).toEqual(flags)
    expect(result.value.value).toBe(value)
    expect(result.warnings).toEqual([])
  })
})

describe('parseGoflags: what Go refuses', () => {
  test.each([
    ['-foo', 'go: parsing $GOFLAGS: unknown flag -foo'],
    ['--modcacherw -bogus=1', 'go: parsing $GOFLAGS: unknown flag -bogus'],
    ['foo', 'go: parsing $GOFLAGS: non-flag "foo"'],
    ['--', 'go: parsing $GOFLAGS: non-flag "--"'],
    ['-', 'go: parsing $GOFLAGS: non-flag "-"'],
    ['-=x', 'go: parsing $GOFLAGS: non-flag "-=x"'],
    ['---x', 'go: parsing $GOFLAGS: non-flag "---x"'],
    ["'-ldflags=-s -w", "go: parsing $GOFLAGS: unterminated ' string"],
    ['-tags', 'go: flag needs an argument: -tags (from $GOFLAGS)'],
    ['-mod', 'go: flag needs an argument: -mod (from $GOFLAGS)'],
    ['-race=maybe', 'go: invalid boolean value "maybe" for flag -race (from $GOFLAGS): parse error'],
    ['-race=', 'go: invalid boolean value "" for flag -race (from $GOFLAGS): parse error'],
    [
      '-buildvcs=x',
      `go: invalid boolean value "x" for flag -buildvcs (from $GOFLAGS): value is neither 'auto' nor a valid bool`,
    ],
    ['-C=/tmp', 'go: invalid value "/tmp" for flag -C (from $GOFLAGS): -C flag must be first flag on command line'],
    ['-mod=foo', "-mod=foo not supported (can be '', 'mod', 'readonly', or 'vendor')"],
  ])('%j', (raw, goText) => {
    let error: unknown
    try {
      parseGoflags(raw)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).message).toContain("Input 'goflags'")
    expect((error as InputError).message).toContain(goText)
  })
})

describe('parseGoflags: line breaks and control characters', () => {
  // Go splits GOFLAGS at line breaks as at spaces, but the value is one line, and inside a quoted word Go would pass a
  // control character on to the compiler or linker
  test.each([
    ['-modcacherw\n-trimpath', 'holds a line feed (U+000A) at character 12'],
    [`'-ldflags=-s\n-w'`, 'holds a line feed (U+000A) at character 13'],
    ['-trimpath\r-x', 'holds a carriage return (U+000D) at character 10'],
    ['-tags=a\x1bb', 'holds a control character (U+001B) at character 8'],
  ])('%j', (raw, text) => {
    expect(() => parseGoflags(raw)).toThrow(InputError)
    expect(() => parseGoflags(raw)).toThrow("Input 'goflags'")
    expect(() => parseGoflags(raw)).toThrow(text)
    expect(() => parseGoflags(raw)).toThrow('Write the flags on one line, separated by spaces.')
  })
})

describe('parseGoflags: accepted but almost certainly a mistake', () => {
  test.each([
    ['-mod=mod', 'lets every build rewrite go.mod and go.sum'],
    // Go splits the value at the space; -w is a flag of go env, so Go accepts it and the linker never sees it
    ['-ldflags=-s -w', `"-w" follows "-ldflags=-s"; Go takes it as a flag of its own`],
    ['-c', 'go would stop go fix and go vet with: go: flag needs an argument: -c (from $GOFLAGS)'],
    ['-f', 'go would stop go list with: go: flag needs an argument: -f'],
    ['-v=test2json', '-v=test2json is accepted only by go test'],
    ['-json=Dir,ImportPath', '-json=Dir,ImportPath is accepted only by go list'],
  ])('%j', (raw, warning) => {
    const result = parseGoflags(raw)
    expect(result.warnings).toHaveLength(1)
    expect(result.warnings[0]).toContain(warning)
  })

  it('does not warn about a word after -ldflags that go build knows', () => {
    expect(parseGoflags('-ldflags=-s -trimpath').warnings).toEqual([])
  })
})
