#!/usr/bin/env node
// Cache benchmark on a real dependency set: what goproxy-guard caches against setup-go's layout, side by side, on the
// same fresh runner paths, in interleaved rounds (layout order rotated per round), medians of every figure.
//
//   npm run bench:cache [-- --rounds 3 --fixture caddy|DIR --only layouts,where,main,chain --keep]
//
// Fixture: test/fixtures/bench/<fixture>/<release>/ (go.mod, go.sum, imports.json of five successive releases of a
// public project; see the README there) with Go source of our own importing what the project imports. Modules come
// from the first HTTP proxy of `go env GOPROXY` (the Go module proxy by default); every measured build runs with
// GOPROXY=off, so the restored caches must be enough. Archives are made and extracted exactly as @actions/cache 6.3 does
// on Linux (GNU tar + zstd, paths relative to the workspace); upload and download are left out: they scale with the
// archive bytes printed here.
//
// Sections (--only): layouts — archive bytes, restore, restore + first `go build ./...`, restore + first
// `go vet ./...`, per layout; chain — the build entry's and module entry's size over the five releases, pruned and
// not; main — the action bundle's main step (dist/main, as the runner runs it, against the loopback cache service) on
// a fresh runner, then the first build; where — where a first build's time goes, and the drift check's go commands.
//
// The TypeScript libraries and test helpers are imported directly: this script re-runs itself under Node 24 with the
// hook that maps './x.js' specifiers to './x.ts'.

/* global fetch, AbortSignal */
import { execFile, spawn } from 'node:child_process'
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { rerunWithTypeScript } from './typescript-child.mjs'
import { promisify } from 'node:util'

const execFileAsync = promisify(execFile)
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const SELF = fileURLToPath(import.meta.url)
const MARK = 'GOPROXY_GUARD_BENCH_CACHE_CHILD'
const SECTIONS = ['layouts', 'where', 'main', 'chain'] // run in this order

function parseArgs(argv) {
  const options = { rounds: 3, fixture: 'caddy', only: SECTIONS, keep: false }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--rounds') options.rounds = Number(argv[++i])
    else if (arg === '--fixture') options.fixture = String(argv[++i])
    else if (arg === '--only') options.only = String(argv[++i]).split(',')
    else if (arg === '--keep') options.keep = true
    else throw new Error(`unknown argument ${arg}`)
  }
  if (!(Number.isInteger(options.rounds) && options.rounds > 0)) throw new Error('--rounds takes a positive integer')
  for (const section of options.only)
    if (!SECTIONS.includes(section)) throw new Error(`--only takes ${SECTIONS.join(',')}, not ${section}`)
  return options
}

// ---------------------------------------------------------------------------------------------------------------
// processes, files, figures

