#!/usr/bin/env node
// Cache benchmark: what goproxy-guard caches ($GOMODCACHE/cache/download) against setup-go's layout (GOMODCACHE and
// GOCACHE in one archive) and GOMODCACHE alone, on the same module set, in one run. Each layout is archived and
// extracted exactly as @actions/cache 6.3 does on Linux (GNU tar + zstd without --long), into an empty runner, as a
// fresh hosted runner restores. Upload and download are left out: they scale with the archive bytes printed here.
//
//   npm run bench:cache [-- --modules 160 --runs 3 --no-real --keep]
//
// Fixtures: (1) a synthetic module set of real Go code served from a file:// proxy; (2) when `go env GOPROXY` names
// a reachable proxy, test/fixtures/bench/real (a dozen popular modules), downloaded through it.

/* global fetch, AbortSignal */
import { execFile, spawn } from 'node:child_process'
import { cp, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { projectFiles, writeSyntheticModules } from '../test/fixtures/bench/synthetic-modules.mjs'

const execFileAsync = promisify(execFile)
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const REAL_FIXTURE = path.join(ROOT, 'test', 'fixtures', 'bench', 'real')
const PROBE_MODULE = 'github.com/spf13/cobra'

function parseArgs(argv) {
  const options = { modules: 160, runs: 3, real: true, keep: false }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--modules') options.modules = Number(argv[++i])
    else if (arg === '--runs') options.runs = Number(argv[++i])
    else if (arg === '--no-real') options.real = false
    else if (arg === '--keep') options.keep = true
    else throw new Error(`unknown argument ${arg}`)
  }
  if (!(options.modules > 0) || !(options.runs > 0)) throw new Error('--modules and --runs take positive numbers')
  return options
}

