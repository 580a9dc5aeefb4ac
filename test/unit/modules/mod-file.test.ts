import { describe, expect, it } from '@jest/globals'
import { parseModDirectives, parseRequirements, replaceLine, useLine } from '../../../src/modules/mod-file.js'

const GO_MOD = `// leading comment
module example.com/app

go 1.21

require (
\texample.com/a v1.0.0
\texample.com/b v1.2.0 // indirect
\t"example.com/quoted" v0.1.0 // indirect; kept for the tests
\texample.com/c v1.0.0 // not indirect
)

require example.com/d v0.0.0-20240101000000-abcdefabcdef // indirect

replace example.com/a => ../a
replace (
\texample.com/b v1.2.0 => ./third_party/b
\texample.com/e => example.com/f v1.0.0
)
`

describe('go.mod directives', () => {
  it('reads requirements with their lines and // indirect as Go defines it', () => {
    expect(parseRequirements(GO_MOD)).toEqual([
      { path: 'example.com/a', version: 'v1.0.0', indirect: false, line: 7 },
      { path: 'example.com/b', version: 'v1.2.0', indirect: true, line: 8 },
      { path: 'example.com/quoted', version: 'v0.1.0', indirect: true, line: 9 },
      { path: 'example.com/c', version: 'v1.0.0', indirect: false, line: 10 },
      { path: 'example.com/d', version: 'v0.0.0-20240101000000-abcdefabcdef', indirect: true, line: 13 },
    ])
  })

  it('finds replace lines by old path and version', () => {
    expect(replaceLine(GO_MOD, 'example.com/a')).toBe(15)
    expect(replaceLine(GO_MOD, 'example.com/b', 'v1.2.0')).toBe(17)
    expect(replaceLine(GO_MOD, 'example.com/b')).toBeUndefined()
    expect(replaceLine(GO_MOD, 'example.com/e')).toBe(18)
  })

  it('reads single-line and block directives of go.work', () => {
    const goWork = 'go 1.22\n\nuse ./a\nuse (\n\t./b/\n\t"./with space"\n)\n'
    expect(parseModDirectives(goWork).map((d) => [d.verb, d.args.join(' '), d.line])).toEqual([
      ['go', '1.22', 1],
      ['use', './a', 3],
      ['use', './b/', 5],
      ['use', './with space', 6],
    ])
    expect(useLine(goWork, 'b')).toBe(5)
    expect(useLine(goWork, './with space')).toBe(6)
  })
})
