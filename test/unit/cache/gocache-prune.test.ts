import { cp, mkdir, mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import { RESTORED_AGE_MS, ageRestoredFiles, unusedFiles } from '../../../src/cache/gocache-prune.js'
import { setAside } from '../../../src/cache/set-aside.js'
import { exportFileProxy } from '../../../test/servers/export.js'
import { isolatedGoEnv, runGo } from '../../../test/servers/go-env.js'

const hash = (n: number): string => n.toString(16).padStart(64, '0')

let dir: string
let cache: string
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gpg-gocache-'))
  cache = path.join(dir, 'gocache')
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 })
})

async function put(relative: string, content = 'x'): Promise<string> {
  const file = path.join(cache, relative)
  await mkdir(path.dirname(file), { recursive: true })
  await writeFile(file, content)
  return file
}

async function mtime(relative: string): Promise<number> {
  return (await stat(path.join(cache, relative))).mtimeMs
}

async function listTree(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true })
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort()
}

describe('ageRestoredFiles', () => {
  test('dates every file and every executable entry directory two hours back, atime too', async () => {
    await put(`ab/${hash(1)}-a`)
    await put(`ab/${hash(2)}-d`, 'export data')
    await put(`cd/${hash(3)}-d/app`, 'binary')
    await put('trim.txt', '1700000000')
    await put('fuzz/example.com/p/FuzzX/corpus1')
    const now = new Date('2026-03-04T05:06:07.000Z')
    expect(await ageRestoredFiles(cache, now)).toEqual({ files: 5, entryDirs: 1 })
    const aged = now.getTime() - RESTORED_AGE_MS
    for (const relative of [`ab/${hash(1)}-a`, `ab/${hash(2)}-d`, `cd/${hash(3)}-d/app`, `cd/${hash(3)}-d`, 'trim.txt'])
      expect(await mtime(relative)).toBe(aged)
    expect((await stat(path.join(cache, 'trim.txt'))).atimeMs).toBe(aged)
  })

  test('a missing dir ages nothing', async () => {
    expect(await ageRestoredFiles(path.join(dir, 'absent'))).toEqual({ files: 0, entryDirs: 0 })
  })

  test('ages 20,000 files in one go', async () => {
    for (let start = 0; start < 20000; start += 500) {
      const batch: Promise<string>[] = []
      for (let i = start; i < start + 500; i++)
        batch.push(put(`${(i % 256).toString(16).padStart(2, '0')}/${hash(i)}-a`))
      await Promise.all(batch)
    }
    const now = new Date()
    expect(await ageRestoredFiles(cache, now)).toEqual({ files: 20000, entryDirs: 0 })
    const last = 19999
    const shard = (last % 256).toString(16).padStart(2, '0')
    expect(await mtime(`${shard}/${hash(last)}-a`)).toBe(now.getTime() - RESTORED_AGE_MS)
    // writing 20,000 files takes seconds on a busy machine: no time is asserted, only that it finishes
  }, 120_000)
})

