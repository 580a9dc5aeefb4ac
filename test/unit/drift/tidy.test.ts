import { afterAll, describe, expect, it } from '@jest/globals'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { classifyWithoutContext } from '../../../src/drift/go-failure.js'
import { runTidyCheck, supportsTidyDiff, tidyDiffFindings, tidyDiffs } from '../../../src/drift/tidy.js'
import type { GoRunner } from '../../../src/gocmd/runner.js'
import { removeTempDirs, tempDir } from '../../helpers/temp-dir.js'

afterAll(removeTempDirs)

// go.mod / go.sum texts and the diffs Go 1.26 printed for them (`go mod tidy -diff`).
const TIDY_SUM = `example.com/greet v1.0.0 h1:4YuW/FP7tip6okpt4aNg96/u7TiO2E9+IqOH7WRLIZ0=
example.com/greet v1.0.0/go.mod h1:rcTgdhGf2dvXrNywJG0jkV+0342RC7PiKN0YX33Ej6Y=
example.com/util v0.1.0 h1:PUH2YDKkOjJq8yarZn0VYK1yoHw13RYjo6jp/O2E1Lo=
example.com/util v0.1.0/go.mod h1:c4UDOGONcLebqSAPQg8U6M2J0b5YAKi3jvA9EfVO2ys=
`

const MISSING_REQUIRE = {
  goMod: 'module example.com/app\n\ngo 1.21\n\nrequire example.com/util v0.1.0\n',
  diff: `diff current/go.mod tidy/go.mod
--- current/go.mod
+++ tidy/go.mod
@@ -3,3 +3,5 @@
 go 1.21
 
 require example.com/util v0.1.0
+
+require example.com/greet v1.0.0 // indirect

`,
}

const UNUSED_REQUIRE = {
  goMod: `module example.com/app

go 1.21

require (
\texample.com/unused v1.0.0
\texample.com/util v0.1.0
)

require example.com/greet v1.0.0 // indirect
`,
  diff: `diff current/go.mod tidy/go.mod
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

`,
}

const MISSING_SUM_LINE = `diff current/go.sum tidy/go.sum
--- current/go.sum
+++ tidy/go.sum
@@ -1,3 +1,4 @@
+example.com/greet v1.0.0 h1:4YuW/FP7tip6okpt4aNg96/u7TiO2E9+IqOH7WRLIZ0=
 example.com/greet v1.0.0/go.mod h1:rcTgdhGf2dvXrNywJG0jkV+0342RC7PiKN0YX33Ej6Y=
 example.com/util v0.1.0 h1:PUH2YDKkOjJq8yarZn0VYK1yoHw13RYjo6jp/O2E1Lo=
 example.com/util v0.1.0/go.mod h1:c4UDOGONcLebqSAPQg8U6M2J0b5YAKi3jvA9EfVO2ys=

`

const STALE_SUM_LINES = `diff current/go.sum tidy/go.sum
--- current/go.sum
+++ tidy/go.sum
@@ -1,8 +1,4 @@
 example.com/greet v1.0.0 h1:4YuW/FP7tip6okpt4aNg96/u7TiO2E9+IqOH7WRLIZ0=
 example.com/greet v1.0.0/go.mod h1:rcTgdhGf2dvXrNywJG0jkV+0342RC7PiKN0YX33Ej6Y=
-example.com/greet v1.1.0 h1:4lk27VyUrCn58437GQH8alXZUweXFRAN+z99fCe43Jw=
-example.com/greet v1.1.0/go.mod h1:rcTgdhGf2dvXrNywJG0jkV+0342RC7PiKN0YX33Ej6Y=
-example.com/unused v1.0.0 h1:r1ZhtfRPMg2CdFjh6v5oHAtlGcKJsI/1M1Ec4YcJIRc=
-example.com/unused v1.0.0/go.mod h1:S3k1jw2zj4ec8kKEx26Om/jUynLJlxGD9Rg4qE/xvWY=
 example.com/util v0.1.0 h1:PUH2YDKkOjJq8yarZn0VYK1yoHw13RYjo6jp/O2E1Lo=
 example.com/util v0.1.0/go.mod h1:c4UDOGONcLebqSAPQg8U6M2J0b5YAKi3jvA9EfVO2ys=

`

const brief = (findings: ReturnType<typeof tidyDiffFindings>) =>
  findings.map((f) => [f.check, f.file, f.line, f.message])

