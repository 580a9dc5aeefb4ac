import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { escapeModulePath, unescapeModulePath } from '../../../src/modules/escape.js'
import { compareGoVersions } from '../../../src/modules/go-version.js'
import { assessNeeds, stillMissing, type NeedsInput } from '../../../src/modules/needs.js'
import { toolchainSwitch } from '../../../src/modules/toolchain.js'
import { lastModFlag, usesVendor } from '../../../src/modules/vendor-mode.js'
import { parseGoproxy } from '../../../src/settings/goproxy.js'
import { parsePatternList } from '../../../src/settings/patterns.js'

describe('module path escaping', () => {
  it.each([
    ['github.com/Azure/azure-sdk', 'github.com/!azure/azure-sdk'],
    ['example.com/Upper', 'example.com/!upper'],
    ['v1.0.0-RC.1', 'v1.0.0-!r!c.1'],
    ['plain/path', 'plain/path'],
  ])('%s ⇄ %s', (plain, escaped) => {
    expect(escapeModulePath(plain)).toBe(escaped)
    expect(unescapeModulePath(escaped)).toBe(plain)
  })

  it.each(['github.com/Azure', 'a/!', 'a/!9'])('refuses %s, which Go never writes', (text) => {
    expect(unescapeModulePath(text)).toBeUndefined()
  })
})

describe('Go version order', () => {
  it.each([
    ['1.21', '1.21rc1', -1],
    ['1.21rc1', '1.21.0', -1],
    ['1.21beta1', '1.21rc1', -1],
    ['1.21.0', '1.21.1', -1],
    ['go1.26.8', '1.26', 1],
    ['1.14', '1.14', 0],
    ['1.9', '1.14', -1],
  ])('%s vs %s', (a, b, sign) => {
    expect(Math.sign(compareGoVersions(a, b) ?? NaN)).toBe(sign)
  })
})

describe('toolchainSwitch (Go toolchain selection)', () => {
  it.each([
    ['local', '1.30', undefined, undefined],
    ['auto', '1.26', undefined, undefined],
    ['auto', '1.27', undefined, { toolchain: 'go1.27.0', download: true }],
    ['auto', '1.27rc2', undefined, { toolchain: 'go1.27rc2', download: true }],
    ['auto', '1.24', 'go1.27.3', { toolchain: 'go1.27.3', download: true }],
    ['go1.26.8+auto', '1.27', undefined, { toolchain: 'go1.27.0', download: true }],
    ['path', '1.27', undefined, { toolchain: 'go1.27.0', download: false }],
    ['go1.25.1', '1.24', undefined, { toolchain: 'go1.25.1', download: true }],
    ['auto', '1.27', 'default', { toolchain: 'go1.27.0', download: true }],
  ] as const)('GOTOOLCHAIN=%s, go %s, toolchain %s on go1.26.8', (setting, goLine, toolchainLine, expected) => {
    expect(toolchainSwitch(setting, 'go1.26.8', goLine, toolchainLine)).toEqual(expected)
  })
})

describe('vendor mode (Go: vendor/ exists, go ≥ 1.14, no -mod flag, modules.txt in the same mode)', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'vendor-mode-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('follows Go, flag by flag', async () => {
    const base = { directory: dir, goLine: '1.21', goflags: '', workspace: false }
    expect(await usesVendor(base)).toBe(false)
    await mkdir(path.join(dir, 'vendor'))
    await writeFile(path.join(dir, 'vendor', 'modules.txt'), '# example.com/a v1.0.0\n## explicit\n')
    expect(await usesVendor(base)).toBe(true)
    expect(await usesVendor({ ...base, goLine: '1.13' })).toBe(false)
    expect(await usesVendor({ ...base, goLine: undefined })).toBe(false)
    expect(await usesVendor({ ...base, goflags: '-mod=mod' })).toBe(false)
    expect(await usesVendor({ ...base, goflags: '-mod=readonly -mod=vendor' })).toBe(true)
    expect(await usesVendor({ ...base, workspace: true })).toBe(false)
    await writeFile(path.join(dir, 'vendor', 'modules.txt'), '## workspace\n# example.com/a v1.0.0\n')
    expect(await usesVendor({ ...base, workspace: true })).toBe(true)
    expect(lastModFlag('-trimpath --mod=vendor')).toBe('vendor')
  })
})

