import { describe, expect, it } from '@jest/globals'
import os from 'node:os'
import { credentialUrls } from '../../../src/run/credentials.js'
import { readSettings } from '../../../src/settings/read.js'
import type { InputName } from '../../../src/settings/inputs.js'

const settings = (inputs: Partial<Record<InputName, string>>) =>
  readSettings((name) => inputs[name] ?? '', { baseDirectory: os.tmpdir(), env: {} }).settings

describe('credentialUrls', () => {
  it('takes the URLs of the goproxy and gosumdb inputs', () => {
    expect(
      credentialUrls(
        settings({ goproxy: 'https://p.corp:8443/go|direct', gosumdb: 'sum.golang.org https://s.corp:9443' }),
      ),
    ).toEqual(['https://p.corp:8443/go', 'https://s.corp:9443'])
  })

  it("falls back to the job's GOPROXY and GOSUMDB when the inputs leave them unset", () => {
    const env = {
      GOPROXY: 'https://p.corp:8443/go, https://proxy.golang.org|direct',
      GOSUMDB: 'sum.golang.org https://s.corp:9443',
    }
    expect(credentialUrls(settings({ auth: 'p.corp u s' }), env)).toEqual([
      'https://p.corp:8443/go',
      'https://proxy.golang.org',
      'https://s.corp:9443',
    ])
  })

  it('prefers the inputs to the environment', () => {
    expect(credentialUrls(settings({ goproxy: 'https://a.corp:1/' }), { GOPROXY: 'https://b.corp:2/' })).toEqual([
      'https://a.corp:1/',
    ])
  })
})
