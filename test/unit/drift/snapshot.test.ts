import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { ModuleLayout } from '../../../src/modules/layout.js'
import { compareSnapshot, snapshotModuleFiles } from '../../../src/drift/snapshot.js'
import { removeTempDirs, tempDir } from '../../helpers/temp-dir.js'

afterAll(removeTempDirs)

const GO_MOD = 'module example.com/app\n\ngo 1.21\n\nrequire example.com/util v0.1.0\n'
const GO_SUM = 'example.com/util v0.1.0 h1:AAA=\nexample.com/util v0.1.0/go.mod h1:BBB=\n'

async function workspace(): Promise<{ root: string; snapshotDir: string; layout: ModuleLayout }> {
  const base = await tempDir('snapshot-unit-')
  const root = path.join(base, 'repo')
  await mkdir(path.join(root, 'svc'), { recursive: true })
  await writeFile(path.join(root, 'go.mod'), GO_MOD)
  await writeFile(path.join(root, 'go.sum'), GO_SUM)
  await writeFile(path.join(root, 'svc', 'go.mod'), 'module example.com/svc\n\ngo 1.21\n')
  return {
    root,
    snapshotDir: path.join(base, 'runner-temp', 'snapshot'),
    layout: { workingDirectory: root, modules: ['.', 'svc'] },
  }
}

describe('snapshot and compare', () => {
  it('finds nothing when nothing changed', async () => {
    const { snapshotDir, layout } = await workspace()
    await snapshotModuleFiles(layout, snapshotDir)
    expect(await compareSnapshot(snapshotDir)).toMatchObject({ findings: [], diffs: [] })
  })

  it('records which files did not exist', async () => {
    const { snapshotDir, layout } = await workspace()
    await snapshotModuleFiles(layout, snapshotDir)
    const manifest = JSON.parse(await readFile(path.join(snapshotDir, 'manifest.json'), 'utf8')) as {
      files: Array<{ path: string; existed: boolean }>
    }
    expect(manifest.files.map((f) => [f.path, f.existed])).toEqual([
      ['go.mod', true],
      ['go.sum', true],
      ['svc/go.mod', true],
      ['svc/go.sum', false],
      ['go.work', false],
      ['go.work.sum', false],
    ])
  })

  it('reports a changed go.mod with a unified diff and the first changed line', async () => {
    const { root, snapshotDir, layout } = await workspace()
    await snapshotModuleFiles(layout, snapshotDir)
    await writeFile(path.join(root, 'go.mod'), GO_MOD.replace('v0.1.0', 'v0.2.0'))
    const { findings, diffs } = await compareSnapshot(snapshotDir)
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({ check: 'post-step', module: '.', file: 'go.mod', line: 5 })
    expect(findings[0]?.message).toMatch(
      /^go\.mod was changed \(1 line added, 1 removed\) after goproxy-guard checked it/,
    )
    expect(diffs).toEqual([{ file: 'go.mod', diff: expect.any(String) }])
    expect(diffs[0]?.diff).toBe(
      '--- a/go.mod\n+++ b/go.mod\n@@ -2,4 +2,4 @@\n \n go 1.21\n \n-require example.com/util v0.1.0\n+require example.com/util v0.2.0\n',
    )
  })

  it('catches an untracked go.sum that appears, and a go.work created later', async () => {
    const { root, snapshotDir, layout } = await workspace()
    await snapshotModuleFiles(layout, snapshotDir)
    await writeFile(path.join(root, 'svc', 'go.sum'), 'example.com/x v1.0.0/go.mod h1:CCC=\n')
    await writeFile(path.join(root, 'go.work'), 'go 1.21\n\nuse .\n')
    const { findings, diffs } = await compareSnapshot(snapshotDir)
    expect(findings.map((f) => [f.module, f.file, f.message.split(':')[0]])).toEqual([
      ['svc', 'svc/go.sum', 'svc/go.sum was created (1 line added, 0 removed) after goproxy-guard checked it'],
      ['.', 'go.work', 'go.work was created (3 lines added, 0 removed) after goproxy-guard checked it'],
    ])
    expect(diffs[0]?.diff).toBe(
      '--- /dev/null\n+++ b/svc/go.sum\n@@ -0,0 +1,1 @@\n+example.com/x v1.0.0/go.mod h1:CCC=\n',
    )
  })

  it('catches a deleted go.sum and a rewrite that changes only bytes', async () => {
    const { root, snapshotDir, layout } = await workspace()
    await snapshotModuleFiles(layout, snapshotDir)
    await rm(path.join(root, 'go.sum'))
    await writeFile(path.join(root, 'svc', 'go.mod'), 'module example.com/svc\r\n\r\ngo 1.21\r\n')
    const { findings, diffs } = await compareSnapshot(snapshotDir)
    expect(findings.map((f) => [f.file, f.line, f.message.split(':')[0]])).toEqual([
      ['go.sum', undefined, 'go.sum was deleted after goproxy-guard checked it'],
      [
        'svc/go.mod',
        undefined,
        'svc/go.mod was rewritten with the same lines but different bytes (line endings or a byte order mark) after goproxy-guard checked it',
      ],
    ])
    expect(diffs.map((d) => d.file)).toEqual(['go.sum'])
    expect(diffs[0]?.diff).toContain('--- a/go.sum\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-example.com/util')
  })

  it('never writes to the working directory, and compares without restoring', async () => {
    const { root, snapshotDir, layout } = await workspace()
    await snapshotModuleFiles(layout, snapshotDir)
    expect((await readdir(root)).sort()).toEqual(['go.mod', 'go.sum', 'svc'])
    await writeFile(path.join(root, 'go.sum'), 'changed\n')
    await compareSnapshot(snapshotDir)
    expect(await readFile(path.join(root, 'go.sum'), 'utf8')).toBe('changed\n')
    expect((await readdir(root)).sort()).toEqual(['go.mod', 'go.sum', 'svc'])
  })

  it('says clearly when the snapshot is gone', async () => {
    const missing = path.join(os.tmpdir(), 'snapshot-unit-does-not-exist')
    await expect(compareSnapshot(missing)).rejects.toThrow(
      /snapshot in .* cannot be read \(ENOENT\): the post step has nothing to compare with/,
    )
  })
})