describe('assessNeeds: what the job needs from the network, read offline', () => {
  let root: string
  let input: NeedsInput
  const GO_SUM = [
    'example.com/greet v1.0.0 h1:aaa=',
    'example.com/greet v1.0.0/go.mod h1:bbb=',
    'example.com/util v0.1.0 h1:ccc=',
    'example.com/util v0.1.0/go.mod h1:ddd=',
    'example.com/old v0.9.0/go.mod h1:eee=',
    'corp.example/secret v1.0.0 h1:fff=',
    'corp.example/secret v1.0.0/go.mod h1:ggg=',
  ].join('\n')
  const GO_MOD =
    'module example.test/app\n\ngo 1.24\n\nrequire (\n\texample.com/util v0.1.0\n\tcorp.example/secret v1.0.0\n)\n\nrequire example.com/greet v1.0.0 // indirect\n'

  async function cached(modulePath: string, version: string, exts: string[]): Promise<void> {
    const at = path.join(root, 'mod', 'cache', 'download', ...escapeModulePath(modulePath).split('/'), '@v')
    await mkdir(at, { recursive: true })
    for (const ext of exts) await writeFile(path.join(at, `${version}.${ext}`), ext)
  }

  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'needs-'))
    await mkdir(path.join(root, 'app'))
    await writeFile(path.join(root, 'app', 'go.mod'), GO_MOD)
    await writeFile(path.join(root, 'app', 'go.sum'), GO_SUM)
    input = {
      layout: { workingDirectory: root, modules: ['app'] },
      goEnv: {
        GOMODCACHE: path.join(root, 'mod'),
        GOFLAGS: '',
        GOVERSION: 'go1.26.8',
        GOTOOLCHAIN: 'local',
        GOHOSTOS: 'linux',
        GOHOSTARCH: 'amd64',
      },
      goproxy: parseGoproxy('https://proxy.example,direct').value.entries,
      gosumdbOff: false,
      patterns: { goprivate: parsePatternList('corp.example', 'goprivate').value },
      runs: { download: true, checkDrift: true },
    }
  })
  afterEach(async () => {
    await rm(root, { recursive: true, force: true })
  })

  it('an empty cache: every module version, each by its route (GOPRIVATE goes direct)', async () => {
    const needs = await assessNeeds(input)
    expect(needs.moduleVersions).toBe(4)
    expect(needs.missing.map((m) => [`${m.path}@${m.version}`, m.route, m.missing.join('+')])).toEqual([
      ['corp.example/secret@v1.0.0', 'direct', 'zip+mod+info'],
      ['example.com/greet@v1.0.0', 'proxy', 'zip+mod+info'],
      ['example.com/old@v0.9.0', 'proxy', 'mod'],
      ['example.com/util@v0.1.0', 'proxy', 'zip+mod+info'],
    ])
    expect(needs.unsummed).toEqual([])
  })

  it('a complete cache: nothing from the network; .info only matters when the job downloads', async () => {
    for (const [m, v] of [
      ['example.com/greet', 'v1.0.0'],
      ['example.com/util', 'v0.1.0'],
      ['corp.example/secret', 'v1.0.0'],
    ] as const)
      await cached(m, v, ['zip', 'ziphash', 'mod'])
    await cached('example.com/old', 'v0.9.0', ['mod'])
    expect((await assessNeeds({ ...input, runs: { download: false, checkDrift: true } })).missing).toEqual([])
    const downloading = await assessNeeds(input)
    expect(downloading.missing.map((m) => [m.path, m.missing])).toEqual([
      ['corp.example/secret', ['info']],
      ['example.com/greet', ['info']],
      ['example.com/util', ['info']],
    ])
    await cached('example.com/greet', 'v1.0.0', ['info'])
    expect(await stillMissing(path.join(root, 'mod'), downloading.missing)).toHaveLength(2)
  })

  it('a zip without its .ziphash is not in the cache for Go', async () => {
    await cached('example.com/util', 'v0.1.0', ['zip', 'mod', 'info'])
    const needs = await assessNeeds(input)
    expect(needs.missing.find((m) => m.path === 'example.com/util')?.missing).toEqual(['zip'])
  })

  it('go.sum lacking a line: the checksum database must vouch, unless GONOSUMDB (or GOSUMDB=off) covers it', async () => {
    await writeFile(path.join(root, 'app', 'go.sum'), GO_SUM.replace('example.com/util v0.1.0 h1:ccc=\n', ''))
    expect((await assessNeeds(input)).unsummed).toEqual(['example.com/util@v0.1.0'])
    const covered = { ...input.patterns, gonosumdb: parsePatternList('example.com', 'gonosumdb').value }
    expect((await assessNeeds({ ...input, patterns: covered })).unsummed).toEqual([])
    expect((await assessNeeds({ ...input, gosumdbOff: true })).unsummed).toEqual([])
    // a private module is never sent to the database (GOPRIVATE sets GONOSUMDB's default)
    await writeFile(path.join(root, 'app', 'go.sum'), GO_SUM.replace('corp.example/secret v1.0.0 h1:fff=\n', ''))
    expect((await assessNeeds(input)).unsummed).toEqual([])
  })

  it('GOPROXY=off: the missing modules take route off', async () => {
    const needs = await assessNeeds({ ...input, goproxy: parseGoproxy('off').value.entries, patterns: {} })
    expect(new Set(needs.missing.map((m) => m.route))).toEqual(new Set(['off']))
  })

  it('a replacement: a directory needs nothing, another module needs that one', async () => {
    await writeFile(
      path.join(root, 'app', 'go.mod'),
      `${GO_MOD}\nreplace example.com/util => ../util\n\nreplace example.com/greet v1.0.0 => example.com/greet2 v1.2.0\n`,
    )
    // go.sum holds no line for a module a directory replaces
    await writeFile(path.join(root, 'app', 'go.sum'), GO_SUM.replace(/^example\.com\/util .*\n/gm, ''))
    const paths = (await assessNeeds(input)).missing.map((m) => `${m.path}@${m.version}`)
    expect(paths).toContain('example.com/greet2@v1.2.0')
    expect(paths).not.toContain('example.com/util@v0.1.0')
  })

  it('vendor mode: the build needs nothing; the drift check still reads the modules', async () => {
    await mkdir(path.join(root, 'app', 'vendor'))
    await writeFile(path.join(root, 'app', 'vendor', 'modules.txt'), '# example.com/util v0.1.0\n## explicit\n')
    const build = await assessNeeds({ ...input, runs: { download: true, checkDrift: false } })
    expect(build).toMatchObject({ vendored: ['app'], missing: [], moduleVersions: 0 })
    const checking = await assessNeeds(input)
    expect(checking.vendored).toEqual(['app'])
    expect(checking.missing.length).toBeGreaterThan(0)
  })

  it('a toolchain switch Go will download, and whether it is cached', async () => {
    await writeFile(path.join(root, 'app', 'go.mod'), GO_MOD.replace('go 1.24', 'go 1.27'))
    const auto = { ...input, goEnv: { ...input.goEnv, GOTOOLCHAIN: 'auto' } }
    expect((await assessNeeds(auto)).toolchain).toEqual({ name: 'go1.27.0', cached: false })
    await cached('golang.org/toolchain', 'v0.0.1-go1.27.0.linux-amd64', ['zip', 'ziphash'])
    expect((await assessNeeds(auto)).toolchain).toEqual({ name: 'go1.27.0', cached: true })
    expect((await assessNeeds(input)).toolchain).toBeUndefined()
  })
})