/** Runs a command, never through a shell; resolves with { ms, stdout, stderr }, rejects on a non-zero exit. */
function run(command, args, { cwd, env, allowFail = false } = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6
      if (code === 0 || allowFail) resolve({ ms, code, stdout, stderr })
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${stderr.slice(-3000)}`))
    })
  })
}

async function timed(fn) {
  const started = process.hrtime.bigint()
  const value = await fn()
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, value }
}

async function treeSize(dir) {
  let bytes = 0
  let files = 0
  let entries
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true })
  } catch {
    return { bytes: 0, files: 0 }
  }
  for (const entry of entries) {
    if (!entry.isFile()) continue
    const s = await stat(path.join(entry.parentPath, entry.name)).catch(() => undefined)
    if (s === undefined) continue
    bytes += s.size
    files += 1
  }
  return { bytes, files }
}

async function loadAverage() {
  return os.loadavg()[0]
}

function median(values) {
  const sorted = values.filter((v) => v !== undefined && !Number.isNaN(v)).sort((a, b) => a - b)
  if (sorted.length === 0) return NaN
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

const mib = (bytes) => `${(bytes / 1048576).toFixed(1)} MiB`
const sec = (ms) => (Number.isNaN(ms) ? '—' : `${(ms / 1000).toFixed(2)} s`)
const ratio = (a, b) => (Number.isNaN(a) || Number.isNaN(b) || b === 0 ? '—' : `${(a / b).toFixed(2)}×`)

function printTable(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)))
  for (const [i, row] of rows.entries()) {
    console.log(
      row.map((cell, c) => (c === 0 ? String(cell).padEnd(widths[c]) : String(cell).padStart(widths[c]))).join('  '),
    )
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '))
  }
}

/** figure name → values over rounds, with the 1-minute load average seen before each */
class Figures {
  constructor() {
    this.values = new Map()
  }
  async add(name, ms) {
    const entry = this.values.get(name) ?? { values: [], loads: [] }
    entry.values.push(ms)
    entry.loads.push(await loadAverage())
    this.values.set(name, entry)
  }
  median(name) {
    return median(this.values.get(name)?.values ?? [])
  }
  load(name) {
    return median(this.values.get(name)?.loads ?? [])
  }
  spread(name) {
    const v = this.values.get(name)?.values ?? []
    if (v.length < 2) return ''
    return `${(Math.min(...v) / 1000).toFixed(1)}–${(Math.max(...v) / 1000).toFixed(1)}`
  }
}

// ---------------------------------------------------------------------------------------------------------------
// the runner

/**
 * One simulated runner with fixed paths (as a hosted runner image has): the same paths for every layout, so that
 * compiled packages restored from another runner match (Go keys them by source paths, among others).
 */
function makeRunner(root, goproxy) {
  const workspace = path.join(root, 'workspace')
  const project = path.join(workspace, 'project')
  const env = {
    PATH: `/usr/local/go/bin:${process.env.PATH ?? ''}`,
    HOME: path.join(root, 'home'),
    GOPATH: path.join(root, 'go'),
    GOMODCACHE: path.join(root, 'go', 'pkg', 'mod'),
    GOCACHE: path.join(root, 'gocache'),
    GOENV: 'off',
    GOTOOLCHAIN: 'local',
    GOFLAGS: '-modcacherw -mod=readonly',
    GOPROXY: goproxy,
    GOTELEMETRY: 'off',
    CGO_ENABLED: '0',
  }
  const offline = { ...env, GOPROXY: 'off', GOSUMDB: 'off' }
  const downloadDir = path.join(env.GOMODCACHE, 'cache', 'download')
  const go = (args, options = {}) => run('go', args, { cwd: project, env: options.env ?? offline, ...options })
  return { root, workspace, project, env, offline, downloadDir, go }
}

/** An empty runner (no GOPATH, no GOCACHE), the deletions flushed so their writeback does not land in a timing. */
async function emptyRunner(runner) {
  await rm(runner.env.GOPATH, { recursive: true, force: true })
  await rm(runner.env.GOCACHE, { recursive: true, force: true })
  await mkdir(runner.env.HOME, { recursive: true })
  // a fresh checkout: no binary from an earlier build (Go would find it up to date and skip the link)
  for (const name of await readdir(runner.project).catch(() => []))
    if (!/\.go$|^go\.(mod|sum)$/.test(name)) await rm(path.join(runner.project, name), { recursive: true, force: true })
  await settleDisk()
}

async function settleDisk() {
  await run('sync', []).catch(() => undefined)
}

/** `tar --posix -cf cache.tzst --exclude cache.tzst -P -C <workspace> --files-from manifest.txt --use-compress-program zstdmt` */
async function createArchive(file, workspace, paths) {
  const dir = path.dirname(file)
  await mkdir(dir, { recursive: true })
  const manifest = path.join(dir, `${path.basename(file)}.manifest`)
  await writeFile(manifest, `${paths.map((p) => path.relative(workspace, p).split(path.sep).join('/')).join('\n')}\n`)
  await rm(file, { force: true })
  const args = ['--posix', '-cf', file, '--exclude', file, '-P', '-C', workspace, '--files-from', manifest]
  const { ms } = await run('tar', [...args, '--use-compress-program', 'zstdmt'])
  return { ms, bytes: (await stat(file)).size }
}

/** `tar -xf <archive> -P -C <workspace> --use-compress-program unzstd` */
function extractArchive(file, workspace) {
  return run('tar', ['-xf', file, '-P', '-C', workspace, '--use-compress-program', 'unzstd'])
}

// ---------------------------------------------------------------------------------------------------------------
// sections

async function reachableProxy() {
  const { stdout } = await execFileAsync('go', ['env', 'GOPROXY'])
  const url = stdout
    .trim()
    .split(/[,|]/)
    .find((entry) => /^https?:\/\//.test(entry))
  if (url === undefined) throw new Error(`go env GOPROXY (${stdout.trim()}) names no HTTP proxy`)
  const response = await fetch(`${url.replace(/\/$/, '')}/golang.org/x/mod/@v/list`, {
    signal: AbortSignal.timeout(10000),
  })
  if (!response.ok) throw new Error(`${url} answered ${response.status}`)
  await response.arrayBuffer()
  return url
}

/**
 * A cold job on the newest release: download, build, vet, the drift check's tidy, verify. Its end state is what each
 * layout archives: a job that ran all of that and saved.
 */
async function seed(ctx) {
  const { runner, lib, releaseDir } = ctx
  await emptyRunner(runner)
  await rm(runner.workspace, { recursive: true, force: true })
  await mkdir(runner.project, { recursive: true })
  await ctx.writeRealProject(releaseDir, runner.project)
  const online = { env: runner.env }
  const figures = {}
  figures.download = (await runner.go(['mod', 'download'], online)).ms
  figures.build = (await runner.go(['build', './...'], online)).ms
  figures.vet = (await runner.go(['vet', './...'], online)).ms
  figures.tidy = (await runner.go(['mod', 'tidy', '-diff'], online)).ms
  figures.verify = (await runner.go(['mod', 'verify'], online)).ms
  // what our save leaves out of the module entry: transient files, versions no go.sum names
  const goSum = await readFile(path.join(runner.project, 'go.sum'), 'utf8')
  const goVersion = (await runner.go(['env', 'GOVERSION'])).stdout.trim()
  const unneeded = await lib.unneededModuleFiles(runner.downloadDir, [goSum], { goVersions: [goVersion] })
  for (const file of unneeded.files) await rm(file, { force: true })
  for (const entry of await readdir(runner.downloadDir, { recursive: true, withFileTypes: true }))
    if (entry.isFile() && /\.(lock|partial|tmp)$/.test(entry.name)) await rm(path.join(entry.parentPath, entry.name))
  const sizes = {
    download: await treeSize(runner.downloadDir),
    modcache: await treeSize(runner.env.GOMODCACHE),
    gocache: await treeSize(runner.env.GOCACHE),
    unneeded,
  }
  return { figures, sizes, goVersion }
}

function layoutsOf(runner) {
  const trees = async () => {
    const names = await readdir(runner.env.GOMODCACHE)
    return names.filter((n) => n !== 'cache').map((n) => path.join(runner.env.GOMODCACHE, n))
  }
  return [
    {
      id: 'setupgo',
      label: 'setup-go: GOMODCACHE + GOCACHE, one archive',
      archives: [[runner.env.GOMODCACHE, runner.env.GOCACHE]],
    },
    {
      id: 'ours',
      label: 'ours: download dir + pruned build entry, 2 archives',
      archives: [[runner.downloadDir], [runner.env.GOCACHE]],
      age: true,
    },
    { id: 'oursnobuild', label: 'ours without the build entry: download dir', archives: [[runner.downloadDir]] },
    { id: 'modcache', label: 'GOMODCACHE alone', archives: [[runner.env.GOMODCACHE]] },
    {
      id: 'ourstrees',
      label: 'candidate: ours + extracted trees, 3 archives',
      archives: [[runner.downloadDir], [runner.env.GOCACHE], trees],
      age: true,
    },
  ]
}

async function makeArchives(ctx, layouts) {
  const { runner } = ctx
  for (const layout of layouts) {
    layout.files = []
    layout.bytes = 0
    for (const [index, paths] of layout.archives.entries()) {
      const list = typeof paths === 'function' ? await paths() : paths
      const file = path.join(ctx.work, 'archives', `${layout.id}-${index}.tzst`)
      await settleDisk()
      const { bytes, ms } = await createArchive(file, runner.workspace, list)
      layout.files.push(file)
      layout.bytes += bytes
      layout.saveMs = (layout.saveMs ?? 0) + ms
    }
  }
}

/** Restores a layout into an empty runner: its archives extracted concurrently, then the build cache aged. */
async function restoreLayout(ctx, layout) {
  await emptyRunner(ctx.runner)
  const { ms } = await timed(async () => {
    await Promise.all(layout.files.map((file) => extractArchive(file, ctx.runner.workspace)))
    if (layout.age) await ctx.lib.ageRestoredFiles(ctx.runner.env.GOCACHE)
  })
  return ms
}

function rotate(list, by) {
  return list.map((_, i) => list[(i + by) % list.length])
}

async function measureLayouts(ctx, layouts) {
  const f = ctx.figures
  for (let round = 0; round < ctx.rounds; round++) {
    for (const layout of rotate(layouts, round)) {
      const restoreMs = await restoreLayout(ctx, layout)
      await f.add(`${layout.id}:restore`, restoreMs)
      const build = await ctx.runner.go(['build', './...'])
      await f.add(`${layout.id}:build`, build.ms)
      await f.add(`${layout.id}:restore+build`, restoreMs + build.ms)
      const vetRestoreMs = await restoreLayout(ctx, layout)
      const vet = await ctx.runner.go(['vet', './...'])
      await f.add(`${layout.id}:restore+vet`, vetRestoreMs + vet.ms)
      console.log(
        `  round ${round + 1} ${layout.id}: restore ${sec(restoreMs)}, build ${sec(build.ms)}, restore+vet ` +
          `${sec(vetRestoreMs + vet.ms)} (load ${(await loadAverage()).toFixed(1)})`,
      )
    }
  }
}

function printLayouts(ctx, layouts, seeded) {
  const f = ctx.figures
  const { sizes } = seeded
  console.log(`\n## Layouts (${ctx.title})`)
  console.log(
    `after a cold job: download dir ${mib(sizes.download.bytes)} (${sizes.download.files} files), GOMODCACHE ` +
      `${mib(sizes.modcache.bytes)} (${sizes.modcache.files} files), GOCACHE ${mib(sizes.gocache.bytes)} ` +
      `(${sizes.gocache.files} files); module files no go.sum names: ${sizes.unneeded.files.length}. ` +
      `Cold job: download ${sec(seeded.figures.download)}, build ${sec(seeded.figures.build)}, vet ` +
      `${sec(seeded.figures.vet)}, tidy -diff ${sec(seeded.figures.tidy)}, verify ${sec(seeded.figures.verify)}`,
  )
  const cols = ['restore', 'restore+build', 'restore+vet']
  const rows = [['layout', 'archive', 'save (tar+zstd)', ...cols.map((c) => `${c} (median, range s)`), 'load']]
  for (const l of layouts)
    rows.push([
      l.label,
      mib(l.bytes),
      sec(l.saveMs),
      ...cols.map((c) => `${sec(f.median(`${l.id}:${c}`))} (${f.spread(`${l.id}:${c}`)})`),
      f.load(`${l.id}:restore+build`).toFixed(1),
    ])
  const setupGo = layouts.find((l) => l.id === 'setupgo')
  for (const l of layouts.filter((x) => x.id !== 'setupgo'))
    rows.push([
      `${l.id} / setup-go`,
      ratio(l.bytes, setupGo.bytes),
      ratio(l.saveMs, setupGo.saveMs),
      ...cols.map((c) => ratio(f.median(`${l.id}:${c}`), f.median(`setupgo:${c}`))),
      '',
    ])
  printTable(rows)
  const ours = layouts.find((l) => l.id === 'ours')
  const build = f.median('ours:restore+build') / f.median('setupgo:restore+build')
  console.log(
    `targets: restore + first build ≤ 0.7× setup-go: ${build.toFixed(2)}× ${build <= 0.7 ? 'met' : 'NOT met'}; ` +
      `module + build entry bytes ≤ 0.7× setup-go: ${(ours.bytes / setupGo.bytes).toFixed(2)}× ` +
      `${ours.bytes / setupGo.bytes <= 0.7 ? 'met' : 'NOT met'}`,
  )
}