describe('unusedFiles', () => {
  test('lists entries still at their aged mtime, with executable entries whole, and keeps everything else', async () => {
    await put(`ab/${hash(1)}-a`) // used
    await put(`ab/${hash(2)}-d`, '12345') // unused
    await put(`cd/${hash(3)}-d/app`, 'binary!') // unused executable
    await put(`cd/${hash(4)}-d/tool`, 'binary') // used executable: Go refreshes the directory only
    await put(`ef/${hash(5)}-a`) // unused
    await put('README')
    await put('trim.txt')
    await put('testexpire.txt')
    await put('fuzz/example.com/p/FuzzX/corpus1')
    await put('ab/not-an-entry')
    const agedAt = new Date()
    await ageRestoredFiles(cache, agedAt)
    const later = new Date(agedAt.getTime() + 1000)
    await utimes(path.join(cache, `ab/${hash(1)}-a`), later, later)
    await utimes(path.join(cache, `cd/${hash(4)}-d`), later, later)
    await put(`01/${hash(6)}-d`, 'created by the job')

    expect(await unusedFiles(cache, agedAt)).toEqual({
      paths: [`ab/${hash(2)}-d`, `cd/${hash(3)}-d`, `ef/${hash(5)}-a`],
      files: 3,
      bytes: 5 + 7 + 1,
    })
  })

  test('an mtime truncated to whole seconds (or FAT’s two) still counts as used', async () => {
    const agedAt = new Date('2026-03-04T05:06:07.900Z')
    await put(`ab/${hash(1)}-a`)
    const truncated = new Date('2026-03-04T05:06:06.000Z')
    await utimes(path.join(cache, `ab/${hash(1)}-a`), truncated, truncated)
    await put(`ab/${hash(2)}-a`)
    const aged = new Date(agedAt.getTime() - RESTORED_AGE_MS)
    await utimes(path.join(cache, `ab/${hash(2)}-a`), aged, aged)
    expect((await unusedFiles(cache, agedAt)).paths).toEqual([`ab/${hash(2)}-a`])
  })

  test('a missing dir has no unused entries', async () => {
    expect(await unusedFiles(path.join(dir, 'absent'), new Date())).toEqual({ paths: [], files: 0, bytes: 0 })
  })
})

describe('setAside', () => {
  test('moves the paths to a sibling directory and back, keeping mtimes, and leaves no sibling behind', async () => {
    await put(`ab/${hash(1)}-a`, 'a')
    await put(`ab/${hash(2)}-d`, 'dd')
    await put(`cd/${hash(3)}-d/app`, 'bin')
    await put('README', 'readme')
    const before = await listTree(cache)
    const agedAt = new Date()
    await ageRestoredFiles(cache, agedAt)
    const unused = [`ab/${hash(2)}-d`, `cd/${hash(3)}-d`]

    const aside = await setAside(cache, unused)
    expect(aside).toMatchObject({ paths: unused, files: 2, bytes: 5 })
    expect(path.dirname(aside.asideDir as string)).toBe(dir)
    expect(await listTree(cache)).toEqual(['README', `ab/${hash(1)}-a`])

    await aside.putBack()
    await aside.putBack() // twice is harmless
    expect(await listTree(cache)).toEqual(before)
    expect(await readdir(dir)).toEqual(['gocache'])
    expect(await mtime(`cd/${hash(3)}-d/app`)).toBe(agedAt.getTime() - RESTORED_AGE_MS)
    expect((await unusedFiles(cache, agedAt)).paths).toEqual([`ab/${hash(1)}-a`, ...unused])
  })

  test('a path that vanished is skipped; an entry Go wrote again meanwhile keeps its new copy', async () => {
    await put(`ab/${hash(1)}-d`, 'old')
    await put(`ab/${hash(2)}-d`, 'old')
    const aside = await setAside(cache, [`ab/${hash(1)}-d`, `ab/${hash(2)}-d`, `ab/${hash(9)}-a`])
    expect(aside.paths).toEqual([`ab/${hash(1)}-d`, `ab/${hash(2)}-d`])
    await put(`ab/${hash(1)}-d`, 'new')
    await rm(path.join(aside.asideDir as string, `ab/${hash(2)}-d`))
    await aside.putBack()
    expect(await listTree(cache)).toEqual([`ab/${hash(1)}-d`])
    expect((await stat(path.join(cache, `ab/${hash(1)}-d`))).size).toBe(3)
    expect(await readdir(dir)).toEqual(['gocache'])
  })

  test('an entry whose shard directory went away meanwhile (go clean -cache) is put back into a new one', async () => {
    await put(`ab/${hash(1)}-d`, 'kept')
    await put(`cd/${hash(2)}-a`)
    const aside = await setAside(cache, [`ab/${hash(1)}-d`])
    await rm(path.join(cache, 'ab'), { recursive: true })
    await aside.putBack()
    expect(await listTree(cache)).toEqual([`ab/${hash(1)}-d`, `cd/${hash(2)}-a`])
    expect(await readdir(dir)).toEqual(['gocache'])
  })

  test('nothing to move creates no sibling', async () => {
    await put(`ab/${hash(1)}-a`)
    for (const paths of [[], [`ab/${hash(7)}-a`]]) {
      const aside = await setAside(cache, paths)
      expect(aside).toMatchObject({ paths: [], files: 0, bytes: 0, asideDir: undefined })
      await aside.putBack()
      expect(await readdir(dir)).toEqual(['gocache'])
    }
  })

  test('refuses a path outside the cache dir and moves nothing', async () => {
    await put(`ab/${hash(1)}-a`)
    await expect(setAside(cache, [`ab/${hash(1)}-a`, '../elsewhere'])).rejects.toThrow('is not a path inside')
    expect(await listTree(cache)).toEqual([`ab/${hash(1)}-a`])
    expect(await readdir(dir)).toEqual(['gocache'])
  })
})

