import { describe, expect, it } from '@jest/globals'
import { formatDotenv, formatSh } from '../../../src/cli/env-format.js'

describe('environment formats', () => {
  const env = new Map([
    ['GOPROXY', 'https://p.corp,direct'],
    ['GOFLAGS', "-tags=it's"],
    ['NETRC', '/tmp/goproxy-guard-x/netrc'],
    ['GIT_CONFIG_COUNT', '1'],
    ['GIT_CONFIG_VALUE_0', '/tmp/goproxy-guard-x/git-credentials.config'],
  ])

  it('sh quotes values so the shell reads them back exactly', () => {
    expect(formatSh(env)).toContain(`export GOFLAGS='-tags=it'\\''s'\n`)
  })

  it('dotenv holds no path to a credential file', () => {
    const text = formatDotenv(env)
    expect(text).toBe("GOPROXY=https://p.corp,direct\nGOFLAGS=-tags=it's\n")
  })
})