/**
 * Five successive releases on one runner, as five default-branch runs: each restores the previous run's pruned build
 * entry (ages it), builds, vets and runs the drift check's tidy, then prunes. The entry without pruning is the union of
 * every entry file seen so far (what a restore-and-resave chain keeps). The module entry the same way with go.sum.
 */
async function measureChain(ctx) {
  const { runner, lib } = ctx
  await emptyRunner(runner)
  await rm(runner.workspace, { recursive: true, force: true })
  await mkdir(runner.project, { recursive: true })
  const seenBuild = new Map() // relative path → bytes
  const seenModule = new Map()
  const steps = []
  const online = { env: runner.env }
  for (const [index, release] of ctx.releases.entries()) {
    await ctx.writeRealProject(path.join(ctx.fixtureDir, release), runner.project)
    const agedAt = new Date()
    const aged = await timed(() => lib.ageRestoredFiles(runner.env.GOCACHE, agedAt))
    await runner.go(['mod', 'download'], online)
    const build = await runner.go(['build', '-v', './...'], online)
    const compiled = build.stderr.split('\n').filter((line) => line.trim() !== '').length
    await runner.go(['vet', './...'], online)
    await runner.go(['mod', 'tidy', '-diff'], online)
    for (const [rel, bytes] of await fileSizes(runner.env.GOCACHE)) seenBuild.set(rel, bytes)
    for (const [rel, bytes] of await fileSizes(runner.downloadDir))
      if (!/\.(lock|partial|tmp)$/.test(rel)) seenModule.set(rel, bytes)
    const unused = await timed(() => lib.unusedFiles(runner.env.GOCACHE, agedAt))
    const aside = await timed(() => lib.setAside(runner.env.GOCACHE, unused.value.paths))
    const pruned = await treeSize(runner.env.GOCACHE)
    const archive = await createArchive(path.join(ctx.work, 'archives', `chain-${index}.tzst`), runner.workspace, [
      runner.env.GOCACHE,
    ])
    // the pruned entry is what the next run restores: the files set aside are gone for good
    if (aside.value.asideDir !== undefined) await rm(aside.value.asideDir, { recursive: true, force: true })
    const goSum = await readFile(path.join(runner.project, 'go.sum'), 'utf8')
    const unneeded = await lib.unneededModuleFiles(runner.downloadDir, [goSum], { goVersions: [ctx.goVersion] })
    for (const file of unneeded.files) await rm(file, { force: true })
    const modulePruned = await treeSize(runner.downloadDir)
    const step = {
      release,
      compiled,
      buildMs: build.ms,
      unpruned: sum(seenBuild.values()),
      unprunedFiles: seenBuild.size,
      pruned: pruned.bytes,
      prunedFiles: pruned.files,
      prunedArchive: archive.bytes,
      setAsideFiles: unused.value.files,
      ageMs: aged.ms,
      agedFiles: aged.value.files,
      unusedMs: unused.ms,
      setAsideMs: aside.ms,
      moduleUnpruned: sum(seenModule.values()),
      modulePruned: modulePruned.bytes,
      moduleDropped: unneeded.versions,
    }
    steps.push(step)
    console.log(`  chain ${release}: ${JSON.stringify(step)}`)
  }
  return steps
}