describe('supportsTidyDiff', () => {
  it.each([
    ['go1.22.12', false],
    ['go1.23.0', true],
    ['go1.23rc1', true],
    ['go1.26.8', true],
    ['go2.0.0', true],
    ['devel go1.27-abcdef', true],
  ])('%s → %s', (version, expected) => {
    expect(supportsTidyDiff(version)).toBe(expected)
  })
})

describe('tidyDiffFindings', () => {
  it('names a missing requirement, at the line where tidy would add it', () => {
    const findings = tidyDiffFindings(MISSING_REQUIRE.diff, { goMod: MISSING_REQUIRE.goMod, goSum: TIDY_SUM }, '.')
    expect(brief(findings)).toEqual([
      [
        'tidy',
        'go.mod',
        5,
        'example.com/greet v1.0.0 is needed but not required: add require example.com/greet v1.0.0 // indirect',
      ],
    ])
    expect(tidyDiffs(MISSING_REQUIRE.diff, '.')).toEqual([
      { file: 'go.mod', diff: expect.stringContaining('+require example.com/greet v1.0.0 // indirect') },
    ])
  })

  it('names an unused requirement at its own line, not the block reformatting around it', () => {
    const findings = tidyDiffFindings(UNUSED_REQUIRE.diff, { goMod: UNUSED_REQUIRE.goMod, goSum: '' }, 'svc')
    expect(brief(findings)).toEqual([
      ['tidy', 'svc/go.mod', 6, 'example.com/unused v1.0.0 is required but not used: remove it'],
    ])
  })

  it('reports a go.sum line tidy would add as a go.sum finding', () => {
    const current = TIDY_SUM.split('\n').slice(1).join('\n')
    expect(brief(tidyDiffFindings(MISSING_SUM_LINE, { goMod: '', goSum: current }, '.'))).toEqual([
      ['go.sum', 'go.sum', 1, 'go.sum lacks the checksum of example.com/greet v1.0.0 (its zip), which the build needs'],
    ])
  })

  it('reports the stale go.sum lines once per module version, at the first one', () => {
    const findings = tidyDiffFindings(STALE_SUM_LINES, { goMod: '', goSum: '' }, '.')
    expect(findings.map((f) => [f.check, f.line, f.message])).toEqual([
      ['tidy', 3, 'go.sum has 2 lines for example.com/greet v1.1.0 that no build needs any more'],
      ['tidy', 5, 'go.sum has 2 lines for example.com/unused v1.0.0 that no build needs any more'],
    ])
  })

  it('names a version change and a wrong // indirect marker', () => {
    const goMod = 'module m\n\ngo 1.21\n\nrequire (\n\texample.com/a v1.0.0\n\texample.com/b v1.0.0 // indirect\n)\n'
    const diff = `--- current/go.mod
+++ tidy/go.mod
@@ -3,6 +3,6 @@
 go 1.21
 
 require (
-\texample.com/a v1.0.0
-\texample.com/b v1.0.0 // indirect
+\texample.com/a v1.2.0
+\texample.com/b v1.0.0
 )
`
    expect(brief(tidyDiffFindings(diff, { goMod, goSum: '' }, '.'))).toEqual([
      [
        'tidy',
        'go.mod',
        6,
        'example.com/a is required at v1.0.0, but the build selects v1.2.0: require example.com/a v1.2.0',
      ],
      ['tidy', 'go.mod', 7, 'example.com/b v1.0.0 is imported directly: remove its // indirect comment'],
    ])
  })

  it('names a go directive change', () => {
    const goMod = 'module m\n\ngo 1.21\n'
    const diff = '--- current/go.mod\n+++ tidy/go.mod\n@@ -1,3 +1,3 @@\n module m\n \n-go 1.21\n+go 1.22.0\n'
    expect(brief(tidyDiffFindings(diff, { goMod, goSum: '' }, '.'))).toEqual([
      ['tidy', 'go.mod', 3, 'the go directive should be go 1.22.0 (it is go 1.21)'],
    ])
  })

  it('still reports a change it cannot name (layout only), with its diff', () => {
    const goMod = 'module m\n\ngo 1.21\n\nrequire (\n\texample.com/a v1.0.0\n)\n'
    const diff = `--- current/go.mod
+++ tidy/go.mod
@@ -3,6 +3,4 @@
 go 1.21
 
-require (
-\texample.com/a v1.0.0
-)
+require example.com/a v1.0.0
`
    const findings = tidyDiffFindings(diff, { goMod, goSum: '' }, '.')
    expect(brief(findings)).toEqual([
      [
        'tidy',
        'go.mod',
        5,
        'go.mod is not laid out as go mod tidy writes it (require blocks, their order or comments)',
      ],
    ])
    expect(tidyDiffs(diff, '.')[0]?.diff).toContain('+require example.com/a v1.0.0')
  })

  it('falls back to one finding per hunk when the file no longer matches the diff', () => {
    const findings = tidyDiffFindings(MISSING_REQUIRE.diff, { goMod: 'module other\n', goSum: '' }, '.')
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({ check: 'tidy', file: 'go.mod', line: 6 })
  })
})

