import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import { unneededModuleFiles } from '../../../src/cache/download-prune.js'
import { unescapeModulePath } from '../../../src/modules/escape.js'
import { emptyGoSum, readGoSum } from '../../../src/modules/go-sum.js'
import { exportFileProxy } from '../../../test/servers/export.js'
import { isolatedGoEnv, runGo } from '../../../test/servers/go-env.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gpg-dlprune-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('unescapeModulePath, as the download dir names modules and versions', () => {
  test.each<[string, string | undefined]>([
    ['github.com/!burnt!sushi/toml', 'github.com/BurntSushi/toml'],
    ['github.com/!kim!machine!gun/automemlimit', 'github.com/KimMachineGun/automemlimit'],
    ['v1.0.0-!r!c1', 'v1.0.0-RC1'],
    ['golang.org/x/net', 'golang.org/x/net'],
    ['v2.0.0+incompatible', 'v2.0.0+incompatible'],
    ['github.com/Upper/x', undefined], // Go never writes an upper-case letter
    ['github.com/!/x', undefined],
    ['github.com/x!', undefined],
    ['github.com/!1x', undefined],
  ])('%s → %s', (escaped, path) => {
    expect(unescapeModulePath(escaped)).toBe(path)
  })
})

test('readGoSum tells trees from go.mod-only versions, across files, ignoring other lines', () => {
  const named = emptyGoSum()
  for (const text of [
    'example.com/a v1.0.0 h1:x=\nexample.com/a v1.0.0/go.mod h1:y=\nexample.com/b v0.1.0/go.mod h1:z=\n',
    '\n# comment\nexample.com/C v2.0.0 h1:w=\r\n',
  ])
    readGoSum(text, named)
  expect([...named.zips].sort()).toEqual(['example.com/C@v2.0.0', 'example.com/a@v1.0.0'])
  expect([...named.mods].sort()).toEqual(['example.com/a@v1.0.0', 'example.com/b@v0.1.0'])
})