function sum(values) {
  let total = 0
  for (const v of values) total += v
  return total
}

async function fileSizes(dir) {
  const out = new Map()
  let entries
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true })
  } catch {
    return out
  }
  for (const entry of entries) {
    if (!entry.isFile()) continue
    const full = path.join(entry.parentPath, entry.name)
    const s = await stat(full).catch(() => undefined)
    if (s !== undefined) out.set(path.relative(dir, full), s.size)
  }
  return out
}

function printChain(ctx, steps, seeded, layouts) {
  console.log(`\n## Build entry and module entry over ${steps.length} successive releases (${ctx.title})`)
  const rows = [
    [
      'release',
      'compiled pkgs',
      'build',
      'build entry unpruned',
      'pruned',
      'pruned archive',
      'module entry unpruned',
      'pruned',
    ],
  ]
  for (const s of steps)
    rows.push([
      s.release,
      String(s.compiled),
      sec(s.buildMs),
      `${mib(s.unpruned)} (${s.unprunedFiles})`,
      `${mib(s.pruned)} (${s.prunedFiles})`,
      mib(s.prunedArchive),
      mib(s.moduleUnpruned),
      mib(s.modulePruned),
    ])
  printTable(rows)
  const last = steps[steps.length - 1]
  if (seeded !== undefined) {
    const fresh = seeded.sizes.gocache.bytes
    const freshModule = seeded.sizes.download.bytes
    console.log(
      `after ${steps.length} releases: build entry pruned / fresh = ${ratio(last.pruned, fresh)} (target ≤ 1.2×), ` +
        `unpruned / fresh = ${ratio(last.unpruned, fresh)}; module entry pruned / fresh = ` +
        `${ratio(last.modulePruned, freshModule)}, unpruned / fresh = ${ratio(last.moduleUnpruned, freshModule)}` +
        ` (fresh: the cold job on ${ctx.releases[ctx.releases.length - 1]}, GOCACHE ${mib(fresh)}, download dir ${mib(freshModule)})`,
    )
    const oursBuild = layouts?.find((l) => l.id === 'ours')
    if (oursBuild !== undefined)
      console.log(`(fresh entries as archived for the layouts' "ours": module + build, ${mib(oursBuild.bytes)})`)
  }
  console.log(
    `pruning cost on the last release: age ${last.agedFiles} files ${sec(last.ageMs)}, list unused ${sec(last.unusedMs)}, ` +
      `set aside ${last.setAsideFiles} files ${sec(last.setAsideMs)}`,
  )
}

