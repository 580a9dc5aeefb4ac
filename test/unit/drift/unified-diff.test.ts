import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { diffLines, unifiedDiff } from '../../../src/drift/make-diff.js'
import { applyPatch, parseUnifiedDiff } from '../../../src/drift/unified-diff.js'

// Captured from `go mod tidy -diff` (Go 1.26) on a module that requires example.com/unused without importing it.
const UNUSED_DIFF = `diff current/go.mod tidy/go.mod
--- current/go.mod
+++ tidy/go.mod
@@ -2,9 +2,6 @@
 
 go 1.21
 
-require (
-\texample.com/unused v1.0.0
-\texample.com/util v0.1.0
-)
+require example.com/util v0.1.0
 
 require example.com/greet v1.0.0 // indirect

diff current/go.sum tidy/go.sum
--- current/go.sum
+++ tidy/go.sum
@@ -1,6 +1,4 @@
 example.com/greet v1.0.0 h1:4YuW/FP7tip6okpt4aNg96/u7TiO2E9+IqOH7WRLIZ0=
 example.com/greet v1.0.0/go.mod h1:rcTgdhGf2dvXrNywJG0jkV+0342RC7PiKN0YX33Ej6Y=
-example.com/unused v1.0.0 h1:r1ZhtfRPMg2CdFjh6v5oHAtlGcKJsI/1M1Ec4YcJIRc=
-example.com/unused v1.0.0/go.mod h1:S3k1jw2zj4ec8kKEx26Om/jUynLJlxGD9Rg4qE/xvWY=
 example.com/util v0.1.0 h1:PUH2YDKkOjJq8yarZn0VYK1yoHw13RYjo6jp/O2E1Lo=
 example.com/util v0.1.0/go.mod h1:c4UDOGONcLebqSAPQg8U6M2J0b5YAKi3jvA9EfVO2ys=

`

const UNUSED_GO_MOD = `module example.com/app

go 1.21

require (
\texample.com/unused v1.0.0
\texample.com/util v0.1.0
)

require example.com/greet v1.0.0 // indirect
`

describe('parseUnifiedDiff', () => {
  it('reads both files of a tidy -diff, with line numbers in the current file', () => {
    const patches = parseUnifiedDiff(UNUSED_DIFF)
    expect(patches.map((p) => [p.oldPath, p.newPath])).toEqual([
      ['current/go.mod', 'tidy/go.mod'],
      ['current/go.sum', 'tidy/go.sum'],
    ])
    const goMod = patches[0]!.hunks[0]!
    expect([goMod.oldStart, goMod.oldCount, goMod.newStart, goMod.newCount]).toEqual([2, 9, 2, 6])
    expect(goMod.lines.filter((l) => l.op === '-').map((l) => l.oldLine)).toEqual([5, 6, 7, 8])
    // an inserted line is anchored before the next current line
    expect(goMod.lines.find((l) => l.op === '+')).toEqual({
      op: '+',
      text: 'require example.com/util v0.1.0',
      oldLine: 9,
    })
    const goSum = patches[1]!.hunks[0]!
    expect(goSum.lines.filter((l) => l.op === '-').map((l) => [l.oldLine, l.text.split(' ')[0]])).toEqual([
      [3, 'example.com/unused'],
      [4, 'example.com/unused'],
    ])
  })

  it('anchors additions to an empty file at line 1', () => {
    const [patch] = parseUnifiedDiff(
      '--- current/go.sum\n+++ tidy/go.sum\n@@ -0,0 +1,2 @@\n+a v1 h1:x\n+a v1/go.mod h1:y\n',
    )
    expect(patch!.hunks[0]!.lines.map((l) => l.oldLine)).toEqual([1, 1])
  })

  it('accepts hunk headers without counts and "no newline" markers', () => {
    const [patch] = parseUnifiedDiff('--- a/f\n+++ b/f\n@@ -1 +1 @@\n-old\n\\ No newline at end of file\n+new\n')
    expect(patch!.hunks[0]!.lines).toEqual([
      { op: '-', text: 'old', oldLine: 1 },
      { op: '+', text: 'new', oldLine: 2 },
    ])
  })
})

describe('applyPatch', () => {
  it('rebuilds the tidy go.mod from the current one', () => {
    const [patch] = parseUnifiedDiff(UNUSED_DIFF)
    const patched = applyPatch(UNUSED_GO_MOD, patch!.hunks)
    expect(patched?.text).toBe(
      'module example.com/app\n\ngo 1.21\n\nrequire example.com/util v0.1.0\n\nrequire example.com/greet v1.0.0 // indirect\n',
    )
    // each new line knows where it sits in the current file
    expect(patched?.anchors).toEqual([1, 2, 3, 4, 9, 9, 10])
  })

  it('refuses a diff whose context does not match the file', () => {
    const [patch] = parseUnifiedDiff(UNUSED_DIFF)
    expect(applyPatch(UNUSED_GO_MOD.replace('go 1.21', 'go 1.22'), patch!.hunks)).toBeUndefined()
  })
})

describe('unifiedDiff', () => {
  it('writes git-style headers and hunks with three lines of context', () => {
    const before = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].join('\n') + '\n'
    const after = ['a', 'b', 'c', 'd', 'E', 'f', 'g', 'h'].join('\n') + '\n'
    const result = unifiedDiff('a/go.sum', 'b/go.sum', before, after)
    expect(result.text).toBe('--- a/go.sum\n+++ b/go.sum\n@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n')
    expect(result).toMatchObject({ firstNewLine: 5, added: 1, removed: 1 })
  })

  it('is empty for equal texts', () => {
    expect(unifiedDiff('a', 'b', 'x\n', 'x\n')).toEqual({ text: '', added: 0, removed: 0 })
  })

  it('diffs a created file against /dev/null', () => {
    expect(unifiedDiff('/dev/null', 'b/go.sum', '', 'x\ny\n').text).toBe(
      '--- /dev/null\n+++ b/go.sum\n@@ -0,0 +1,2 @@\n+x\n+y\n',
    )
  })

  it('produces a patch that turns the old text into the new one (any texts)', () => {
    const line = fc.constantFrom('require a v1', 'b', '', 'go 1.21', ')', 'x')
    fc.assert(
      fc.property(fc.array(line, { maxLength: 40 }), fc.array(line, { maxLength: 40 }), (a, b) => {
        const oldText = a.length ? `${a.join('\n')}\n` : ''
        const newText = b.length ? `${b.join('\n')}\n` : ''
        const diff = unifiedDiff('a/f', 'b/f', oldText, newText)
        const patched = applyPatch(oldText, parseUnifiedDiff(diff.text)[0]?.hunks ?? [])
        expect(patched?.text).toBe(newText)
      }),
    )
  })

  it('finds the shortest edit script', () => {
    const edits = diffLines(['a', 'b', 'c', 'a', 'b', 'b', 'a'], ['c', 'b', 'a', 'b', 'a', 'c'])
    // Myers' classic example: edit distance 5
    expect(edits.filter((e) => e.op !== ' ')).toHaveLength(5)
  })
})
