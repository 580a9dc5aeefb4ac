import { readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { createGoRunner, type GoAccess } from '../gocmd/runner.js'
import { InputError } from '../settings/errors.js'
import { useLine } from './mod-file.js'
import { findRepositoryRoot, isInside, joinPosix, relativePosix } from './repository-root.js'

/** What `go work edit -json` prints. */
export interface GoWorkJson {
  Go?: string
  Toolchain?: string
  Godebug?: Array<{ Key: string; Value: string }> | null
  Use?: Array<{ DiskPath: string; ModulePath?: string }> | null
  Replace?: Array<{ Old: { Path: string; Version?: string }; New: { Path: string; Version?: string } }> | null
}

export interface WorkspaceLayout {
  /** go.work, relative to the working directory, forward slashes */
  file: string
  /** go.work.sum beside it (it may not exist) */
  sumFile: string
  /** the directory of go.work relative to the working directory (`.` when they are the same) */
  directory: string
  json: GoWorkJson
  /** `use` directories without a go.mod: Go refuses such a workspace */
  missingUses: Array<{ directory: string; line?: number }>
}

export interface ModuleLayout {
  /** absolute */
  workingDirectory: string
  /** module directories relative to the working directory, forward slashes, `.` for the root module; sorted */
  modules: string[]
  workspace?: WorkspaceLayout
}

export class ModuleLayoutError extends Error {
  override readonly name = 'ModuleLayoutError'
}

const SKIPPED_DIRECTORIES = new Set(['vendor', 'testdata', 'node_modules'])

/**
 * The Go modules to check. `explicit` (the `modules` input, relative to the working directory) wins; otherwise every
 * go.mod below the working directory outside vendor/, testdata/, node_modules/ and dot-directories. A go.work is
 * honoured as Go finds it — GOWORK from `access.env` (`off` disables it), else the nearest go.work from the working
 * directory up to the repository root — and without an explicit list its `use` directories are the modules.
 */
export async function discoverModules(
  workingDirectory: string,
  explicit: string[],
  access: GoAccess = { go: createGoRunner(), env: inheritedEnv() },
): Promise<ModuleLayout> {
  const root = path.resolve(workingDirectory)
  const workspace = await findWorkspace(root, access)
  let modules: string[]
  if (explicit.length > 0) modules = await explicitModules(root, explicit)
  else if (workspace !== undefined) {
    const goWorkDir = path.resolve(root, workspace.directory)
    const uses = (workspace.json.Use ?? []).map((u) => relativePosix(root, path.resolve(goWorkDir, u.DiskPath)))
    const missing = new Set(workspace.missingUses.map((m) => m.directory))
    modules = uses.filter((dir) => !missing.has(dir))
  } else modules = await walkForModules(root)
  return { workingDirectory: root, modules: sortModules(modules), ...(workspace ? { workspace } : {}) }
}

export function sortModules(modules: string[]): string[] {
  const unique = [...new Set(modules)]
  return unique.sort((a, b) => (a === b ? 0 : a === '.' ? -1 : b === '.' ? 1 : a < b ? -1 : 1))
}

async function explicitModules(root: string, explicit: string[]): Promise<string[]> {
  const modules: string[] = []
  for (const entry of explicit.map((e) => e.trim()).filter((e) => e !== '')) {
    const dir = path.resolve(root, entry)
    if (!(await isFile(path.join(dir, 'go.mod')))) {
      throw new InputError(
        'modules',
        `${entry} has no go.mod (looked for ${path.join(dir, 'go.mod')}). List module directories relative to working-directory, or leave modules empty to find them.`,
      )
    }
    modules.push(relativePosix(root, dir))
  }
  return modules
}

async function walkForModules(root: string): Promise<string[]> {
  const found: string[] = []
  const visit = async (dir: string): Promise<void> => {
    let entries
    try {
      entries = await readdir(dir, { withFileTypes: true })
    } catch {
      return
    }
    if (entries.some((e) => e.name === 'go.mod' && e.isFile())) found.push(relativePosix(root, dir))
    // symbolic links are not followed: they could loop, and Go does not follow them for ./... either
    const subdirectories = entries.filter(
      (e) => e.isDirectory() && !e.name.startsWith('.') && !SKIPPED_DIRECTORIES.has(e.name),
    )
    await Promise.all(subdirectories.map((e) => visit(path.join(dir, e.name))))
  }
  await visit(root)
  return found
}

async function findWorkspace(root: string, access: GoAccess): Promise<WorkspaceLayout | undefined> {
  const gowork = access.env['GOWORK'] ?? ''
  let file: string | undefined
  if (gowork === 'off') return undefined
  if (gowork !== '') file = path.resolve(root, gowork)
  else {
    const top = await findRepositoryRoot(root)
    for (let dir = root; ; dir = path.dirname(dir)) {
      if (await isFile(path.join(dir, 'go.work'))) {
        file = path.join(dir, 'go.work')
        break
      }
      if (dir === top || path.dirname(dir) === dir || !isInside(top, dir)) break
    }
  }
  if (file === undefined) return undefined
  const goWorkDir = path.dirname(file)
  const result = await access.go.run(['work', 'edit', '-json', file], { cwd: goWorkDir, env: access.env })
  if (result.exitCode !== 0) {
    throw new ModuleLayoutError(
      `${file} cannot be read by the go command: ${result.stderr.trim() || `exit code ${result.exitCode}`}`,
    )
  }
  const json = JSON.parse(result.stdout) as GoWorkJson
  const text = await readFile(file, 'utf8')
  const missingUses: WorkspaceLayout['missingUses'] = []
  for (const use of json.Use ?? []) {
    if (await isFile(path.join(path.resolve(goWorkDir, use.DiskPath), 'go.mod'))) continue
    const line = useLine(text, use.DiskPath)
    missingUses.push({
      directory: relativePosix(root, path.resolve(goWorkDir, use.DiskPath)),
      ...(line ? { line } : {}),
    })
  }
  const directory = relativePosix(root, goWorkDir)
  const base = path.basename(file)
  return {
    file: joinPosix(directory, base),
    sumFile: joinPosix(directory, `${base}.sum`),
    directory,
    json,
    missingUses,
  }
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile()
  } catch {
    return false
  }
}

function inheritedEnv(): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v
  return env
}
