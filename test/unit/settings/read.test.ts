import { afterAll, beforeAll, describe, expect, it, test } from '@jest/globals'
import { mkdir, symlink } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { InputErrors } from '../../../src/settings/errors.js'
import type { InputName } from '../../../src/settings/inputs.js'
import { readSettings } from '../../../src/settings/read.js'
import { removeTempDirs, tempDir } from '../../helpers/temp-dir.js'

const read = (inputs: Partial<Record<InputName, string>>, env: Record<string, string> = {}) =>
  readSettings((name) => inputs[name] ?? '', { baseDirectory: os.tmpdir(), env })

function errorsOf(inputs: Partial<Record<InputName, string>>): string[] {
  try {
    read(inputs)
  } catch (error) {
    if (error instanceof InputErrors) return error.errors.map((e) => e.message)
    throw error
  }
  throw new Error('expected InputErrors')
}

describe('readSettings', () => {
  it('applies action.yml defaults when inputs are empty', () => {
    const { settings } = read({})
    expect(settings).toMatchObject({
      workingDirectory: os.tmpdir(),
      modules: [],
      probe: true,
      probeTimeoutMs: 10_000,
      onProxyFailure: 'fail',
      selectFastest: false,
      cache: true,
      cacheKeyPrefix: 'goproxy-guard',
      cacheSave: true,
      buildCache: true,
      buildCacheSave: 'default-branch',
      goTimeoutMs: 600_000,
      download: true,
      checkDrift: true,
      checkPost: true,
      allowExternalReplace: false,
      credentials: [],
    })
    expect(settings.goproxy).toBeUndefined()
    expect(settings.gosumdb).toBeUndefined()
  })

  it('fills GOPROXY and GOSUMDB from a preset, and explicit inputs win over it', () => {
    const china = read({ preset: 'china' })
    expect(china.settings.goproxy?.value).toBe('https://goproxy.cn,https://mirrors.aliyun.com/goproxy/,direct')
    expect(china.sources).toMatchObject({ GOPROXY: 'preset', GOSUMDB: 'preset' })
    const mixed = read({ preset: 'china', goproxy: 'https://proxy.corp' })
    expect(mixed.settings.goproxy?.value).toBe('https://proxy.corp')
    expect(mixed.sources['GOPROXY']).toBe('input')
    expect(mixed.settings.gosumdb?.name).toBe('sum.golang.org')
  })

  it('collects credentials from auth lines and GOPROXY userinfo', () => {
    const { settings } = read({ goproxy: 'https://u1:s1@proxy.corp:8443/go', auth: 'git.corp u2 s2' })
    expect(settings.credentials.map((c) => [c.host, c.username, c.secret])).toEqual([
      ['proxy.corp:8443', 'u1', 's1'],
      ['git.corp', 'u2', 's2'],
    ])
    expect(settings.goproxy?.value).toBe('https://proxy.corp:8443/go')
  })

  it('reports every invalid input at once, naming each', () => {
    const messages = errorsOf({
      probe: 'yes',
      'probe-timeout': '0',
      'on-proxy-failure': 'explode',
      preset: 'moon',
      'cache-key-prefix': 'a,b',
    })
    expect(messages).toEqual([
      expect.stringMatching(/^Input 'preset': 'moon' is not a preset/),
      expect.stringMatching(/^Input 'probe-timeout':/),
      expect.stringMatching(/^Input 'on-proxy-failure':/),
      expect.stringMatching(/^Input 'cache-key-prefix':/),
      expect.stringMatching(/^Input 'probe': 'yes' is not a boolean/),
    ])
  })

  it('reads the failure policy, the build cache and the go command limit', () => {
    const { settings } = read({
      'on-proxy-failure': 'strict',
      'build-cache': 'false',
      'build-cache-save': 'always',
      'go-timeout': '15',
    })
    expect(settings).toMatchObject({
      onProxyFailure: 'strict',
      buildCache: false,
      buildCacheSave: 'always',
      goTimeoutMs: 15_000,
    })
  })

  it('states the exact rule for seconds and choices in its messages', () => {
    expect(errorsOf({ 'probe-timeout': '0', 'go-timeout': '99999', 'build-cache-save': 'main' })).toEqual([
      "Input 'probe-timeout': '0' is not a number of seconds greater than 0 and at most 600. Use e.g. 10.",
      "Input 'build-cache-save': 'main' is not one of default-branch, always, never.",
      "Input 'go-timeout': '99999' is not a number of seconds greater than 0 and at most 21600. Use e.g. 600.",
    ])
  })

  it('refuses two different credentials for one host, without showing either', () => {
    const messages = errorsOf({ goproxy: 'https://u:first-secret@proxy.corp', auth: 'proxy.corp u second-secret' })
    expect(messages).toHaveLength(1)
    expect(messages[0]).toMatch(/different credentials for proxy\.corp/)
    expect(messages[0]).not.toMatch(/first-secret|second-secret/)
  })

  it('refuses a working directory that does not exist and module paths outside it', () => {
    const messages = errorsOf({ 'working-directory': 'no/such/dir', modules: '../elsewhere' })
    expect(messages[0]).toMatch(/^Input 'working-directory': 'no\/such\/dir' is not a directory/)
    expect(messages[1]).toMatch(/^Input 'modules': '\.\.\/elsewhere' must be a directory inside working-directory/)
  })

  describe('the workspace boundary', () => {
    // checkout/            the workspace (the base directory)
    //   services/api/      a directory inside it
    //   escape -> ../outside, services/api/mods -> ../../../outside, inner -> services
    // outside/
    let root: string
    let workspace: string
    beforeAll(async () => {
      root = await tempDir('read-boundary-')
      workspace = path.join(root, 'checkout')
      await mkdir(path.join(workspace, 'services', 'api'), { recursive: true })
      await mkdir(path.join(root, 'outside'))
      await symlink(path.join(root, 'outside'), path.join(workspace, 'escape'))
      await symlink(path.join(root, 'outside'), path.join(workspace, 'services', 'api', 'mods'))
      await symlink(path.join(workspace, 'services'), path.join(workspace, 'inner'))
    })
    afterAll(removeTempDirs)

    const inWorkspace = (inputs: Partial<Record<InputName, string>>): string[] => {
      try {
        readSettings((name) => inputs[name] ?? '', { baseDirectory: workspace, env: {} })
        return []
      } catch (error) {
        if (error instanceof InputErrors) return error.errors.map((e) => e.message)
        throw error
      }
    }

    test.each([
      ['..', () => `${root},`],
      ['../../..', undefined],
      ['services/../..', () => `${root},`],
      ['escape', () => `${path.join(root, 'outside')},`],
      ['/', () => '/,'],
    ])('refuses working-directory %j, which leads out of it', (dir, leadsTo) => {
      const messages = inWorkspace({ 'working-directory': dir })
      expect(messages).toHaveLength(1)
      expect(messages[0]).toContain(`Input 'working-directory': '${dir}' is outside the workspace (${workspace})`)
      if (leadsTo !== undefined) expect(messages[0]).toContain(`leads to ${leadsTo()}`)
      expect(messages[0]).toContain('Give a directory inside the repository, relative to its root.')
    })

    test.each(['services/api', 'inner/api', '.', 'services/..'])('accepts working-directory %j', (dir) => {
      expect(inWorkspace({ 'working-directory': dir })).toEqual([])
    })

    it('accepts an absolute working-directory inside the workspace', () => {
      expect(inWorkspace({ 'working-directory': path.join(workspace, 'services') })).toEqual([])
    })

    it('refuses a module directory that a symbolic link leads out of the workspace', () => {
      const messages = inWorkspace({ 'working-directory': 'services/api', modules: 'mods\n.' })
      expect(messages).toEqual([
        `Input 'modules': 'mods' leads outside the workspace (${workspace}) through a symbolic link, to ` +
          `${path.join(root, 'outside')}: the checks would read files that are not part of the checkout. List ` +
          'directories inside it.',
      ])
    })
  })

  it('warns about variables Go does not read, and about credentials GOAUTH will ignore', () => {
    const { warnings } = read({ goauth: 'off', auth: 'h u s' }, { GONOSUMCHECK: '1' })
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /GONOSUMCHECK is set in the environment, but Go does not read it\. Did you mean GONOSUMDB\?/,
        ),
        expect.stringMatching(/goauth is off/),
      ]),
    )
  })
})