/** Runs a command, never through a shell; resolves with the elapsed milliseconds, rejects with its stderr. */
function run(command, args, { cwd, env } = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6
      if (code === 0) resolve(ms)
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${stderr.slice(-2000)}`))
    })
  })
}

/** The machine's own environment, for the go commands that read its settings (GOPROXY); telemetry off all the same. */
const AMBIENT = { ...process.env, GOTELEMETRY: 'off' }

async function requireTools() {
  for (const [tool, args] of [
    ['go', ['version']],
    ['tar', ['--version']],
    ['zstd', ['--version']],
  ]) {
    try {
      await execFileAsync(tool, args, { env: AMBIENT })
    } catch {
      throw new Error(`${tool} is needed on PATH for this benchmark`)
    }
  }
}

/** The environment of one simulated runner: everything Go writes stays under `runner`. */
function runnerEnv(runner, goproxy) {
  return {
    PATH: process.env.PATH ?? '',
    HOME: path.join(runner, 'home'),
    GOPATH: path.join(runner, 'go'),
    GOMODCACHE: path.join(runner, 'go', 'pkg', 'mod'),
    GOCACHE: path.join(runner, 'gocache'),
    GOENV: 'off',
    GOTOOLCHAIN: 'local',
    GOFLAGS: '-modcacherw -mod=readonly',
    GOPROXY: goproxy,
    GOSUMDB: 'off', // go.sum alone verifies every module; no checksum-database traffic
    GOTELEMETRY: 'off',
  }
}

async function duBytes(dir) {
  let total = 0
  let entries
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true })
  } catch {
    return 0
  }
  for (const entry of entries) if (entry.isFile()) total += (await stat(path.join(entry.parentPath, entry.name))).size
  return total
}

async function countFiles(dir) {
  try {
    return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).length
  } catch {
    return 0
  }
}

/** `tar --posix -cf cache.tzst --exclude cache.tzst -P -C <workspace> --files-from manifest.txt --use-compress-program zstdmt` */
async function createArchive(archiveDir, workspace, paths) {
  await mkdir(archiveDir, { recursive: true })
  const manifest = paths.map((p) => path.relative(workspace, p).split(path.sep).join('/')).join('\n')
  await writeFile(path.join(archiveDir, 'manifest.txt'), `${manifest}\n`)
  await rm(path.join(archiveDir, 'cache.tzst'), { force: true })
  const args = ['--posix', '-cf', 'cache.tzst', '--exclude', 'cache.tzst', '-P', '-C', workspace]
  const ms = await run('tar', [...args, '--files-from', 'manifest.txt', '--use-compress-program', 'zstdmt'], {
    cwd: archiveDir,
  })
  return { ms, bytes: (await stat(path.join(archiveDir, 'cache.tzst'))).size }
}

/** `tar -xf <archive> -P -C <workspace> --use-compress-program unzstd` */
function extractArchive(archive, workspace) {
  return run('tar', ['-xf', archive, '-P', '-C', workspace, '--use-compress-program', 'unzstd'])
}

/** An empty runner, with the deletions flushed to disk, so their writeback does not land in the next timing. */
async function freshRunnerState(env) {
  await rm(env.GOPATH, { recursive: true, force: true })
  await rm(env.GOCACHE, { recursive: true, force: true })
  await settleDisk()
}

async function settleDisk() {
  try {
    await run('sync', [])
  } catch {
    // no sync command (not Linux/macOS): timings are only a little noisier
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

/**
 * One fixture: a cold job fills GOMODCACHE and GOCACHE (download, then build), each layout is archived from that
 * state, then each is restored into an empty runner (median of `runs`), and once more followed by the first build.
 */
async function measure(fixture, work, runs) {
  const runner = path.join(work, fixture.name)
  const workspace = path.join(runner, 'workspace')
  const project = path.join(workspace, 'project')
  await mkdir(project, { recursive: true })
  await fixture.writeProject(project)
  const env = runnerEnv(runner, fixture.goproxy)
  const downloadDir = path.join(env.GOMODCACHE, 'cache', 'download')
  const binary = path.join(runner, 'out', 'app')
  const build = (buildEnv) => run('go', ['build', '-o', binary, '.'], { cwd: project, env: buildEnv })
  const offline = { ...env, GOPROXY: 'off' }

  await freshRunnerState(env)
  const coldDownloadMs = await run('go', ['mod', 'download'], { cwd: project, env })
  const coldBuildMs = await build(env)
  const sizes = {
    download: await duBytes(downloadDir),
    downloadFiles: await countFiles(downloadDir),
    modcache: await duBytes(env.GOMODCACHE),
    gocache: await duBytes(env.GOCACHE),
  }

  const layouts = [
    { id: 'ours', label: '(a) ours: GOMODCACHE/cache/download', paths: [downloadDir] },
    { id: 'setupgo', label: '(b) setup-go: GOMODCACHE + GOCACHE', paths: [env.GOMODCACHE, env.GOCACHE] },
    { id: 'modcache', label: '(c) GOMODCACHE alone', paths: [env.GOMODCACHE] },
  ]
  for (const layout of layouts) {
    layout.archiveDir = path.join(runner, 'archives', layout.id)
    const saves = []
    for (let i = 0; i < runs; i++) {
      await settleDisk()
      const { ms, bytes } = await createArchive(layout.archiveDir, workspace, layout.paths)
      saves.push(ms)
      layout.bytes = bytes
    }
    layout.saveMs = median(saves)
  }
  for (const layout of layouts) {
    const archive = path.join(layout.archiveDir, 'cache.tzst')
    const restores = []
    for (let i = 0; i < runs; i++) {
      await freshRunnerState(env)
      restores.push(await extractArchive(archive, workspace))
    }
    layout.restoreMs = median(restores)
    await freshRunnerState(env)
    const restoreMs = await extractArchive(archive, workspace)
    layout.restoreBuildMs = restoreMs + (await build(offline)) // offline: the restored cache must be enough
  }
  return { fixture, sizes, coldDownloadMs, coldBuildMs, layouts }
}

async function syntheticFixture(work, count) {
  const proxyDir = path.join(work, 'synthetic-proxy')
  const modules = await writeSyntheticModules(proxyDir, { count })
  const goproxy = pathToFileURL(proxyDir).href
  // go.sum comes from Go itself: tidy once in a scratch runner, against the file:// proxy
  const scratch = path.join(work, 'synthetic-scratch')
  await mkdir(scratch, { recursive: true })
  for (const [name, content] of Object.entries(projectFiles(modules)))
    await writeFile(path.join(scratch, name), content)
  await run('go', ['mod', 'tidy'], {
    cwd: scratch,
    env: { ...runnerEnv(scratch, goproxy), GOFLAGS: '-modcacherw -mod=mod' },
  })
  return {
    name: 'synthetic',
    title: `synthetic: ${count} modules of generated Go code from a file:// proxy`,
    goproxy,
    writeProject: async (dir) => {
      for (const name of ['go.mod', 'go.sum', 'main.go']) await cp(path.join(scratch, name), path.join(dir, name))
    },
  }
}

