import { describe, expect, it } from '@jest/globals'
import { gitIncludeVariables, renderGitCredentialConfig } from '../../../src/secrets/git-config.js'

describe('git credential config', () => {
  it('scopes a Basic header to each host', () => {
    const text = renderGitCredentialConfig([
      { host: 'git.corp', username: 'ci', secret: 'tok', origin: 'auth line 1' },
      { host: 'git.corp:8443', username: 'ci', secret: 'tok2', origin: 'auth line 2' },
    ])
    expect(text).toBe(
      `[http "https://git.corp/"]\n\textraheader = Authorization: Basic ${Buffer.from('ci:tok').toString('base64')}\n` +
        `[http "https://git.corp:8443/"]\n\textraheader = Authorization: Basic ${Buffer.from('ci:tok2').toString('base64')}\n`,
    )
  })

  it.each([
    [{}, { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'include.path', GIT_CONFIG_VALUE_0: '/t/f' }],
    [
      { GIT_CONFIG_COUNT: '2' },
      { GIT_CONFIG_COUNT: '3', GIT_CONFIG_KEY_2: 'include.path', GIT_CONFIG_VALUE_2: '/t/f' },
    ],
    [
      { GIT_CONFIG_COUNT: 'junk' },
      { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'include.path', GIT_CONFIG_VALUE_0: '/t/f' },
    ],
  ])('continues GIT_CONFIG_COUNT %j', (env, expected) => {
    expect(gitIncludeVariables('/t/f', env)).toEqual(expected)
  })
})
