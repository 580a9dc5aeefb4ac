import { describe, expect, test } from '@jest/globals'
import { classifyGoFailure, type GoFailureContext } from '../../../src/diagnose/classify.js'
import { suggestPrivatePattern } from '../../../src/diagnose/suggest-pattern.js'
import type { ProxyEntry } from '../../../src/settings/types.js'

const CORP = 'https://goproxy.corp.example'
const entries = (value: string): ProxyEntry[] =>
  value.split(/(?<=[,|])/).map((part) => {
    const separator = part.endsWith(',') || part.endsWith('|') ? (part.slice(-1) as ',' | '|') : undefined
    const name = separator ? part.slice(0, -1) : part
    const entry: ProxyEntry = name === 'direct' || name === 'off' ? { kind: name } : { kind: 'url', url: name }
    if (separator) entry.separator = separator
    return entry
  })

const context: GoFailureContext = { goproxy: entries(`${CORP},https://proxy.golang.org,direct`) }

// Stderr as the real go command (1.26) prints it; most were captured from runs against loopback servers
// (see test/integration/diagnose.itest.ts, which checks the live text).
const ROWS: Array<[string, string, Partial<Record<'code' | 'kind' | 'module' | 'url', string>>]> = [
  [
    '403 with server response',
    `go: example.com/greet@v1.0.0: reading ${CORP}/example.com/greet/@v/v1.0.0.info: 403 Forbidden\n\tserver response:\n\tblocked by policy\n\tsecond line\n`,
    {
      code: 'proxy-http-403',
      kind: 'proxy',
      module: 'example.com/greet',
      url: `${CORP}/example.com/greet/@v/v1.0.0.info`,
    },
  ],
  [
    '401',
    `go: example.com/greet@v1.0.0: reading ${CORP}/example.com/greet/@v/v1.0.0.info: 401 Unauthorized\n\tserver response: unauthorized\n`,
    { code: 'proxy-http-401' },
  ],
  [
    '404',
    `go: example.com/greet@v1.0.0: reading ${CORP}/example.com/greet/@v/v1.0.0.info: 404 Not Found\n`,
    { code: 'proxy-http-404' },
  ],
  [
    '410',
    `go: example.com/greet@v1.0.0: reading ${CORP}/example.com/greet/@v/v1.0.0.info: 410 Gone\n\tserver response: gone\n`,
    { code: 'proxy-http-410' },
  ],
  [
    '500',
    `go: example.com/greet@v1.0.0: reading ${CORP}/example.com/greet/@v/v1.0.0.info: 500 Internal Server Error\n`,
    { code: 'proxy-http-5xx' },
  ],
  [
    '503',
    `go: example.com/greet@v1.0.0: reading ${CORP}/example.com/greet/@v/v1.0.0.info: 503 Service Unavailable\n`,
    { code: 'proxy-http-5xx' },
  ],
  [
    '429',
    `go: example.com/greet@v1.0.0: reading ${CORP}/example.com/greet/@v/v1.0.0.info: 429 Too Many Requests\n`,
    { code: 'proxy-http-429' },
  ],
  [
    'Go 1.12 wording',
    `go: example.com/greet@v1.0.0: unexpected status (${CORP}/example.com/greet/@v/v1.0.0.info): 403 Forbidden\n`,
    { code: 'proxy-http-403' },
  ],
  [
    'connection reset',
    `go: example.com/greet@v1.0.0: Get "http://127.0.0.1:18006/example.com/greet/@v/v1.0.0.info": read tcp 127.0.0.1:59402->127.0.0.1:18006: read: connection reset by peer\n`,
    { code: 'proxy-connection-reset', url: 'http://127.0.0.1:18006/example.com/greet/@v/v1.0.0.info' },
  ],
  [
    'connection refused',
    `go: example.com/greet@v1.0.0: Get "http://127.0.0.1:18999/example.com/greet/@v/v1.0.0.info": dial tcp 127.0.0.1:18999: connect: connection refused\n`,
    { code: 'proxy-tcp-refused' },
  ],
  [
    'no such host',
    `go: example.com/greet@v1.0.0: Get "https://nonexistent.invalid/example.com/greet/@v/v1.0.0.info": dial tcp: lookup nonexistent.invalid on 10.255.255.53:53: no such host\n`,
    { code: 'proxy-dns' },
  ],
  [
    'dial i/o timeout',
    `go: example.com/greet@v1.0.0: Get "https://proxy.golang.org/example.com/greet/@v/v1.0.0.info": dial tcp 142.250.1.1:443: i/o timeout\n`,
    { code: 'proxy-timeout' },
  ],
  [
    'DNS i/o timeout',
    `go: example.com/greet@v1.0.0: Get "https://proxy.golang.org/example.com/greet/@v/v1.0.0.info": dial tcp: lookup proxy.golang.org on 127.0.0.53:53: read udp 127.0.0.1:1->127.0.0.53:53: i/o timeout\n`,
    { code: 'proxy-dns-timeout' },
  ],
  [
    'unknown authority',
    `go: example.com/greet@v1.0.0: Get "${CORP}/example.com/greet/@v/v1.0.0.info": tls: failed to verify certificate: x509: certificate signed by unknown authority\n`,
    { code: 'proxy-tls-unknown-authority' },
  ],
  [
    'expired',
    `go: example.com/greet@v1.0.0: Get "${CORP}/example.com/greet/@v/v1.0.0.info": tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time 2026-11-23T12:00:00Z is after 2026-11-22T12:00:00Z\n`,
    { code: 'proxy-tls-expired' },
  ],
  [
    'wrong host',
    `go: example.com/greet@v1.0.0: Get "https://127.0.0.1:4443/example.com/greet/@v/v1.0.0.info": tls: failed to verify certificate: x509: cannot validate certificate for 127.0.0.1 because it doesn't contain any IP SANs\n`,
    { code: 'proxy-tls-wrong-host' },
  ],
  [
    'wrong host by name',
    `go: example.com/greet@v1.0.0: Get "${CORP}/x": tls: failed to verify certificate: x509: certificate is valid for other.example, not goproxy.corp.example\n`,
    { code: 'proxy-tls-wrong-host' },
  ],
  [
    'environment proxy refused',
    `go: example.com/greet@v1.0.0: verifying go.mod: example.com/greet@v1.0.0/go.mod: Get "https://sum.golang.org/lookup/example.com/greet@v1.0.0": proxyconnect tcp: dial tcp 127.0.0.1:9: connect: connection refused\n`,
    { code: 'sumdb-http-proxy', module: 'example.com/greet' },
  ],
  [
    'checksum database lookup 404 (private module)',
    `go: corp.example/private/secret@v1.0.0: verifying go.mod: corp.example/private/secret@v1.0.0/go.mod: reading https://sum.golang.org/lookup/corp.example/private/secret@v1.0.0: 404 Not Found\n\tserver response: not found\n`,
    { code: 'sumdb-not-found-private-module', kind: 'proxy', module: 'corp.example/private/secret' },
  ],
  [
    'checksum database lookup 410 (private module)',
    `go: corp.example/private/secret@v1.0.0: verifying module: corp.example/private/secret@v1.0.0: reading https://sum.golang.org/lookup/corp.example/private/secret@v1.0.0: 410 Gone\n\tserver response: gone\n`,
    { code: 'sumdb-gone-private-module', module: 'corp.example/private/secret' },
  ],
  [
    'checksum database unavailable through a proxy',
    `go: example.com/greet@v1.0.0: verifying go.mod: example.com/greet@v1.0.0/go.mod: reading ${CORP}/sumdb/sum.golang.org/supported: 403 Forbidden\n\tserver response:\n\tblocked by policy\n`,
    { code: 'sumdb-unavailable', url: `${CORP}/sumdb/sum.golang.org/supported` },
  ],
  [
    'checksum database timeout',
    `go: example.com/greet@v1.0.0: verifying module: example.com/greet@v1.0.0: Get "https://sum.golang.org/lookup/example.com/greet@v1.0.0": dial tcp 142.251.1.1:443: i/o timeout\n`,
    { code: 'sumdb-timeout' },
  ],
  [
    'go.sum mismatch',
    "verifying example.com/greet@v1.0.0: checksum mismatch\n\tdownloaded: h1:4YuW/FP7tip6okpt4aNg96/u7TiO2E9+IqOH7WRLIZ0=\n\tgo.sum:     h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\nSECURITY ERROR\nThis download does NOT match an earlier download recorded in go.sum.\nThe bits may have been replaced on the origin server, or an attacker may\nhave intercepted the download attempt.\n\nFor more information, see 'go help module-auth'.\n",
    { code: 'checksum-mismatch-go-sum', kind: 'security', module: 'example.com/greet' },
  ],
  [
    'checksum database mismatch',
    "go: example.com/greet@v1.0.0: verifying module: checksum mismatch\n\tdownloaded: h1:EFInw9d8aBRU4PbuB316z6nv0hL0bSKtY3/0C626Mt8=\n\tlocalhost/test-sumdb: h1:4YuW/FP7tip6okpt4aNg96/u7TiO2E9+IqOH7WRLIZ0=\n\nSECURITY ERROR\nThis download does NOT match the one reported by the checksum server.\nThe bits may have been replaced on the origin server, or an attacker may\nhave intercepted the download attempt.\n\nFor more information, see 'go help module-auth'.\n",
    { code: 'checksum-mismatch-sumdb', kind: 'security', module: 'example.com/greet' },
  ],
  [
    'GOPROXY=off',
    'go: example.com/greet@v1.0.0: module lookup disabled by GOPROXY=off\n',
    { code: 'goproxy-off', kind: 'proxy', module: 'example.com/greet' },
  ],
  [
    'missing scheme',
    'go: example.com/greet@v1.0.0: invalid proxy URL missing scheme: myproxy\n',
    { code: 'goproxy-missing-scheme', kind: 'config' },
  ],
  [
    'bad scheme',
    'go: example.com/greet@v1.0.0: invalid proxy URL scheme (must be https, http, file): ftp://x.example\n',
    { code: 'goproxy-bad-scheme' },
  ],
  [
    'bad file URL',
    'go: example.com/greet@v1.0.0: invalid file:// proxy URL with non-path elements: file://host/x\n',
    { code: 'goproxy-bad-file-url' },
  ],
  [
    'empty list',
    'go: example.com/greet@v1.0.0: GOPROXY list is not the empty string, but contains no entries\n',
    { code: 'goproxy-empty-list' },
  ],
  [
    'toolchain',
    'go: downloading go1.99.0 (linux/amd64)\ngo: download go1.99.0 for linux/amd64: toolchain not available\n',
    { code: 'toolchain-not-available', kind: 'config' },
  ],
  [
    'missing go.sum entry (build)',
    'main.go:3:8: missing go.sum entry for module providing package example.com/greet (imported by example.com/main); to add:\n\tgo get example.com/main\n',
    { code: 'missing-go-sum-entry', kind: 'drift' },
  ],
  [
    'missing go.sum entry (go.mod)',
    'go: example.com/greet@v1.0.0: missing go.sum entry for go.mod file; to add it:\n\tgo mod download example.com/greet\n',
    { code: 'missing-go-sum-entry', module: 'example.com/greet' },
  ],
  [
    'updates to go.mod',
    'go: updates to go.mod needed; to update it:\n\tgo mod tidy\n',
    { code: 'go-mod-update-needed', kind: 'drift' },
  ],
  [
    'updates to go.mod, -mod=readonly',
    'go: updates to go.mod needed, disabled by -mod=readonly; to update it:\n\tgo mod tidy\n',
    { code: 'go-mod-update-needed' },
  ],
  ['GOFLAGS unknown flag', 'go: parsing $GOFLAGS: unknown flag -bogus\n', { code: 'goflags-invalid', kind: 'config' }],
  ['GOFLAGS non-flag', 'go: parsing $GOFLAGS: non-flag "bogus"\n', { code: 'goflags-invalid' }],
  [
    'GOFLAGS needs argument',
    "go: flag needs an argument: -mod (from $GOFLAGS)\nusage: go build [-o output] [build flags] [packages]\nRun 'go help build' for details.\n",
    { code: 'goflags-invalid' },
  ],
  [
    'GOAUTH empty command',
    'go: GOAUTH encountered an empty command (GOAUTH=netrc;)\n',
    { code: 'goauth-invalid', kind: 'config' },
  ],
  [
    'GOAUTH off combined',
    'go: GOAUTH=off cannot be combined with other authentication commands (GOAUTH=off;netrc)\n',
    { code: 'goauth-invalid' },
  ],
  [
    'GOAUTH git relative',
    'go: GOAUTH=git dir method requires an absolute path to the git working directory, dir is not absolute\n',
    { code: 'goauth-invalid' },
  ],
  [
    'terminal prompts disabled',
    "go: corp.example/private/secret@v1.0.0: git ls-remote -q origin in /tmp/gopath/pkg/mod/cache/vcs/abc: exit status 128:\n\tfatal: could not read Username for 'https://corp.example': terminal prompts disabled\nConfirm the import path was entered correctly.\nIf this is a private repository, see https://golang.org/doc/faq#git_https for additional information.\n",
    { code: 'direct-git-auth', module: 'corp.example/private/secret' },
  ],
  [
    'terminal prompts disabled (Go 1.26 wording)',
    "go: 127.0.0.7/private/gitmod@v1.0.0: invalid version: git ls-remote -q --end-of-options https://127.0.0.7/private/gitmod.git in /tmp/gopath/pkg/mod/cache/vcs/08cb: exit status 128:\n\tfatal: could not read Username for 'https://127.0.0.7': terminal prompts disabled\nConfirm the import path was entered correctly.\nIf this is a private repository, see https://golang.org/doc/faq#git_https for additional information.\n",
    { code: 'direct-git-auth', module: '127.0.0.7/private/gitmod' },
  ],
  [
    'unrecognized import path',
    'go: example.com/greet@v1.0.0: unrecognized import path "example.com/greet": https fetch: Get "https://example.com/greet?go-get=1": proxyconnect tcp: dial tcp 127.0.0.1:9: connect: connection refused\n',
    { code: 'direct-unrecognized-import-path', module: 'example.com/greet' },
  ],
  ['invalid GOSUMDB', 'go: invalid GOSUMDB: malformed verifier id\n', { code: 'gosumdb-invalid', kind: 'config' }],
  [
    'credentials over http',
    'go: example.com/greet@v1.0.0: refusing to pass credentials to insecure URL: http://user:xxxxx@proxy.example/example.com/greet/@v/list\n',
    { code: 'goproxy-credentials-over-http' },
  ],
]

