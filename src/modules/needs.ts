import { access, readFile } from 'node:fs/promises'
import path from 'node:path'
import { matchPrefixPatterns } from '../settings/patterns.js'
import type { PatternSetting, ProxyEntry } from '../settings/types.js'
import { escapeModulePath } from './escape.js'
import { emptyGoSum, readGoSum } from './go-sum.js'
import type { ModuleLayout } from './layout.js'
import { directiveValue, parseReplacements, parseRequirements } from './mod-file.js'
import { joinPosix } from './repository-root.js'
import { toolchainSwitch } from './toolchain.js'
import { usesVendor } from './vendor-mode.js'

/** A file of a module version in the download cache: the zip (with its .ziphash), the go.mod, the .info. */
export type CacheFile = 'zip' | 'mod' | 'info'

/** How Go fetches a module: through GOPROXY, from its VCS (GONOPROXY / GOPRIVATE, or GOPROXY=direct), or not at all. */
export type FetchRoute = 'proxy' | 'direct' | 'off'

export interface ModuleNeed {
  path: string
  version: string
  /** the files this job reads that the module cache lacks */
  missing: CacheFile[]
  route: FetchRoute
}

export interface JobNeeds {
  /** module versions this job's go commands read (its own and the build's) */
  moduleVersions: number
  /** those the module cache cannot serve in full: what the job needs from the network */
  missing: ModuleNeed[]
  /**
   * module versions (`path@version`) the checksum database must vouch for: their go.sum line is missing, they are not
   * in GONOSUMDB / GOPRIVATE, and a command of the job adds it (`go mod download`, `go mod tidy`)
   */
  unsummed: string[]
  /** a toolchain Go downloads (golang.org/toolchain, always checked against the database) before it can run */
  toolchain?: { name: string; cached: boolean }
  /** module directories (or the workspace directory) built from vendor/ */
  vendored: string[]
  /** files that could not be read: the drift check reports them; the assessment goes on without them */
  unreadable: string[]
}

export interface NeedsInput {
  layout: ModuleLayout
  /** `go env` values, as Go resolves them for the job */
  goEnv: {
    GOMODCACHE: string
    GOFLAGS: string
    GOVERSION: string
    GOTOOLCHAIN: string
    GOHOSTOS: string
    GOHOSTARCH: string
  }
  /** the effective GOPROXY (Go's default when empty) */
  goproxy: readonly ProxyEntry[]
  gosumdbOff: boolean
  patterns: { goprivate?: PatternSetting; gonoproxy?: PatternSetting; gonosumdb?: PatternSetting }
  /** what the job runs itself: `go mod download` (needs .info too), the drift checks (go mod tidy, go mod vendor -o) */
  runs: { download: boolean; checkDrift: boolean }
}

/**
 * What this job needs from the network, read offline from go.mod, go.sum, `go env` and the module cache directory:
 * no go command, no request, no write. A module version counts when the job's own commands or its build read it:
 * every requirement of go.mod (zip and go.mod; what `go mod download` fetches, plus its .info), and every version
 * go.sum holds a line for (the zips and go.mod files `go mod tidy` loads). A module built from vendor/ needs nothing
 * for its build, but the drift check (`go mod vendor -o`, `go mod tidy -diff`) still reads its modules.
 */