/**
 * The action's main step on a fresh runner, as the runner runs dist/main, against the loopback cache service: a first
 * default-branch job saves whatever the bundle saves (its post step), then each round starts from empty GOMODCACHE
 * and GOCACHE, runs the main step, then the first `go build ./...`.
 */
async function measureMainStep(ctx) {
  const { startCacheService } = await import(pathToFileURL(path.join(ROOT, 'test/servers/cache-service.ts')).href)
  const { runAction } = await import(pathToFileURL(path.join(ROOT, 'test/helpers/action-runner.ts')).href)
  const cache = await startCacheService()
  const runner = ctx.runner
  const eventPath = path.join(ctx.work, 'event.json')
  await writeFile(eventPath, JSON.stringify({ repository: { default_branch: 'main', full_name: 'bench/caddy' } }))
  const jobEnv = {
    ...runner.env,
    GOPROXY: '', // the action sets it from its inputs
    ...cache.env,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: 'bench/caddy',
  }
  delete jobEnv.GOPROXY
  delete jobEnv.CGO_ENABLED
  jobEnv.GOFLAGS = '-modcacherw'
  const inputs = { goproxy: ctx.goproxy, probe: 'false', 'cache-key-prefix': 'bench' }
  const steps = []
  try {
    await emptyRunner(runner)
    const first = await runAction({
      workspace: runner.project,
      env: jobEnv,
      inputs,
      between: async (env) => {
        const goEnv = { ...env, CGO_ENABLED: '0' }
        await run('go', ['build', './...'], { cwd: runner.project, env: goEnv })
        await run('go', ['vet', './...'], { cwd: runner.project, env: goEnv })
      },
    })
    if (first.main.code !== 0) throw new Error(`the seeding job's main step failed:\n${first.main.stdout.slice(-3000)}`)
    const saved = cache.entries().map((e) => `${e.key} (${mib(e.sizeBytes)})`)
    console.log(`  main: the first job saved ${saved.join(', ') || 'nothing'}`)
    for (let round = 0; round < ctx.rounds; round++) {
      await emptyRunner(runner)
      let buildMs = NaN
      const job = await timed(() =>
        runAction({
          workspace: runner.project,
          env: jobEnv,
          inputs,
          runPost: false,
          between: async (env) => {
            buildMs = (
              await run('go', ['build', './...'], {
                cwd: runner.project,
                env: { ...env, CGO_ENABLED: '0', GOPROXY: 'off' },
              })
            ).ms
          },
        }),
      )
      const main = job.value.main
      if (main.code !== 0) throw new Error(`main step failed:\n${main.stdout.slice(-3000)}`)
      // the main step's own time: the job's time less the build that ran after it
      await ctx.figures.add('main:step', job.ms - buildMs)
      await ctx.figures.add('main:build', buildMs)
      await ctx.figures.add('main:step+build', job.ms)
      const outputs = main.outputs
      steps.push({ cacheHit: outputs['cache-hit'], buildCacheHit: outputs['build-cache-hit'] })
      console.log(
        `  round ${round + 1} main step ${sec(job.ms - buildMs)}, then build ${sec(buildMs)}; cache-hit ` +
          `${outputs['cache-hit']}, build-cache-hit ${outputs['build-cache-hit'] ?? '(no such output)'} (load ${(await loadAverage()).toFixed(1)})`,
      )
    }
    return { saved, steps }
  } finally {
    await cache.close()
  }
}

