import { describe, expect, it } from '@jest/globals'
import { classifyWithoutContext } from '../../../src/drift/go-failure.js'
import { interpretVerify } from '../../../src/drift/verify.js'

const place = { module: '.', file: 'go.mod', classify: classifyWithoutContext }

describe('interpretVerify', () => {
  it('passes "all modules verified"', () => {
    expect(interpretVerify({ exitCode: 0, stdout: 'all modules verified\n', stderr: '' }, place)).toEqual({
      findings: [],
      diagnoses: [],
    })
  })

  it('makes a modified zip a security error, not drift', () => {
    const stderr = 'example.com/greet v1.0.0: zip has been modified (/cache/download/example.com/greet/@v/v1.0.0.zip)\n'
    const { findings, diagnoses } = interpretVerify({ exitCode: 1, stdout: '', stderr }, place)
    expect(findings).toEqual([])
    expect(diagnoses.map((d) => [d.code, d.kind, d.severity, d.module])).toEqual([
      ['module-cache-zip-modified', 'security', 'error', 'example.com/greet'],
    ])
  })

  it('makes a modified extracted tree a security error and a missing ziphash a warning', () => {
    const stderr =
      'example.com/a v1.0.0: dir has been modified (/mod/example.com/a@v1.0.0)\nexample.com/b v1.0.0: missing ziphash: open /cache/b.ziphash: no such file or directory\n'
    expect(
      interpretVerify({ exitCode: 1, stdout: '', stderr }, place).diagnoses.map((d) => [d.code, d.severity]),
    ).toEqual([
      ['module-cache-dir-modified', 'error'],
      ['module-cache-ziphash-missing', 'warning'],
    ])
  })

  it('reports a proxy failure while loading the graph as a proxy diagnosis', () => {
    const stderr =
      'go: example.com/greet@v1.0.0: Get "http://127.0.0.1:1/example.com/greet/@v/v1.0.0.mod": dial tcp 127.0.0.1:1: connect: connection refused\n'
    expect(interpretVerify({ exitCode: 1, stdout: '', stderr }, place).diagnoses.map((d) => d.kind)).toEqual(['proxy'])
  })

  it('reports any other failure as a verify finding', () => {
    const stderr = 'go: errors parsing go.mod:\ngo.mod:3: unknown directive: requir\n'
    expect(interpretVerify({ exitCode: 1, stdout: '', stderr }, place).findings).toEqual([
      {
        check: 'verify',
        module: '.',
        file: 'go.mod',
        message: 'go mod verify failed: go: errors parsing go.mod:\ngo.mod:3: unknown directive: requir',
      },
    ])
  })
})
