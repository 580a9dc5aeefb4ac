import { describe, expect, it } from '@jest/globals'
import { netrcEntries, netrcPasswords, renderNetrc } from '../../../src/secrets/netrc.js'
import type { Credential } from '../../../src/settings/types.js'

const cred = (host: string, secret = 's3cret'): Credential => ({ host, username: 'u', secret, origin: 'auth line 1' })

describe('netrcEntries', () => {
  it.each([
    ['bare host, no ports in use', [cred('proxy.corp')], [], ['proxy.corp']],
    [
      'bare host, GOPROXY on a port',
      [cred('proxy.corp')],
      ['https://proxy.corp:8443/go'],
      ['proxy.corp', 'proxy.corp:8443'],
    ],
    [
      'bare host, two ports',
      [cred('proxy.corp')],
      ['https://proxy.corp:8443/', 'https://proxy.corp:9443/'],
      ['proxy.corp', 'proxy.corp:8443', 'proxy.corp:9443'],
    ],
    [
      'host:port credential also serves older Go by host',
      [cred('proxy.corp:8443')],
      [],
      ['proxy.corp:8443', 'proxy.corp'],
    ],
    [
      'host:port credential does not take a host owned by another',
      [cred('proxy.corp:8443', 'a'), cred('proxy.corp', 'b')],
      [],
      ['proxy.corp:8443', 'proxy.corp'],
    ],
    ['a URL on another host adds nothing', [cred('proxy.corp')], ['https://other.corp:8443/'], ['proxy.corp']],
  ])('%s', (_name, credentials, urls, machines) => {
    expect(netrcEntries(credentials, urls).map((e) => e.machine)).toEqual(machines)
  })

  it('gives the bare host to its own credential when both exist', () => {
    const entries = netrcEntries([cred('proxy.corp:8443', 'a'), cred('proxy.corp', 'b')], [])
    expect(entries.find((e) => e.machine === 'proxy.corp')?.password).toBe('b')
  })
})

describe('renderNetrc', () => {
  it('puts our entries before the preserved ones, so Go picks ours', () => {
    const text = renderNetrc([{ machine: 'h', login: 'u', password: 'p' }], 'machine h login old password older')
    expect(text.indexOf('password p')).toBeLessThan(text.indexOf('password older'))
    expect(netrcPasswords(text)).toEqual(['p', 'older'])
  })
})