export async function assessNeeds(input: NeedsInput): Promise<JobNeeds> {
  const { layout } = input
  const wanted = new Map<string, Set<CacheFile>>()
  const unsummed = new Set<string>()
  const vendored: string[] = []
  const unreadable: string[] = []
  let toolchain: JobNeeds['toolchain']
  const want = (key: string, files: CacheFile[]): void => {
    const set = wanted.get(key) ?? new Set<CacheFile>()
    for (const f of files) set.add(f)
    wanted.set(key, set)
  }
  const vouches = (modulePath: string): boolean =>
    !input.gosumdbOff && !matches(input.patterns.gonosumdb ?? input.patterns.goprivate, modulePath)

  const workspace = layout.workspace
  const workspaceModules = new Set((workspace?.json.Use ?? []).flatMap((u) => (u.ModulePath ? [u.ModulePath] : [])))
  if (workspace !== undefined) {
    const goWork = await readText(path.resolve(layout.workingDirectory, workspace.file), () =>
      unreadable.push(workspace.file),
    )
    const directory = path.resolve(layout.workingDirectory, workspace.directory)
    const goLine = goWork === undefined ? undefined : directiveValue(goWork, 'go')
    if (await usesVendor({ directory, goLine, goflags: input.goEnv.GOFLAGS, workspace: true })) {
      vendored.push(workspace.directory)
      if (!input.runs.checkDrift) return finish()
    }
  }

  for (const module of layout.modules) {
    const directory = path.resolve(layout.workingDirectory, module)
    const goModFile = joinPosix(module, 'go.mod')
    const goMod = await readText(path.join(directory, 'go.mod'), () => unreadable.push(goModFile))
    if (goMod === undefined) continue
    const goLine = directiveValue(goMod, 'go')
    if (
      workspace === undefined &&
      (await usesVendor({ directory, goLine, goflags: input.goEnv.GOFLAGS, workspace: false }))
    ) {
      vendored.push(module)
      if (!input.runs.checkDrift) continue
    }
    const switched = toolchainSwitch(
      input.goEnv.GOTOOLCHAIN,
      input.goEnv.GOVERSION,
      goLine,
      directiveValue(goMod, 'toolchain'),
    )
    if (switched?.download && toolchain === undefined) {
      const version = `v0.0.1-${switched.toolchain}.${input.goEnv.GOHOSTOS}-${input.goEnv.GOHOSTARCH}`
      toolchain = { name: switched.toolchain, cached: await cached(input, 'golang.org/toolchain', version, 'zip') }
    }

    const sums = emptyGoSum()
    const goSumText = await readText(path.join(directory, 'go.sum'), () => unreadable.push(joinPosix(module, 'go.sum')))
    if (goSumText !== undefined) readGoSum(goSumText, sums)
    const replaced = replacementsOf(goMod)
    const zipFiles: CacheFile[] = input.runs.download ? ['zip', 'mod', 'info'] : ['zip', 'mod']
    for (const r of parseRequirements(goMod)) {
      const target = replaced(r.path, r.version)
      // a directory replaces it, or the workspace builds it from its own directory: nothing to fetch
      if (target === undefined || workspaceModules.has(r.path)) continue
      want(target, zipFiles)
      if (!sums.zips.has(target) || !sums.mods.has(target)) if (vouches(pathOf(target))) unsummed.add(target)
    }
    for (const key of sums.zips) want(key, ['zip', 'mod'])
    for (const key of sums.mods) want(key, ['mod'])
  }
  return finish()

  async function finish(): Promise<JobNeeds> {
    const missing: ModuleNeed[] = []
    await Promise.all(
      [...wanted].map(async ([key, files]) => {
        const modulePath = pathOf(key)
        const version = key.slice(modulePath.length + 1)
        const lacking: CacheFile[] = []
        for (const file of files) if (!(await cached(input, modulePath, version, file))) lacking.push(file)
        if (lacking.length > 0)
          missing.push({ path: modulePath, version, missing: lacking, route: routeOf(input, modulePath) })
      }),
    )
    missing.sort((a, b) => compareText(`${a.path}@${a.version}`, `${b.path}@${b.version}`))
    return {
      moduleVersions: wanted.size,
      missing,
      unsummed: input.runs.download || input.runs.checkDrift ? [...unsummed].sort(compareText) : [],
      ...(toolchain ? { toolchain } : {}),
      vendored,
      unreadable,
    }
  }
}

/** Which route a module takes: GONOPROXY (GOPRIVATE by default) goes direct whatever GOPROXY says, even `off`. */
function routeOf(input: NeedsInput, modulePath: string): FetchRoute {
  if (matches(input.patterns.gonoproxy ?? input.patterns.goprivate, modulePath)) return 'direct'
  const first = input.goproxy[0]
  if (first === undefined) return 'proxy'
  if (first.kind === 'off') return 'off'
  if (first.kind === 'direct') return 'direct'
  return 'proxy'
}

/** `path@version` after the go.mod's replace directives; undefined when a directory replaces it (nothing to fetch). */
function replacementsOf(goMod: string): (modulePath: string, version: string) => string | undefined {
  const replacements = parseReplacements(goMod)
  return (modulePath, version) => {
    const r =
      replacements.find((x) => x.oldPath === modulePath && x.oldVersion === version) ??
      replacements.find((x) => x.oldPath === modulePath && x.oldVersion === undefined)
    if (r === undefined) return `${modulePath}@${version}`
    return r.newVersion === undefined ? undefined : `${r.newPath}@${r.newVersion}`
  }
}

/** Of `missing`, what the module cache still lacks now (a command may have fetched some meanwhile). */
export async function stillMissing(gomodcache: string, missing: ModuleNeed[]): Promise<ModuleNeed[]> {
  const now: ModuleNeed[] = []
  for (const need of missing) {
    const lacking: CacheFile[] = []
    for (const file of need.missing)
      if (!(await cachedIn(gomodcache, need.path, need.version, file))) lacking.push(file)
    if (lacking.length > 0) now.push({ ...need, missing: lacking })
  }
  return now
}

const EXTENSIONS: Record<CacheFile, string[]> = { zip: ['.zip', '.ziphash'], mod: ['.mod'], info: ['.info'] }

function cached(input: NeedsInput, modulePath: string, version: string, file: CacheFile): Promise<boolean> {
  return cachedIn(input.goEnv.GOMODCACHE, modulePath, version, file)
}

async function cachedIn(gomodcache: string, modulePath: string, version: string, file: CacheFile): Promise<boolean> {
  const base = path.join(
    gomodcache,
    'cache',
    'download',
    ...escapeModulePath(modulePath).split('/'),
    '@v',
    escapeModulePath(version),
  )
  for (const extension of EXTENSIONS[file]) {
    try {
      await access(base + extension)
    } catch {
      return false
    }
  }
  return true
}

function matches(patterns: PatternSetting | undefined, modulePath: string): boolean {
  return patterns !== undefined && matchPrefixPatterns(patterns.patterns, modulePath)
}

function pathOf(key: string): string {
  return key.slice(0, key.lastIndexOf('@'))
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** The file's text; undefined when it does not exist, or (after `unreadable`) when it cannot be read. */
async function readText(file: string, unreadable: () => void): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') unreadable()
    return undefined
  }
}
