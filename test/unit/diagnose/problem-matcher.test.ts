import { describe, expect, it } from '@jest/globals'
import { problemMatcherJson } from '../../../src/diagnose/problem-matcher.js'

interface Matcher {
  owner: string
  pattern: Array<{ regexp: string; message: number }>
}

const matchers = (JSON.parse(problemMatcherJson()) as { problemMatcher: Matcher[] }).problemMatcher

/** The message the runner would annotate for `line`, and which matcher took it. */
function match(line: string): [string, string] | undefined {
  for (const m of matchers) {
    const found = new RegExp(m.pattern[0]?.regexp as string).exec(line)
    if (found) return [m.owner, found[m.pattern[0]?.message as number] as string]
  }
  return undefined
}

describe('problem matcher for later go steps', () => {
  // lines as the real go command prints them (Go 1.26, observed against the loopback test servers)
  it.each([
    [
      'go: corp.example/private/secret@v1.0.0: reading https://127.0.0.1:41234/corp.example/private/secret/@v/v1.0.0.info: 401 Unauthorized',
      'goproxy-guard-fetch',
    ],
    [
      'go: verifying go.mod: corp.example/private/secret@v1.0.0/go.mod: reading https://127.0.0.1:38267/lookup/corp.example/private/secret@v1.0.0: 410 Gone',
      'goproxy-guard-fetch',
    ],
    ['verifying example.com/greet@v1.0.0: checksum mismatch', 'goproxy-guard-checksum'],
    [
      'go: example.com/greet@v1.0.0: Get "https://127.0.0.1:1/example.com/greet/@v/v1.0.0.info": dial tcp 127.0.0.1:1: connect: connection refused',
      'goproxy-guard-network',
    ],
    [
      'go: example.com/greet@v1.0.0: Get "https://127.0.0.1:5/x": tls: failed to verify certificate: x509: certificate signed by unknown authority',
      'goproxy-guard-network',
    ],
    [
      "\tfatal: could not read Username for 'https://127.0.0.3': terminal prompts disabled",
      'goproxy-guard-credentials',
    ],
    [
      'main.go:6:2: missing go.sum entry for module providing package example.com/greet (imported by example.test/app); to add:',
      'goproxy-guard-go-sum',
    ],
    [
      'go: 127.0.0.3/private/gitmod@v1.0.0: unrecognized import path "127.0.0.3/private/gitmod": reading https://127.0.0.3/private/gitmod?go-get=1: 401 Unauthorized',
      'goproxy-guard-import-path',
    ],
  ])('%s', (line, owner) => {
    expect(match(line)?.[0]).toBe(owner)
  })

  it.each([
    ['ok  \texample.test/app\t0.01s'],
    ['go: downloading example.com/greet v1.0.0'],
    ['--- FAIL: TestX (0.00s)'],
  ])('leaves ordinary output alone: %s', (line) => {
    expect(match(line)).toBeUndefined()
  })
})
