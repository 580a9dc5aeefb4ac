import { describe, expect, it } from '@jest/globals'
import { blockingDiagnoses, classifyWithoutContext, goErrorText } from '../../../src/drift/go-failure.js'

// What keeps a drift check from running (a proxy, credential or checksum failure), as the drift checks see it.
describe('classifyWithoutContext', () => {
  it.each([
    [
      'go: example.com/util@v0.1.0: reading https://proxy.corp/example.com/util/@v/v0.1.0.mod: 503 Service Unavailable',
      'proxy-http-5xx',
      'https://proxy.corp/example.com/util/@v/v0.1.0.mod',
    ],
    [
      'go: example.com/x@v1.0.0: reading https://user:s3cret@proxy.corp/example.com/x/@v/list: 401 Unauthorized',
      'proxy-http-401',
      'https://***@proxy.corp/example.com/x/@v/list',
    ],
    [
      'reading https://proxy.corp/x/@v/list: 403 Forbidden\n\tserver response: not allowed',
      'proxy-http-403',
      'https://proxy.corp/x/@v/list',
    ],
    [
      'unexpected status (https://proxy.corp/x/@v/list): 500 Internal Server Error',
      'proxy-http-5xx',
      'https://proxy.corp/x/@v/list',
    ],
    [
      'go: example.com/greet@v1.0.0: Get "http://127.0.0.1:1/example.com/greet/@v/v1.0.0.mod": dial tcp 127.0.0.1:1: connect: connection refused',
      'proxy-tcp-refused',
      'http://127.0.0.1:1/example.com/greet/@v/v1.0.0.mod',
    ],
    [
      'Get "https://proxy.golang.org/x/@v/list": dial tcp 142.250.0.1:443: i/o timeout',
      'proxy-timeout',
      'https://proxy.golang.org/x/@v/list',
    ],
    ['dial tcp: lookup proxy.corp on 127.0.0.53:53: no such host', 'proxy-dns', undefined],
    [
      'Get "https://proxy.corp/x/@v/list": tls: failed to verify certificate: x509: certificate signed by unknown authority',
      'proxy-tls-unknown-authority',
      'https://proxy.corp/x/@v/list',
    ],
    [
      'go: corp.example/private/secret@v1.0.0: verifying module: corp.example/private/secret@v1.0.0: reading https://sum.golang.org/lookup/corp.example/private/secret@v1.0.0: 410 Gone',
      'sumdb-gone-private-module',
      'https://sum.golang.org/lookup/corp.example/private/secret@v1.0.0',
    ],
    [
      "fatal: could not read Username for 'https://github.com': terminal prompts disabled",
      'direct-git-auth',
      undefined,
    ],
    ['go: example.com/x@v1.0.0: module lookup disabled by GOPROXY=off', 'goproxy-off', undefined],
  ])('%s', (stderr, code, url) => {
    const [diagnosis] = classifyWithoutContext(stderr)
    expect(diagnosis).toMatchObject({ code, kind: 'proxy', severity: 'error' })
    expect(diagnosis?.url).toBe(url)
    expect(JSON.stringify(classifyWithoutContext(stderr))).not.toContain('s3cret')
  })

  it('calls a checksum mismatch a security problem', () => {
    const stderr =
      'verifying example.com/greet@v1.0.0: checksum mismatch\n\tdownloaded: h1:AAA=\n\tgo.sum:     h1:BBB=\n\nSECURITY ERROR\nThis download does NOT match an earlier download recorded in go.sum.'
    expect(classifyWithoutContext(stderr).map((d) => [d.kind, d.code])).toEqual([
      ['security', 'checksum-mismatch-go-sum'],
    ])
  })

  it.each([
    'reading file:///tmp/proxy/example.com/b/lib/@v/list: no such file or directory',
    'missing go.sum entry for module providing package example.com/greet',
    'example.com/x/tls: cannot find module providing package example.com/x/tls',
    'build constraints exclude all Go files',
  ])('is not a proxy failure: %s', (stderr) => {
    expect(blockingDiagnoses(classifyWithoutContext, stderr)).toEqual([])
  })

  it('reports a 404 from the last proxy as what stopped the check, since no later source has the module', () => {
    const stderr = 'reading https://proxy.golang.org/example.com/nope/@v/list: 404 Not Found'
    expect(blockingDiagnoses(classifyWithoutContext, stderr).map((d) => [d.kind, d.code])).toEqual([
      ['proxy', 'proxy-http-404'],
    ])
  })

  it('lets drift diagnoses through as drift', () => {
    const classify = () => [
      { code: 'missing-go-sum', kind: 'drift' as const, severity: 'error' as const, title: '', detail: '', fix: '' },
    ]
    expect(blockingDiagnoses(classify, 'anything')).toEqual([])
  })
})

describe('goErrorText', () => {
  it('drops progress lines', () => {
    expect(goErrorText('go: downloading a v1\ngo: finding module for package b\ngo: real error\n')).toBe(
      'go: real error',
    )
  })
})