function printMainStep(ctx, result) {
  const f = ctx.figures
  console.log(`\n## The action's main step on a fresh runner (dist/main, loopback cache service; ${ctx.title})`)
  console.log(`entries saved by a first default-branch job: ${result.saved.join(', ') || 'none'}`)
  const hits = result.steps.map((s) => `${s.cacheHit}/${s.buildCacheHit ?? '—'}`).join(', ')
  printTable([
    ['figure', 'median', 'range s', 'load'],
    ...['main:step', 'main:build', 'main:step+build'].map((n) => [
      n,
      sec(f.median(n)),
      f.spread(n),
      f.load(n).toFixed(1),
    ]),
  ])
  console.log(`cache-hit/build-cache-hit per round: ${hits}`)
  const setupGo = f.median('setupgo:restore+build')
  if (!Number.isNaN(setupGo))
    console.log(
      `main step + first build / setup-go's restore + first build: ${ratio(f.median('main:step+build'), setupGo)}`,
    )
}

/**
 * Where a first build's time goes after a restore, and the drift check's go commands on a fresh runner. Each figure
 * starts from an empty runner with the named layout restored.
 */
async function measureWhere(ctx, layouts) {
  const byId = Object.fromEntries(layouts.map((l) => [l.id, l]))
  const { runner } = ctx
  const go = (args) => runner.go(args)
  const tasks = [
    // a build's phases with the full build entry: extraction (go list -deps extracts the modules of the packages
    // it loads), then hashing and cache lookups (go list -export: every action ID, no link), then the build (link)
    {
      id: 'phases-ours',
      layout: 'ours',
      fn: async () => ({
        'ours:list-deps (extract)': (await go(['list', '-deps', './...'])).ms,
        'ours:list-export (hash)': (await go(['list', '-export', './...'])).ms,
        'ours:build after both (link)': (await go(['build', './...'])).ms,
      }),
    },
    {
      id: 'phases-setupgo',
      layout: 'setupgo',
      fn: async () => ({
        'setupgo:list-deps (extract)': (await go(['list', '-deps', './...'])).ms,
        'setupgo:list-export (hash)': (await go(['list', '-export', './...'])).ms,
        'setupgo:build after both (link)': (await go(['build', './...'])).ms,
      }),
    },
    // candidate: the main step extracts what the build needs (go mod download extracts every module of the build
    // list), then the build
    {
      id: 'download-then-build',
      layout: 'ours',
      fn: async () => ({
        'ours:go mod download (extracts all)': (await go(['mod', 'download'])).ms,
        'ours:build after download': (await go(['build', './...'])).ms,
      }),
    },
    // candidate: extraction of the modules the build needs concurrently with the build itself
    {
      id: 'extract-during-build',
      layout: 'ours',
      fn: async () => {
        const { ms } = await timed(() => Promise.all([go(['list', '-deps', './...']), go(['build', './...'])]))
        return { 'ours:list-deps & build concurrently': ms }
      },
    },
    // the drift check's commands on a fresh runner
    {
      id: 'tidy-nobuild',
      layout: 'oursnobuild',
      fn: async () => ({ 'tidy -diff, download dir only': (await go(['mod', 'tidy', '-diff'])).ms }),
    },
    {
      id: 'tidy-ours',
      layout: 'ours',
      fn: async () => ({ 'tidy -diff, download dir + build entry': (await go(['mod', 'tidy', '-diff'])).ms }),
    },
    {
      id: 'tidy-trees',
      layout: 'setupgo',
      fn: async () => ({ 'tidy -diff, setup-go layout (trees + GOCACHE)': (await go(['mod', 'tidy', '-diff'])).ms }),
    },
    { id: 'verify-ours', layout: 'ours', fn: async () => ({ 'verify, ours': (await go(['mod', 'verify'])).ms }) },
    {
      id: 'tidy-then-verify',
      layout: 'ours',
      fn: async () => {
        const tidy = await go(['mod', 'tidy', '-diff'])
        const verify = await go(['mod', 'verify'])
        return {
          'sequential: tidy': tidy.ms,
          'sequential: verify': verify.ms,
          'sequential: tidy then verify': tidy.ms + verify.ms,
        }
      },
    },
    {
      id: 'tidy-and-verify',
      layout: 'ours',
      fn: async () => {
        const { ms, value } = await timed(() => Promise.all([go(['mod', 'tidy', '-diff']), go(['mod', 'verify'])]))
        return { 'concurrent: tidy': value[0].ms, 'concurrent: verify': value[1].ms, 'concurrent: both': ms }
      },
    },
  ]
  ctx.whereNames = []
  for (let round = 0; round < ctx.rounds; round++) {
    for (const task of rotate(tasks, round)) {
      const restoreMs = await restoreLayout(ctx, byId[task.layout])
      const figures = await task.fn()
      for (const [name, ms] of Object.entries(figures)) {
        if (!ctx.whereNames.includes(name)) ctx.whereNames.push(name)
        await ctx.figures.add(`where:${name}`, ms)
      }
      console.log(
        `  round ${round + 1} ${task.id} (restore ${sec(restoreMs)}): ${Object.entries(figures)
          .map(([n, ms]) => `${n} ${sec(ms)}`)
          .join(', ')}`,
      )
    }
  }
  // how much a full extraction writes
  await restoreLayout(ctx, byId.ours)
  const before = await treeSize(ctx.runner.env.GOMODCACHE)
  await go(['list', '-deps', './...'])
  const afterList = await treeSize(ctx.runner.env.GOMODCACHE)
  await go(['mod', 'download'])
  const afterDownload = await treeSize(ctx.runner.env.GOMODCACHE)
  return {
    extractedByList: afterList.bytes - before.bytes,
    extractedByDownload: afterDownload.bytes - before.bytes,
    zips: before.bytes,
  }
}