describe('with the real go', () => {
  test(
    'after a restore, a build that drops a dependency leaves its compiled package unused, and the pruned cache ' +
      'rebuilds that build with nothing compiled',
    async () => {
      const proxy = await exportFileProxy(path.join(dir, 'proxy'))
      const project = path.join(dir, 'project')
      await mkdir(project)
      const goSum = proxy.goSum.filter((line) => /^example\.com\/(greet|util) /.test(line))
      await writeFile(
        path.join(project, 'go.mod'),
        'module example.com/app\n\ngo 1.21\n\nrequire (\n\texample.com/greet v1.0.0\n\texample.com/util v0.1.0\n)\n',
      )
      await writeFile(path.join(project, 'go.sum'), `${goSum.join('\n')}\n`)
      const main = (imports: string, call: string): Promise<void> =>
        writeFile(
          path.join(project, 'main.go'),
          `package main\n\nimport (\n${imports})\n\nfunc main() { println(${call}) }\n`,
        )
      await main('\t"example.com/greet"\n\t"example.com/util"\n', 'greet.Hello("a"), util.Shout("b")')

      const env = await isolatedGoEnv(dir, { GOPROXY: proxy.url, GOFLAGS: '-modcacherw -mod=mod' })
      const go = async (args: string[], goEnv = env): Promise<string> => {
        const result = await runGo(args, { cwd: project, env: goEnv })
        if (result.code !== 0) throw new Error(`go ${args.join(' ')}: ${result.stderr}`)
        return result.stdout + result.stderr
      }
      await go(['build', '-o', path.join(dir, 'app'), '.'])
      const exportOf = async (pkg: string): Promise<string> =>
        path.relative(env.GOCACHE as string, (await go(['list', '-export', '-f', '{{.Export}}', pkg])).trim())
      const util = await exportOf('example.com/util')
      const greet = await exportOf('example.com/greet')
      expect(util).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{64}-d$/)

      // a fresh runner: the cache restored (copied), then aged; the code no longer imports util
      const restored = path.join(dir, 'restored-gocache')
      await cp(env.GOCACHE as string, restored, { recursive: true })
      const agedAt = new Date()
      await ageRestoredFiles(restored, agedAt)
      await main('\t"example.com/greet"\n', 'greet.Hello("a")')
      const restoredEnv = { ...env, GOCACHE: restored }
      await go(['build', '-o', path.join(dir, 'app'), '.'], restoredEnv)

      const unused = await unusedFiles(restored, agedAt)
      expect(unused.paths).toContain(util)
      expect(unused.paths).not.toContain(greet)
      expect(unused.bytes).toBeGreaterThan(0)

      // the saved entry: the cache without the unused entries; a fresh runner restores it and compiles nothing
      const aside = await setAside(restored, unused.paths)
      const saved = path.join(dir, 'saved-gocache')
      await cp(restored, saved, { recursive: true })
      await aside.putBack()
      await ageRestoredFiles(saved)
      const rebuilt = await go(['build', '-v', '-o', path.join(dir, 'app'), '.'], { ...env, GOCACHE: saved })
      expect(rebuilt).toBe('')
      expect((await listTree(saved)).length).toBeLessThan((await listTree(restored)).length)
    },
    240_000,
  )
})
