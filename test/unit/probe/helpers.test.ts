import { describe, expect, test } from '@jest/globals'
import { authorizationFor, credentialFor } from '../../../src/probe/credentials.js'
import { environmentProxyFor } from '../../../src/probe/env-proxy.js'
import { caseEncode, moduleRequestPath, parseProbeModule } from '../../../src/probe/module-path.js'
import { goServerMessage } from '../../../src/probe/server-message.js'
import { statusClassOf } from '../../../src/probe/status-class.js'
import type { Credential } from '../../../src/settings/types.js'

describe('module request paths', () => {
  test.each([
    ['github.com/Azure/azure-sdk', 'github.com/!azure/azure-sdk'],
    ['github.com/BurntSushi/toml', 'github.com/!burnt!sushi/toml'],
    ['example.com/lower', 'example.com/lower'],
  ])('%s is case-encoded as %s', (path, encoded) => {
    expect(caseEncode(path)).toBe(encoded)
  })

  test('`!` goes on the wire percent-encoded, as Go writes it', () => {
    expect(moduleRequestPath({ path: 'github.com/BurntSushi/toml' })).toBe('github.com/%21burnt%21sushi/toml/@v/list')
  })

  test('with a version, the .info of that version', () => {
    expect(moduleRequestPath({ path: 'example.com/Upper', version: 'v1.0.0-RC1' })).toBe(
      'example.com/%21upper/@v/v1.0.0-%21r%21c1.info',
    )
  })

  test.each([
    ['example.com/m', { path: 'example.com/m' }],
    ['example.com/m@v1.2.3', { path: 'example.com/m', version: 'v1.2.3' }],
    ['  ', undefined],
    [undefined, undefined],
  ])('parseProbeModule(%j)', (text, expected) => {
    expect(parseProbeModule(text)).toEqual(expected)
  })
})

describe('credentials, as Go would send them', () => {
  const credentials: Credential[] = [
    { host: 'proxy.corp', username: 'host-user', secret: 'host-secret', origin: 'auth line 1' },
    { host: 'proxy.corp:8443', username: 'port-user', secret: 'port-secret', origin: 'auth line 2' },
  ]
  test.each([
    ['https://proxy.corp/m/@v/list', 'host-user'],
    ['https://proxy.corp:8443/m/@v/list', 'port-user'],
    ['https://proxy.corp:9443/m/@v/list', 'host-user'],
    ['https://PROXY.corp/m', 'host-user'],
    ['http://proxy.corp/m/@v/list', undefined],
    ['https://other.corp/m/@v/list', undefined],
  ])('%s → %s', (url, username) => {
    expect(credentialFor(url, credentials)?.username).toBe(username)
  })

  test('Basic, base64 of user:secret', () => {
    expect(authorizationFor('https://proxy.corp/x', credentials)).toBe(
      `Basic ${Buffer.from('host-user:host-secret').toString('base64')}`,
    )
  })
})

describe('HTTP proxy from the environment, as Go picks it', () => {
  const env = {
    HTTPS_PROXY: 'http://egress:3128',
    HTTP_PROXY: 'egress-plain:3128',
    NO_PROXY: '.corp.example,10.0.0.0/8,nexus:8081',
  }
  test.each([
    ['https://proxy.golang.org/x', 'http://egress:3128'],
    ['http://mirror.example/x', 'http://egress-plain:3128'],
    ['https://goproxy.corp.example/x', undefined],
    ['https://corp.example/x', undefined],
    ['https://10.1.2.3/x', undefined],
    ['https://nexus:8081/x', undefined],
    ['https://nexus:8443/x', 'http://egress:3128'],
    ['https://127.0.0.1:8443/x', undefined],
    ['https://localhost/x', undefined],
  ])('%s → %s', (url, proxy) => {
    expect(environmentProxyFor(url, env)).toBe(proxy)
  })

  test('NO_PROXY=* turns it off; lower-case names count', () => {
    expect(environmentProxyFor('https://a.example/', { https_proxy: 'http://p:1', no_proxy: '*' })).toBeUndefined()
    expect(environmentProxyFor('https://a.example/', { https_proxy: 'http://p:1' })).toBe('http://p:1')
  })
})

describe('the server response Go quotes', () => {
  test('text/plain: up to the first blank line', () => {
    expect(goServerMessage('text/plain; charset=utf-8', 'not found: x\nsecond\n\nhidden')).toBe('not found: x\nsecond')
  })
  test('at most 8 lines', () => {
    expect(
      goServerMessage('text/plain', Array.from({ length: 12 }, (_, i) => `l${i}`).join('\n'))?.split('\n'),
    ).toHaveLength(8)
  })
  test('nothing for HTML, other charsets, or control characters', () => {
    expect(goServerMessage('text/html', 'x')).toBeUndefined()
    expect(goServerMessage('text/plain; charset=latin1', 'x')).toBeUndefined()
    expect(goServerMessage('text/plain', 'bad\u0007bell')).toBeUndefined()
  })
})

describe('status classes', () => {
  test.each([
    [200, 'success'],
    [404, 'not-found'],
    [410, 'not-found'],
    [401, 'auth'],
    [403, 'auth'],
    [407, 'auth'],
    [429, 'rate-limited'],
    [500, 'server-error'],
    [503, 'server-error'],
    [302, 'redirect'],
    [418, 'other'],
  ])('%i → %s', (status, statusClass) => {
    expect(statusClassOf(status)).toBe(statusClass)
  })
})