function printWhere(ctx, extraction) {
  const f = ctx.figures
  console.log(`\n## Where the first build's time goes; the drift check's commands on a fresh runner (${ctx.title})`)
  printTable([
    ['figure', 'median', 'range s', 'load'],
    ...ctx.whereNames.map((n) => [
      n,
      sec(f.median(`where:${n}`)),
      f.spread(`where:${n}`),
      f.load(`where:${n}`).toFixed(1),
    ]),
  ])
  console.log(
    `extraction: the download dir holds ${mib(extraction.zips)}; go list -deps ./... writes ${mib(extraction.extractedByList)} ` +
      `of source trees, go mod download ${mib(extraction.extractedByDownload)}`,
  )
}

// ---------------------------------------------------------------------------------------------------------------

async function main() {
  const options = parseArgs(process.argv.slice(2))
  for (const [tool, args] of [
    ['go', ['version']],
    ['tar', ['--version']],
    ['zstd', ['--version']],
  ])
    await execFileAsync(tool, args).catch(() => {
      throw new Error(`${tool} is needed on PATH for this benchmark`)
    })
  const lib = {
    ...(await import(pathToFileURL(path.join(ROOT, 'src/cache/gocache-prune.ts')).href)),
    ...(await import(pathToFileURL(path.join(ROOT, 'src/cache/download-prune.ts')).href)),
    ...(await import(pathToFileURL(path.join(ROOT, 'src/cache/set-aside.ts')).href)),
  }
  const { fixtureReleases, writeRealProject } = await import(
    pathToFileURL(path.join(ROOT, 'test/fixtures/bench/real-project.mjs')).href
  )
  const fixtureDir = options.fixture.includes('/')
    ? path.resolve(options.fixture)
    : path.join(ROOT, 'test', 'fixtures', 'bench', options.fixture)
  const releases = await fixtureReleases(fixtureDir)
  const goproxy = await reachableProxy()
  const { stdout: goVersionLine } = await execFileAsync('go', ['version'])
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU'
  const work = await mkdtemp(path.join(os.tmpdir(), 'goproxy-guard-bench-cache-'))
  console.log(
    `# Cache benchmark — ${goVersionLine.trim()}; ${cpu}, ${os.cpus().length} cores, ${mib(os.totalmem())} RAM`,
  )
  console.log(
    `fixture ${options.fixture} (${releases.join(', ')}), modules through ${goproxy}, ${options.rounds} rounds, ` +
      `sections ${options.only.join(',')}; load at start ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}; work dir ${work}`,
  )
  const runner = makeRunner(path.join(work, 'runner'), goproxy)
  const ctx = {
    work,
    runner,
    lib,
    rounds: options.rounds,
    fixtureDir,
    releases,
    releaseDir: path.join(fixtureDir, releases[releases.length - 1]),
    writeRealProject,
    goproxy,
    figures: new Figures(),
    title: `${options.fixture} ${releases[releases.length - 1]}`,
  }
  const started = Date.now()
  try {
    const needLayouts = options.only.some((s) => s === 'layouts' || s === 'where' || s === 'chain')
    let seeded
    let layouts
    if (needLayouts) {
      console.log('seeding: a cold job …')
      seeded = await seed(ctx)
      ctx.goVersion = seeded.goVersion
      layouts = layoutsOf(runner)
      await makeArchives(ctx, layouts)
    }
    const section = async (name, fn) => {
      if (!options.only.includes(name)) return
      try {
        await fn()
      } catch (error) {
        process.exitCode = 1
        console.log(`\n## ${name}: FAILED — ${error.stack ?? error.message}`)
      }
    }
    await section('layouts', async () => {
      console.log('layouts …')
      await measureLayouts(ctx, layouts)
      printLayouts(ctx, layouts, seeded)
    })
    await section('where', async () => {
      console.log('where the time goes …')
      printWhere(ctx, await measureWhere(ctx, layouts))
    })
    await section('main', async () => {
      console.log('main step …')
      await rm(runner.workspace, { recursive: true, force: true })
      await mkdir(runner.project, { recursive: true })
      await writeRealProject(ctx.releaseDir, runner.project)
      printMainStep(ctx, await measureMainStep(ctx))
    })
    await section('chain', async () => {
      console.log('five releases …')
      printChain(ctx, await measureChain(ctx), seeded, layouts)
    })
    console.log(
      `\ntotal ${((Date.now() - started) / 60000).toFixed(1)} min; load at end ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    )
  } finally {
    await execFileAsync('chmod', ['-R', 'u+rwX', work]).catch(() => undefined)
    if (options.keep) console.log(`kept ${work}`)
    else await rm(work, { recursive: true, force: true })
  }
}

if (process.env[MARK] === undefined) {
  // re-run under Node 24 with the TypeScript hook
  rerunWithTypeScript({ script: SELF, mark: MARK })
} else {
  main().catch((error) => {
    console.error(`bench-cache: ${error.stack ?? error.message}`)
    process.exitCode = 1
  })
}