describe('classifyGoFailure recognises the go command’s failures', () => {
  test.each(ROWS)('%s', (_name, stderr, expected) => {
    const diagnoses = classifyGoFailure(stderr, context)
    expect(diagnoses).toHaveLength(1)
    expect(diagnoses[0]).toMatchObject(expected)
    const d = diagnoses[0]
    for (const field of [d?.title, d?.detail, d?.fix]) expect(field ?? '').not.toBe('')
  })

  test('unrecognised text gives nothing', () => {
    expect(classifyGoFailure('go: downloading example.com/greet v1.0.0\n', context)).toEqual([])
  })

  test('several failures, each once', () => {
    const line = (m: string): string =>
      `go: ${m}@v1.0.0: reading ${CORP}/${m}/@v/v1.0.0.info: 500 Internal Server Error\n`
    const diagnoses = classifyGoFailure(line('example.com/a') + line('example.com/b') + line('example.com/a'), context)
    expect(diagnoses.map((d) => d.module)).toEqual(['example.com/a', 'example.com/b'])
  })
})

describe('explanations use the user’s settings', () => {
  test('a 403 from a proxy followed by `,` says Go stops, and suggests `|`', () => {
    const [d] = classifyGoFailure(
      `go: m.example/x@v1.0.0: reading ${CORP}/m.example/x/@v/v1.0.0.info: 403 Forbidden\n`,
      context,
    )
    expect(d?.detail).toContain(`The \`,\` after ${CORP} makes Go stop here`)
    expect(d?.fix).toContain('put `|` after this proxy')
    expect(d?.fix).toContain("'goproxy.corp.example USERNAME TOKEN'")
  })

  test('the same after `|` says Go went on', () => {
    const ctx: GoFailureContext = { goproxy: entries(`${CORP}|https://proxy.golang.org,direct`) }
    const [d] = classifyGoFailure(
      `go: m.example/x@v1.0.0: reading ${CORP}/m.example/x/@v/v1.0.0.info: 500 Internal Server Error\n`,
      ctx,
    )
    expect(d?.detail).toContain('The `|` after')
    expect(d?.fix).not.toContain('put `|`')
  })

  test('a private module unknown to the checksum database: suggest its prefix for GONOSUMDB', () => {
    const [d] = classifyGoFailure(
      'go: github.com/acme/secret@v1.2.0: verifying module: github.com/acme/secret@v1.2.0: reading https://sum.golang.org/lookup/github.com/acme/secret@v1.2.0: 410 Gone\n\tserver response: not found: github.com/acme/secret@v1.2.0: invalid version: git ls-remote -q origin: exit status 128\n',
      context,
    )
    expect(d?.code).toBe('sumdb-gone-private-module')
    expect(d?.fix).toContain('add github.com/acme to GONOSUMDB')
  })

  test('the checksum database served through a proxy is still the checksum database', () => {
    const [d] = classifyGoFailure(
      `go: corp.example/x@v1.0.0: verifying module: corp.example/x@v1.0.0: reading ${CORP}/sumdb/sum.golang.org/lookup/corp.example/x@v1.0.0: 404 Not Found\n`,
      context,
    )
    expect(d?.code).toBe('sumdb-not-found-private-module')
    expect(d?.fix).toContain('add corp.example to GONOSUMDB')
  })

  test('GOPROXY=off for a module outside GOPRIVATE suggests GOPRIVATE', () => {
    const [d] = classifyGoFailure('go: corp.example/team/x@v1.0.0: module lookup disabled by GOPROXY=off\n', context)
    expect(d?.fix).toContain('add corp.example to GOPRIVATE')
    const covered = classifyGoFailure('go: corp.example/team/x@v1.0.0: module lookup disabled by GOPROXY=off\n', {
      ...context,
      goprivate: { patterns: ['corp.example'], value: 'corp.example' },
    })[0]
    expect(covered?.fix).not.toContain('GOPRIVATE')
  })

  test('a direct fetch says why it was direct', () => {
    const ctx: GoFailureContext = { ...context, goprivate: { patterns: ['corp.example'], value: 'corp.example' } }
    const [d] = classifyGoFailure(
      'go: corp.example/x@v1.0.0: unrecognized import path "corp.example/x": https fetch: Get "https://corp.example/x?go-get=1": dial tcp: lookup corp.example: no such host\n',
      ctx,
    )
    expect(d?.detail).toContain('matches GONOPROXY/GOPRIVATE')
  })

  test('URLs lose their userinfo (Go keeps a token written as the user name)', () => {
    const [d] = classifyGoFailure(
      'go: m.example/x@v1.0.0: reading https://ghp_SECRETTOKEN@goproxy.corp.example/m.example/x/@v/v1.0.0.info: 401 Unauthorized\n',
      context,
    )
    expect(JSON.stringify(d)).not.toContain('ghp_SECRETTOKEN')
    expect(d?.url).toBe('https://***@goproxy.corp.example/m.example/x/@v/v1.0.0.info')
  })
})

describe('suggestPrivatePattern', () => {
  test.each([
    ['corp.example/private/secret', 'corp.example'],
    ['github.com/acme/secret', 'github.com/acme'],
    ['gitlab.com/group/sub/repo', 'gitlab.com/group'],
    ['git.corp.example:8443/x', 'git.corp.example:8443'],
  ])('%s → %s', (modulePath, pattern) => {
    expect(suggestPrivatePattern(modulePath)).toBe(pattern)
  })
})
