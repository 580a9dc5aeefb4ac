import { describe, expect, it } from '@jest/globals'
import { classifyWithoutContext } from '../../../src/drift/go-failure.js'
import { interpretGoList, parseJsonStream, runGoSumCheck } from '../../../src/drift/gosum.js'
import type { GoRunner } from '../../../src/gocmd/runner.js'

// `go list -e -mod=readonly -json=ImportPath,Error,DepsErrors -deps -test ./...` (Go 1.26), go.sum without greet's h1 line.
const MISSING_ZIP_SUM = `{
\t"ImportPath": "example.com/greet",
\t"Error": {
\t\t"ImportStack": [
\t\t\t"example.com/app",
\t\t\t"example.com/util"
\t\t],
\t\t"Pos": "../gopath/pkg/mod/example.com/util@v0.1.0/util.go:7:2",
\t\t"Err": "missing go.sum entry for module providing package example.com/greet (imported by example.com/util); to add:\\n\\tgo get example.com/util@v0.1.0"
\t}
}
{
\t"ImportPath": "strings"
}
{
\t"ImportPath": "example.com/app",
\t"DepsErrors": [
\t\t{
\t\t\t"ImportStack": [
\t\t\t\t"example.com/app",
\t\t\t\t"example.com/util"
\t\t\t],
\t\t\t"Pos": "../gopath/pkg/mod/example.com/util@v0.1.0/util.go:7:2",
\t\t\t"Err": "missing go.sum entry for module providing package example.com/greet (imported by example.com/util); to add:\\n\\tgo get example.com/util@v0.1.0"
\t\t}
\t]
}
`

const packageError = (err: string): string =>
  JSON.stringify({ ImportPath: 'example.com/x', Error: { Err: err } }, null, '\t')

const place = { module: 'svc', goMod: 'svc/go.mod', goSum: 'svc/go.sum', classify: classifyWithoutContext }

describe('parseJsonStream', () => {
  it('splits objects printed back to back, braces inside strings included', () => {
    expect(parseJsonStream('{"a": "}{"}\n{"b": {"c": "\\"}"}}\n')).toEqual([{ a: '}{' }, { b: { c: '"}' } }])
  })
})

describe('interpretGoList', () => {
  it('reports a missing checksum once, however many packages repeat it', () => {
    const { findings, diagnoses } = interpretGoList(MISSING_ZIP_SUM, '', 0, place)
    expect(diagnoses).toEqual([])
    expect(findings).toEqual([
      {
        check: 'go.sum',
        module: 'svc',
        file: 'svc/go.sum',
        message:
          'go.sum lacks the checksum of the module providing package example.com/greet (imported by example.com/util)',
      },
    ])
  })

  it.each([
    [
      '../m/util.go:7:2: example.com/greet@v1.0.0: missing go.sum entry for go.mod file; to add it:\n\tgo mod download example.com/greet',
      'svc/go.sum',
      'go.sum lacks example.com/greet v1.0.0/go.mod',
    ],
    [
      'missing go.sum entry needed to verify package example.com/x/y (imported by example.com/app) is provided by exactly one module; to add:\n\tgo get example.com/app',
      'svc/go.sum',
      'go.sum lacks the checksums needed to verify which module provides package example.com/x/y',
    ],
    [
      'main.go:3:8: no required module provides package example.com/new; to add it:\n\tgo get example.com/new',
      'svc/go.mod',
      'no required module provides package example.com/new: go.mod lacks its require',
    ],
  ])('%s', (err, file, message) => {
    expect(interpretGoList(packageError(err), '', 0, place).findings).toEqual([
      { check: 'go.sum', module: 'svc', file, message },
    ])
  })

  it('ignores package errors that are not about module files', () => {
    const out =
      packageError('build constraints exclude all Go files in /src/x') + packageError('import cycle not allowed')
    expect(interpretGoList(out, '', 0, place)).toEqual({ findings: [], diagnoses: [] })
  })

  it('turns a proxy failure in a package error into a diagnosis', () => {
    const err =
      'example.com/util@v0.1.0: Get "http://127.0.0.1:1/example.com/util/@v/v0.1.0.zip": dial tcp 127.0.0.1:1: connect: connection refused'
    const { findings, diagnoses } = interpretGoList(packageError(err), '', 0, place)
    expect(findings).toEqual([])
    expect(diagnoses.map((d) => [d.kind, d.code])).toEqual([['proxy', 'proxy-tcp-refused']])
  })

  it('reads a module graph failure from stderr', () => {
    const stderr =
      'go: example.com/greet@v1.0.0: missing go.sum entry for go.mod file; to add it:\n\tgo mod download example.com/greet\n'
    expect(interpretGoList('', stderr, 1, place).findings.map((f) => f.message)).toEqual([
      'go.sum lacks example.com/greet v1.0.0/go.mod',
    ])
  })
})

describe('runGoSumCheck', () => {
  it('asks go list, read-only, with GOWORK=off and only the fields it needs on Go 1.19+', async () => {
    const seen: string[][] = []
    const go: GoRunner = {
      async run(args, options) {
        seen.push([...args, `GOWORK=${options.env['GOWORK']}`, `cwd=${options.cwd}`])
        return { exitCode: 0, stdout: MISSING_ZIP_SUM, stderr: '', durationMs: 5 }
      },
    }
    const outcome = await runGoSumCheck({
      go,
      env: {},
      directory: '/repo/svc',
      module: 'svc',
      goVersion: 'go1.22.4',
      classify: classifyWithoutContext,
    })
    expect(seen).toEqual([
      [
        'list',
        '-e',
        '-mod=readonly',
        '-json=ImportPath,Error,DepsErrors',
        '-deps',
        '-test',
        './...',
        'GOWORK=off',
        'cwd=/repo/svc',
      ],
    ])
    expect(outcome.checks).toEqual([
      { check: 'go.sum', module: 'svc', scope: 'module', outcome: 'failed', durationMs: 5 },
    ])
    await runGoSumCheck({
      go,
      env: {},
      directory: '/repo/svc',
      module: 'svc',
      goVersion: 'go1.18.10',
      classify: classifyWithoutContext,
    })
    expect(seen[1]?.[3]).toBe('-json')
  })
})
