import { describe, expect, it } from '@jest/globals'
import { parseArgs } from '../../../src/cli/args.js'

describe('parseArgs', () => {
  it('reads inputs as --name value, --name=value, --flag and --no-flag', () => {
    const parsed = parseArgs([
      'run',
      '--goproxy',
      'https://p.corp',
      '--goprivate=corp.example/*',
      '--select-fastest',
      '--no-cache',
      '--report-dir',
      'out',
    ])
    expect(parsed.kind).toBe('run')
    if (parsed.kind !== 'run') return
    expect(Object.fromEntries(parsed.args.inputs)).toEqual({
      goproxy: 'https://p.corp',
      goprivate: 'corp.example/*',
      'select-fastest': 'true',
      cache: 'false',
    })
    expect(parsed.args.reportDir).toBe('out')
  })

  it.each([
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['run', '--auth', 'h u s'], /never come as flags/],
    [['run', '--gopoxy', 'x'], /unknown flag --gopoxy/],
    [['setup', '--format', 'yaml'], /--format yaml is not available for setup/],
    [['run', '--goproxy'], /--goproxy needs a value/],
  ])('%j is refused', (argv, message) => {
    const parsed = parseArgs(argv)
    expect(parsed.kind).toBe('error')
    if (parsed.kind === 'error') expect(parsed.message).toMatch(message)
  })
})
