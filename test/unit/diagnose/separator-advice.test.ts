import { describe, expect, it } from '@jest/globals'
import { classifyGoFailure } from '../../../src/diagnose/classify.js'
import { parseGoproxy } from '../../../src/settings/goproxy.js'

const stderr =
  'go: example.com/greet@v1.0.0: reading https://proxy.corp.example/example.com/greet/@v/v1.0.0.info: 503 Service Unavailable\n'

describe('the `|` advice', () => {
  it.each([
    ['https://proxy.corp.example,https://proxy.golang.org', true],
    ['https://proxy.corp.example,direct', true],
    ['https://proxy.corp.example,off', false],
    ['https://proxy.corp.example', false],
    ['https://proxy.corp.example|https://proxy.golang.org', false],
  ])('GOPROXY=%s → advise `|`: %s', (goproxy, advised) => {
    const [diagnosis] = classifyGoFailure(stderr, { goproxy: parseGoproxy(goproxy).value.entries })
    expect(diagnosis?.fix.includes('put `|` after this proxy')).toBe(advised)
  })
})

describe('TLS failures', () => {
  it('are not read into a package path that ends in /tls', () => {
    const stderr = 'example.com/x/tls: cannot find module providing package example.com/x/tls\n'
    expect(classifyGoFailure(stderr, {}).map((d) => d.code)).not.toContain('tls-handshake')
    expect(classifyGoFailure(stderr, {}).map((d) => d.code)).not.toContain('proxy-tls-handshake')
  })

  it('are still recognised as Go prints them', () => {
    const stderr = 'go: example.com/m@v1.0.0: Get "https://p.example/m/@v/list": remote error: tls: handshake failure\n'
    expect(classifyGoFailure(stderr, {}).map((d) => d.kind)).toEqual(['proxy'])
  })
})