describe('unneededModuleFiles', () => {
  async function put(relative: string, content = 'x'): Promise<void> {
    const file = path.join(dir, relative)
    await mkdir(path.dirname(file), { recursive: true })
    await writeFile(file, content)
  }
  const rel = (files: string[]): string[] => files.map((f) => path.relative(dir, f).split(path.sep).join('/'))

  test('leaves out versions no go.sum names, the zip of go.mod-only versions, unused toolchains', async () => {
    const exts = ['zip', 'ziphash', 'mod', 'info', 'lock', 'partial']
    for (const ext of exts) {
      await put(`github.com/!burnt!sushi/toml/@v/v1.5.0.${ext}`) // named (tree)
      await put(`github.com/!burnt!sushi/toml/@v/v1.4.0.${ext}`, 'old') // not named
      await put(`example.com/gomodonly/@v/v0.2.0.${ext}`) // named by a /go.mod line only
      await put(`example.com/workonly/@v/v3.0.0.${ext}`) // named by go.work.sum
      await put(`golang.org/toolchain/@v/v0.0.1-go1.26.8.linux-amd64.${ext}`) // in use
      await put(`golang.org/toolchain/@v/v0.0.1-go1.25.0.linux-amd64.${ext}`) // not in use
    }
    await put('github.com/!burnt!sushi/toml/@v/list')
    await put('github.com/!burnt!sushi/toml/@v/v1.4.0.zip123456.tmp')
    await put('sumdb/sum.golang.org/lookup/github.com/!burnt!sushi/toml@v1.4.0')
    await put('sumdb/sum.golang.org/tile/8/0/000')
    await put('github.com/!1bad/@v/v1.0.0.zip') // not a name Go writes: left alone
    await put('example.com/weird/@v/v1.0.0.txt')

    const goSum = [
      'github.com/BurntSushi/toml v1.5.0 h1:a=',
      'github.com/BurntSushi/toml v1.5.0/go.mod h1:b=',
      'example.com/gomodonly v0.2.0/go.mod h1:c=',
      '',
    ].join('\n')
    const goWorkSum = 'example.com/workonly v3.0.0 h1:d=\n'
    const unneeded = await unneededModuleFiles(dir, [goSum, goWorkSum], { goVersions: ['go1.26.8'] })

    expect(rel(unneeded.files)).toEqual(
      [
        ...['zip', 'ziphash', 'lock', 'partial'].map((ext) => `example.com/gomodonly/@v/v0.2.0.${ext}`),
        ...exts.map((ext) => `github.com/!burnt!sushi/toml/@v/v1.4.0.${ext}`),
        ...exts.map((ext) => `golang.org/toolchain/@v/v0.0.1-go1.25.0.linux-amd64.${ext}`),
      ].sort(),
    )
    expect(unneeded.bytes).toBe(4 + 6 * 3 + 6)
    expect(unneeded.versions).toBe(2)
  })

  test('without Go versions every toolchain is unneeded; a missing dir has nothing', async () => {
    await put('golang.org/toolchain/@v/v0.0.1-go1.26.8.linux-amd64.zip')
    expect(rel((await unneededModuleFiles(dir, [])).files)).toEqual([
      'golang.org/toolchain/@v/v0.0.1-go1.26.8.linux-amd64.zip',
    ])
    // go1.26 must not keep go1.26.8's toolchain
    expect((await unneededModuleFiles(dir, [], { goVersions: ['go1.26'] })).files).toHaveLength(1)
    expect(await unneededModuleFiles(path.join(dir, 'absent'), [])).toEqual({ files: [], bytes: 0, versions: 0 })
  })

  test(
    'with the real go: two versions downloaded, a go.sum naming one; the other leaves, and the build still ' +
      'works offline from what stays',
    async () => {
      const proxy = await exportFileProxy(path.join(dir, 'proxy'))
      const env = await isolatedGoEnv(path.join(dir, 'go'), { GOPROXY: proxy.url })
      const project = path.join(dir, 'project')
      await mkdir(project)
      await writeFile(path.join(project, 'go.mod'), 'module example.com/app\n\ngo 1.21\n')
      const download = await runGo(['mod', 'download', 'example.com/greet@v1.0.0', 'example.com/greet@v1.1.0'], {
        cwd: project,
        env,
      })
      expect(download.stderr).toBe('')
      expect(download.code).toBe(0)

      const goSum = proxy.goSum.filter((line) => line.startsWith('example.com/greet v1.1.0'))
      expect(goSum).toHaveLength(2)
      await writeFile(
        path.join(project, 'go.mod'),
        'module example.com/app\n\ngo 1.21\n\nrequire example.com/greet v1.1.0\n',
      )
      await writeFile(path.join(project, 'go.sum'), `${goSum.join('\n')}\n`)
      await writeFile(
        path.join(project, 'main.go'),
        'package main\n\nimport "example.com/greet"\n\nfunc main() { println(greet.Goodbye("x")) }\n',
      )

      const downloadDir = path.join(env.GOMODCACHE as string, 'cache', 'download')
      const unneeded = await unneededModuleFiles(downloadDir, [`${goSum.join('\n')}\n`])
      expect(unneeded.files.map((f) => path.relative(downloadDir, f).split(path.sep).join('/'))).toEqual(
        ['info', 'lock', 'mod', 'zip', 'ziphash'].map((ext) => `example.com/greet/@v/v1.0.0.${ext}`),
      )
      expect(unneeded.versions).toBe(1)

      // the saved entry on a fresh runner: only what stays, offline
      for (const file of unneeded.files) await rm(file)
      await rm(path.join(env.GOMODCACHE as string, 'example.com'), { recursive: true, force: true })
      const build = await runGo(['build', '-o', path.join(dir, 'app'), '.'], {
        cwd: project,
        env: { ...env, GOPROXY: 'off' },
      })
      expect(build.stderr).toBe('')
      expect(build.code).toBe(0)
    },
    120_000,
  )
})
