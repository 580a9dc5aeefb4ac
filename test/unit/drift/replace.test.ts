import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdir, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { classifyWithoutContext } from '../../../src/drift/go-failure.js'
import { replaceFindings, runReplaceCheck, useFindings, type ReplaceDirective } from '../../../src/drift/replace.js'
import { findRepositoryRoot } from '../../../src/modules/repository-root.js'
import type { GoRunner } from '../../../src/gocmd/runner.js'
import { removeTempDirs, tempDir } from '../../helpers/temp-dir.js'

afterAll(removeTempDirs)

// tmp/repo (a git checkout) holds svc and lib; tmp/outside/lib is a sibling of the checkout.
let tmp: string
let repo: string
const GO_MOD = `module example.com/svc

go 1.21

replace example.com/inside => ../lib
replace example.com/outside => ../../outside/lib
replace (
\texample.com/missing v1.0.0 => ./third_party/missing
\texample.com/nomod => ../empty
\texample.com/linked => ../link-out
\texample.com/published => example.com/fork v1.2.0
)
`
const DIRECTIVES: ReplaceDirective[] = [
  { Old: { Path: 'example.com/inside' }, New: { Path: '../lib' } },
  { Old: { Path: 'example.com/outside' }, New: { Path: '../../outside/lib' } },
  { Old: { Path: 'example.com/missing', Version: 'v1.0.0' }, New: { Path: './third_party/missing' } },
  { Old: { Path: 'example.com/nomod' }, New: { Path: '../empty' } },
  { Old: { Path: 'example.com/linked' }, New: { Path: '../link-out' } },
  { Old: { Path: 'example.com/published' }, New: { Path: 'example.com/fork', Version: 'v1.2.0' } },
]

beforeAll(async () => {
  tmp = await tempDir('replace-unit-')
  repo = path.join(tmp, 'repo')
  for (const dir of ['.git', 'svc', 'lib', 'empty', '../outside/lib'])
    await mkdir(path.join(repo, dir), { recursive: true })
  await writeFile(path.join(repo, 'svc', 'go.mod'), GO_MOD)
  await writeFile(path.join(repo, 'lib', 'go.mod'), 'module example.com/inside\n')
  await writeFile(path.join(tmp, 'outside', 'lib', 'go.mod'), 'module example.com/outside\n')
  await symlink(path.join(tmp, 'outside', 'lib'), path.join(repo, 'link-out'))
})

const check = (allowExternal: boolean) =>
  replaceFindings({
    directives: DIRECTIVES,
    fileText: GO_MOD,
    file: 'svc/go.mod',
    baseDirectory: path.join(repo, 'svc'),
    module: 'svc',
    repositoryRoot: repo,
    allowExternal,
  })

describe('replaceFindings', () => {
  it('flags directories outside the repository (symbolic links resolved), missing ones and ones without go.mod', async () => {
    const findings = await check(false)
    expect(findings.map((f) => [f.line, f.message.replace(/: CI would.*/, '')])).toEqual([
      [6, 'replace example.com/outside => ../../outside/lib points outside the repository'],
      [8, 'replace example.com/missing v1.0.0 => ./third_party/missing: the directory does not exist'],
      [9, 'replace example.com/nomod => ../empty: the directory has no go.mod'],
      [10, 'replace example.com/linked => ../link-out points outside the repository'],
    ])
    expect(findings.every((f) => f.check === 'replace' && f.file === 'svc/go.mod' && f.module === 'svc')).toBe(true)
    expect(findings[0]?.message).toContain('allow-external-replace: true')
  })

  it('allows existing outside directories with allow-external-replace, never broken ones', async () => {
    expect((await check(true)).map((f) => f.line)).toEqual([8, 9])
  })
})

describe('useFindings', () => {
  // go.work at the root of the checkout: ./svc and ./lib inside it, the sibling's lib and a link to it outside
  const GO_WORK = 'go 1.22\n\nuse (\n\t./svc\n\t./lib/\n\t../outside/lib\n\t./link-out\n\t./empty\n)\n'
  const uses = (allowExternal: boolean) =>
    useFindings({
      uses: ['./svc', './lib/', '../outside/lib', './link-out', './empty'].map((DiskPath) => ({ DiskPath })),
      fileText: GO_WORK,
      file: 'go.work',
      baseDirectory: repo,
      module: '.',
      repositoryRoot: repo,
      allowExternal,
    })

  it('flags a use directory outside the repository, symbolic links resolved, on its line of go.work', async () => {
    const findings = await uses(false)
    expect(findings.map((f) => [f.file, f.line, f.message])).toEqual([
      [
        'go.work',
        6,
        'go.work uses ../outside/lib, which is outside the repository: CI would build with code that is not part of the checkout. Move the module into the repository, or set allow-external-replace: true',
      ],
      ['go.work', 7, expect.stringMatching(/^go\.work uses \.\/link-out, which is outside the repository/)],
    ])
    expect(findings.every((f) => f.check === 'replace' && f.module === '.')).toBe(true)
  })

  it('allows them with allow-external-replace', async () => {
    expect(await uses(true)).toEqual([])
  })
})

describe('findRepositoryRoot', () => {
  it('is the nearest ancestor with .git, else the directory itself', async () => {
    expect(await findRepositoryRoot(path.join(repo, 'svc'))).toBe(repo)
    expect(await findRepositoryRoot(path.join(tmp, 'outside', 'lib'))).toBe(path.join(tmp, 'outside', 'lib'))
  })
})

describe('runReplaceCheck', () => {
  it('asks go mod edit -json only when go.mod has a replace directive', async () => {
    const calls: string[][] = []
    const go: GoRunner = {
      async run(args) {
        calls.push(args)
        return { exitCode: 0, stdout: JSON.stringify({ Replace: DIRECTIVES }), stderr: '', durationMs: 3 }
      },
    }
    const input = {
      go,
      env: {},
      module: 'svc',
      repositoryRoot: repo,
      allowExternal: false,
      classify: classifyWithoutContext,
    }
    const outcome = await runReplaceCheck({ ...input, directory: path.join(repo, 'svc') })
    expect(calls).toEqual([['mod', 'edit', '-json']])
    expect(outcome.findings).toHaveLength(4)
    expect(outcome.checks.map((c) => [c.check, c.outcome])).toEqual([['replace', 'failed']])

    const none = await runReplaceCheck({ ...input, module: 'lib', directory: path.join(repo, 'lib') })
    expect(calls).toHaveLength(1)
    expect(none.checks.map((c) => c.outcome)).toEqual(['passed'])
  })
})
