import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { MASK, Redactor } from '../../../src/secrets/redactor.js'

describe('Redactor', () => {
  it('masks the secret, its URL-encoded, JSON-escaped and base64 forms', () => {
    const r = new Redactor()
    const secret = 'p@ss/w0rd"x+y'
    r.addCredential('alice', secret)
    const variants = [
      secret,
      encodeURIComponent(secret),
      JSON.stringify(secret).slice(1, -1),
      Buffer.from(secret).toString('base64'),
      Buffer.from(`alice:${secret}`).toString('base64'),
    ]
    for (const v of variants) expect(r.redact(`before ${v} after`)).toBe(`before ${MASK} after`)
  })

  it('masks the secret inside base64 of any prefix, whatever its alignment', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 8, maxLength: 40 }),
        fc.string({ maxLength: 12 }),
        fc.string({ maxLength: 12 }),
        (secret, prefix, suffix) => {
          const r = new Redactor()
          r.addSecret(secret)
          const encoded = Buffer.from(prefix + secret + suffix).toString('base64')
          const fragment = Buffer.from(secret).toString('base64').slice(2, -3)
          const out = r.redact(encoded)
          // no long run of the secret's own encoding survives
          return fragment.length < 6 || !out.includes(fragment) || out.includes(MASK)
        },
      ),
    )
  })

  it('masks a whole URL before the secret inside it', () => {
    const r = new Redactor()
    r.addSecret('tok3n-value')
    r.addValue('https://bob:tok3n-value@proxy.example/')
    expect(r.redact('GET https://bob:tok3n-value@proxy.example/ failed')).toBe(`GET ${MASK} failed`)
  })

  it('leaves text alone when nothing is registered, and ignores empty secrets', () => {
    const r = new Redactor()
    expect(r.addSecret('')).toEqual([])
    expect(r.redact('nothing to hide')).toBe('nothing to hide')
  })

  it('treats regular-expression characters in secrets literally', () => {
    const r = new Redactor()
    r.addSecret('a.b*c(d)[e]')
    expect(r.redact('xa.b*c(d)[e]y aXbbc')).toBe(`x${MASK}y aXbbc`)
  })
})
