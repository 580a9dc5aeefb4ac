import { describe, expect, it } from '@jest/globals'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { probeTargets } from '../../../src/run/stages/probe.js'
import { parsePatternList } from '../../../src/settings/patterns.js'
import { tempDir } from '../../helpers/temp-dir.js'

const GO_MOD = `module example.test/app

go 1.24

require (
	example.com/util v0.1.0
	corp.example/private/secret v1.0.0
	example.test/app/sub v0.0.0
)

require example.com/greet v1.0.0 // indirect
`

async function layoutWith(goMod: string): Promise<{ workingDirectory: string; modules: string[] }> {
  const dir = await tempDir('gpg-targets-')
  await mkdir(path.join(dir, 'sub'))
  await writeFile(path.join(dir, 'go.mod'), goMod)
  await writeFile(path.join(dir, 'sub', 'go.mod'), 'module example.test/app/sub\n')
  return { workingDirectory: dir, modules: ['.', 'sub'] }
}

const patterns = (value: string) => parsePatternList(value, 'goprivate').value

describe('probeTargets', () => {
  it('asks about a direct public requirement and a private one, never a module of the repository itself', async () => {
    const layout = await layoutWith(GO_MOD)
    expect(await probeTargets(layout, { goprivate: patterns('corp.example') })).toEqual({
      publicModule: 'example.com/util@v0.1.0',
      privateModule: 'corp.example/private/secret@v1.0.0',
    })
  })

  it('without private patterns every requirement is public, the first direct one first', async () => {
    const layout = await layoutWith(GO_MOD)
    expect(await probeTargets(layout, {})).toEqual({
      publicModule: 'example.com/util@v0.1.0',
      privateModule: undefined,
    })
  })

  it('a module matched by GONOSUMDB alone is the private target (its checksum route differs)', async () => {
    const layout = await layoutWith(GO_MOD)
    expect((await probeTargets(layout, { gonosumdb: patterns('example.com/util') })).privateModule).toBe(
      'example.com/util@v0.1.0',
    )
  })

  it('has nothing to ask when go.mod requires nothing', async () => {
    const layout = await layoutWith('module example.test/app\n\ngo 1.24\n')
    expect(await probeTargets(layout, {})).toEqual({ publicModule: undefined, privateModule: undefined })
  })
})