/** The first HTTP proxy of `go env GOPROXY`, if one request to it works; the benchmark never goes further. */
async function reachableProxy() {
  let goproxy
  try {
    goproxy = (await execFileAsync('go', ['env', 'GOPROXY'], { env: AMBIENT })).stdout.trim()
  } catch {
    return { skip: 'go env GOPROXY failed' }
  }
  const url = goproxy.split(/[,|]/).find((entry) => /^https?:\/\//.test(entry))
  if (url === undefined) return { skip: `GOPROXY=${goproxy} names no HTTP proxy` }
  try {
    const response = await fetch(`${url.replace(/\/$/, '')}/${PROBE_MODULE}/@v/list`, {
      signal: AbortSignal.timeout(5000),
    })
    if (!response.ok) return { skip: `${url} answered ${response.status}` }
    await response.arrayBuffer()
  } catch (error) {
    return { skip: `${url} is not reachable (${error.cause?.code ?? error.message})` }
  }
  return { url }
}

async function realFixture() {
  const proxy = await reachableProxy()
  if (proxy.skip !== undefined) return { skip: proxy.skip }
  return {
    name: 'real',
    title: `real: test/fixtures/bench/real (a dozen popular modules) through ${proxy.url}`,
    goproxy: proxy.url,
    writeProject: (dir) => cp(REAL_FIXTURE, dir, { recursive: true }),
  }
}

const mib = (bytes) => `${(bytes / 1048576).toFixed(1)} MiB`
const sec = (ms) => `${(ms / 1000).toFixed(2)} s`
const ratio = (a, b) => `${(a / b).toFixed(2)}×`

function printResult({ fixture, sizes, coldDownloadMs, coldBuildMs, layouts }, runs) {
  const [ours, setupGo, modcache] = layouts
  console.log(`\n## ${fixture.title}`)
  console.log(
    `on disk after a cold job: download dir ${mib(sizes.download)} (${sizes.downloadFiles} files), ` +
      `GOMODCACHE ${mib(sizes.modcache)}, GOCACHE ${mib(sizes.gocache)}; ` +
      `cold go mod download ${sec(coldDownloadMs)}, cold go build ${sec(coldBuildMs)}`,
  )
  const rows = [
    ['layout', 'archive', `save (tar+zstd)`, `restore (empty runner)`, 'restore + first go build'],
    ...layouts.map((l) => [l.label, mib(l.bytes), sec(l.saveMs), sec(l.restoreMs), sec(l.restoreBuildMs)]),
    ...[
      ['ours / setup-go', setupGo],
      ['ours / GOMODCACHE alone', modcache],
    ].map(([label, other]) => [
      label,
      ratio(ours.bytes, other.bytes),
      ratio(ours.saveMs, other.saveMs),
      ratio(ours.restoreMs, other.restoreMs),
      ratio(ours.restoreBuildMs, other.restoreBuildMs),
    ]),
  ]
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)))
  for (const [i, row] of rows.entries()) {
    console.log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '))
    if (i === 0 || i === layouts.length) console.log(widths.map((w) => '-'.repeat(w)).join('  '))
  }
  const bytesMet = ours.bytes <= setupGo.bytes / 2
  const restoreMet = ours.restoreMs <= setupGo.restoreMs / 2
  console.log(
    `target (ours ≤ half of setup-go): bytes ${bytesMet ? 'met' : 'NOT met'}, restore time ${restoreMet ? 'met' : 'NOT met'}` +
      ` (save/restore: median of ${runs}; restore + build: one run, GOPROXY=off, setup-go's archive carries a build cache)`,
  )
}

async function main() {
  const options = parseArgs(process.argv.slice(2))
  await requireTools()
  const { stdout: goVersion } = await execFileAsync('go', ['version'], { env: AMBIENT })
  const work = await mkdtemp(path.join(os.tmpdir(), 'goproxy-guard-bench-cache-'))
  console.log(`# Module cache benchmark — ${goVersion.trim()}, ${os.cpus().length} CPUs, work dir ${work}`)
  try {
    const fixtures = [await syntheticFixture(work, options.modules)]
    if (options.real) {
      const real = await realFixture()
      if (real.skip !== undefined) console.log(`real-module fixture skipped: ${real.skip}`)
      else fixtures.push(real)
    }
    for (const fixture of fixtures) printResult(await measure(fixture, work, options.runs), options.runs)
  } finally {
    if (options.keep) console.log(`\nkept ${work}`)
    else await rm(work, { recursive: true, force: true })
  }
}

main().catch((error) => {
  console.error(`bench-cache: ${error.message}`)
  process.exitCode = 1
})