describe('runTidyCheck', () => {
  const fakeGo = (result: { exitCode: number; stdout?: string; stderr?: string }, seen: string[][] = []): GoRunner => ({
    async run(args, options) {
      seen.push([...args, `GOWORK=${options.env['GOWORK']}`])
      return { stdout: '', stderr: '', durationMs: 12, ...result }
    },
  })

  it('runs tidy -diff with GOWORK=off and reads the current files for line numbers', async () => {
    const dir = await tempDir('tidy-unit-')
    await writeFile(path.join(dir, 'go.mod'), MISSING_REQUIRE.goMod)
    await writeFile(path.join(dir, 'go.sum'), TIDY_SUM)
    const seen: string[][] = []
    const outcome = await runTidyCheck({
      go: fakeGo({ exitCode: 1, stdout: MISSING_REQUIRE.diff }, seen),
      env: { GOWORK: '/somewhere/go.work' },
      directory: dir,
      module: 'app',
      classify: classifyWithoutContext,
    })
    expect(seen).toEqual([['mod', 'tidy', '-diff', 'GOWORK=off']])
    expect(brief(outcome.findings)).toEqual([
      [
        'tidy',
        'app/go.mod',
        5,
        'example.com/greet v1.0.0 is needed but not required: add require example.com/greet v1.0.0 // indirect',
      ],
    ])
    expect(outcome.checks.map((c) => [c.check, c.outcome])).toEqual([
      ['tidy', 'failed'],
      ['go.sum', 'passed'],
    ])
  })

  it('turns a proxy failure into a diagnosis, not drift', async () => {
    const stderr =
      'go: downloading example.com/util v0.1.0\ngo: example.com/app imports\n\texample.com/util: example.com/util@v0.1.0: reading http://127.0.0.1:4711/example.com/util/@v/v0.1.0.zip: 503 Service Unavailable\n'
    const outcome = await runTidyCheck({
      go: fakeGo({ exitCode: 1, stderr }),
      env: {},
      directory: '/nowhere',
      module: '.',
      classify: classifyWithoutContext,
    })
    expect(outcome.findings).toEqual([])
    expect(outcome.diagnoses.map((d) => [d.kind, d.code, d.url])).toEqual([
      ['proxy', 'proxy-http-5xx', 'http://127.0.0.1:4711/example.com/util/@v/v0.1.0.zip'],
    ])
    expect(outcome.checks.map((c) => c.outcome)).toEqual(['error', 'error'])
    expect(outcome.needsGoSumFallback).toBe(false)
  })

  it('reports any other failure as a tidy finding and asks for the go.sum fallback', async () => {
    const stderr =
      'go: finding module for package example.com/b/lib\ngo: example.com/a imports\n\texample.com/b/lib: cannot find module providing package example.com/b/lib: module example.com/b/lib: reading file:///tmp/proxy/example.com/b/lib/@v/list: no such file or directory\n'
    const outcome = await runTidyCheck({
      go: fakeGo({ exitCode: 1, stderr }),
      env: {},
      directory: '/nowhere',
      module: 'a',
      classify: classifyWithoutContext,
    })
    expect(outcome.diagnoses).toEqual([])
    expect(outcome.findings).toHaveLength(1)
    expect(outcome.findings[0]?.message).toMatch(
      /^go mod tidy -diff failed: go: example.com\/a imports\n\texample.com\/b\/lib: cannot find module/,
    )
    expect(outcome.needsGoSumFallback).toBe(true)
    expect(outcome.checks.map((c) => c.check)).toEqual(['tidy'])
  })

  it('passes a tidy module', async () => {
    const outcome = await runTidyCheck({
      go: fakeGo({ exitCode: 0 }),
      env: {},
      directory: '/nowhere',
      module: '.',
      classify: classifyWithoutContext,
    })
    expect(outcome.findings).toEqual([])
    expect(outcome.checks.map((c) => [c.check, c.outcome, c.durationMs])).toEqual([
      ['tidy', 'passed', 12],
      ['go.sum', 'passed', 0],
    ])
  })
})
