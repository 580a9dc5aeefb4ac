import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdir, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { discoverModules } from '../../../src/modules/layout.js'
import { InputError } from '../../../src/settings/errors.js'
import type { GoRunner } from '../../../src/gocmd/runner.js'
import { removeTempDirs, tempDir } from '../../helpers/temp-dir.js'

afterAll(removeTempDirs)

async function tree(files: string[]): Promise<string> {
  const root = await tempDir('modules-unit-')
  await mkdir(path.join(root, '.git'))
  for (const file of files) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true })
    await writeFile(path.join(root, file), file.endsWith('go.mod') ? `module example.com/${path.dirname(file)}\n` : '')
  }
  return root
}

/** Answers `go work edit -json` from a canned go.work; fails the test on any other command. */
function goWorkEdit(json: object, calls: string[][] = []): GoRunner {
  return {
    async run(args) {
      calls.push(args)
      if (args[0] !== 'work' || args[1] !== 'edit' || args[2] !== '-json')
        throw new Error(`unexpected go ${args.join(' ')}`)
      return { exitCode: 0, stdout: JSON.stringify(json), stderr: '', durationMs: 1 }
    },
  }
}

const noGo: GoRunner = {
  async run(args) {
    throw new Error(`unexpected go ${args.join(' ')}`)
  },
}

describe('discoverModules', () => {
  it('finds every go.mod except under vendor, testdata, node_modules and dot-directories, root first', async () => {
    const root = await tree([
      'go.mod',
      'svc/b/go.mod',
      'svc/a/go.mod',
      'svc/a/nested/go.mod',
      'vendor/example.com/x/go.mod',
      'svc/a/testdata/go.mod',
      'web/node_modules/pkg/go.mod',
      '.github/tools/go.mod',
      'tools/_gen/go.mod',
    ])
    const layout = await discoverModules(root, [], { go: noGo, env: {} })
    expect(layout).toEqual({ workingDirectory: root, modules: ['.', 'svc/a', 'svc/a/nested', 'svc/b', 'tools/_gen'] })
  })

  it('does not follow symbolic links to directories', async () => {
    const root = await tree(['a/go.mod'])
    await symlink(path.join(root, 'a'), path.join(root, 'link'))
    expect((await discoverModules(root, [], { go: noGo, env: {} })).modules).toEqual(['a'])
  })

  it('takes an explicit list as given, each with a go.mod', async () => {
    const root = await tree(['a/go.mod', 'b/go.mod', 'c/go.mod'])
    expect((await discoverModules(root, ['c', './a/', ' '], { go: noGo, env: {} })).modules).toEqual(['a', 'c'])
  })

  it('names the modules input when an explicit directory has no go.mod', async () => {
    const root = await tree(['a/go.mod'])
    const attempt = discoverModules(root, ['a', 'docs'], { go: noGo, env: {} })
    await expect(attempt).rejects.toBeInstanceOf(InputError)
    await expect(attempt).rejects.toThrow(/^Input 'modules': docs has no go\.mod/)
  })

  it('honours go.work: its use directories are the modules, and a use without go.mod is reported with its line', async () => {
    const root = await tree(['a/go.mod', 'b/go.mod', 'unlisted/go.mod'])
    await writeFile(path.join(root, 'go.work'), 'go 1.22\n\nuse (\n\t./b\n\t./a\n\t./gone\n)\n')
    const calls: string[][] = []
    const json = { Go: '1.22', Use: [{ DiskPath: './b' }, { DiskPath: './a' }, { DiskPath: './gone' }] }
    const layout = await discoverModules(root, [], { go: goWorkEdit(json, calls), env: {} })
    expect(calls).toEqual([['work', 'edit', '-json', path.join(root, 'go.work')]])
    expect(layout.modules).toEqual(['a', 'b'])
    expect(layout.workspace).toEqual({
      file: 'go.work',
      sumFile: 'go.work.sum',
      directory: '.',
      json,
      missingUses: [{ directory: 'gone', line: 6 }],
    })
  })

  it('finds a go.work above the working directory inside the repository, and none when GOWORK=off', async () => {
    const root = await tree(['svc/a/go.mod'])
    await writeFile(path.join(root, 'go.work'), 'go 1.22\n\nuse ./svc/a\n')
    const json = { Go: '1.22', Use: [{ DiskPath: './svc/a' }] }
    const layout = await discoverModules(path.join(root, 'svc'), [], { go: goWorkEdit(json), env: {} })
    expect(layout.modules).toEqual(['a'])
    expect(layout.workspace).toMatchObject({ file: '../go.work', sumFile: '../go.work.sum', directory: '..' })
    const off = await discoverModules(path.join(root, 'svc'), [], { go: noGo, env: { GOWORK: 'off' } })
    expect(off).toEqual({ workingDirectory: path.join(root, 'svc'), modules: ['a'] })
  })

  it('is deterministic', async () => {
    const files = Array.from({ length: 30 }, (_, i) => `m${(i * 7) % 30}/go.mod`)
    const root = await tree(files)
    const first = await discoverModules(root, [], { go: noGo, env: {} })
    const second = await discoverModules(root, [], { go: noGo, env: {} })
    expect(first.modules).toEqual(second.modules)
    expect(first.modules).toEqual([...first.modules].sort())
  })
})
