import { execFile } from 'node:child_process'
import { mkdir, readdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect, test } from '@jest/globals'
import { createActionsCacheStore } from '../../../src/cache/actions-store.js'
import { cacheKey, findDependencyFiles, readDependencyFiles, restoreKeys } from '../../../src/cache/key.js'
import { restoreModuleCache, saveModuleCache, type ModuleCacheTarget } from '../../../src/cache/module-cache.js'
import { startCacheService, type CacheService } from '../../servers/cache-service.js'
import { exportFileProxy, goSumFor, isolatedGoEnv, runGo, warmTestBuildCache } from '../../servers/testserver.js'
import { captureStdout, enterRunnerSandbox, type RunnerSandbox } from './cache-env.js'
import { removeDir } from '../../helpers/temp-dir.js'

// Two jobs on the same runner paths, the real `go` in each. The first misses, downloads from a file:// proxy and
// saves; the second starts from an empty GOMODCACHE, restores, and builds with GOPROXY=off: the download dir alone is
// enough for Go. (GOCACHE is the tests' shared build cache: compiled packages never stand in for missing modules, as the
// control build shows.)

const execFileAsync = promisify(execFile)

let service: CacheService
let sandbox: RunnerSandbox
let goEnv: Record<string, string>
let app: string

beforeAll(async () => {
  await warmTestBuildCache()
  service = await startCacheService()
  sandbox = await enterRunnerSandbox(service)
  const proxy = await exportFileProxy(path.join(sandbox.root, 'proxy'))
  // isolatedGoEnv puts GOMODCACHE at <root>/gopath/pkg/mod: the sandbox's download dir is its cache/download
  goEnv = await isolatedGoEnv(sandbox.root, { GOPROXY: proxy.url, GOSUMDB: 'off' })
  app = path.join(sandbox.workspace, 'app')
  await mkdir(app, { recursive: true })
  await writeFile(
    path.join(app, 'go.mod'),
    'module example.com/app\n\ngo 1.21\n\nrequire example.com/util v0.1.0\n\nrequire example.com/greet v1.0.0 // indirect\n',
  )
  await writeFile(
    path.join(app, 'go.sum'),
    goSumFor(proxy.goSum, 'example.com/util@v0.1.0', 'example.com/greet@v1.0.0'),
  )
  await writeFile(
    path.join(app, 'main.go'),
    'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/util"\n)\n\nfunc main() { fmt.Println(util.Shout("ci")) }\n',
  )
})

afterAll(async () => {
  await sandbox.restore()
  await service.close()
})

async function jobTarget(): Promise<{ target: ModuleCacheTarget; key: string }> {
  const files = await findDependencyFiles(app, [], ['.'])
  expect(files).toEqual(['go.sum'])
  const key = cacheKey('goproxy-guard', await readDependencyFiles(app, files))
  return { target: { store: createActionsCacheStore(), env: sandbox.env, downloadDir: sandbox.downloadDir }, key }
}

test('after an exact hit, go build works with GOPROXY=off from the restored download dir only', async () => {
  const stdout = captureStdout()
  try {
    // job 1: miss, download, save
    const first = await jobTarget()
    await removeDir(path.join(sandbox.root, 'gopath'))
    const missed = await restoreModuleCache(first.target, first.key, restoreKeys('goproxy-guard'))
    expect(missed.hit).toBe('false')
    const download = await runGo(['mod', 'download'], { cwd: app, env: goEnv })
    expect(download).toMatchObject({ code: 0, stderr: '' })
    const greetFiles = await readdir(path.join(sandbox.downloadDir, 'example.com', 'greet', '@v'))
    expect(greetFiles).toContain('v1.0.0.lock') // Go leaves one per version; it must not travel
    const saved = await saveModuleCache(first.target, {
      key: first.key,
      filesAtRestore: missed.filesAfter,
      mainSucceeded: true,
      cacheSave: true,
    })
    expect(saved.saved).toBe(true)
    const entry = service.entries()[0]
    if (entry === undefined) throw new Error('nothing saved')
    const archive = path.join(sandbox.root, 'saved.tzst')
    await writeFile(archive, entry.data)
    const { stdout: listing } = await execFileAsync('tar', ['--use-compress-program', 'unzstd', '-tf', archive])
    expect(listing).toContain('cache/download/example.com/util/@v/v0.1.0.zip')
    expect(listing).not.toMatch(/\.lock$/m)
    // only the download cache travels, not the extracted module trees
    expect(listing).not.toMatch(/pkg\/mod\/example\.com\/util@v0\.1\.0\//)

    // job 2: a fresh runner: no GOMODCACHE
    await removeDir(path.join(sandbox.root, 'gopath'))
    const offline = { ...goEnv, GOPROXY: 'off' }
    const withoutCache = await runGo(['build', '-o', path.join(sandbox.root, 'app-bin'), '.'], {
      cwd: app,
      env: offline,
    })
    expect(withoutCache.code).not.toBe(0) // the control: offline, nothing to build from
    expect(withoutCache.stderr).toContain('GOPROXY=off')

    const second = await jobTarget()
    expect(second.key).toBe(first.key)
    const hit = await restoreModuleCache(second.target, second.key, restoreKeys('goproxy-guard'))
    expect(hit).toMatchObject({ hit: 'true', matchedKey: first.key, filesBefore: 0, filesAfter: saved.files })
    expect(hit.bytes).toBeGreaterThan(0)

    const build = await runGo(['build', '-o', path.join(sandbox.root, 'app-bin'), '.'], { cwd: app, env: offline })
    expect(build).toMatchObject({ code: 0, stderr: '' })
    const { stdout: output } = await execFileAsync(path.join(sandbox.root, 'app-bin'))
    expect(output).toBe('HELLO, CI\n')
    const verify = await runGo(['mod', 'verify'], { cwd: app, env: offline })
    expect(verify).toMatchObject({ code: 0, stdout: 'all modules verified\n' })
  } finally {
    stdout.stop()
  }
})
