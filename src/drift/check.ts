import { readFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { Diagnosis } from '../diagnose/types.js'
import type { GoRunner } from '../gocmd/runner.js'
import {
  emptyOutcome,
  mergeOutcomes,
  type CheckOutcome,
  type CheckRun,
  type DriftCheckReport,
  type GoAccess,
} from './check-run.js'
import { classifyWithoutContext, type ClassifyGoFailure } from './go-failure.js'
import { runGoSumCheck, runWorkspaceGoSumCheck } from './gosum.js'
import { discoverModules, type ModuleLayout, type WorkspaceLayout } from '../modules/layout.js'
import { replaceFindings, runReplaceCheck, useFindings, type BoundaryInput } from './replace.js'
import { findRepositoryRoot } from '../modules/repository-root.js'
import { moduleFiles, sha256 } from './snapshot.js'
import { runTidyCheck, supportsTidyDiff } from './tidy.js'
import type { Finding } from './types.js'
import { runVendorCheck } from './vendor.js'
import { runVerifyCheck } from './verify.js'
import { copyWorkspace } from './workspace-copy.js'

export interface DriftCheckOptions {
  go: GoRunner
  /** the complete environment of every go command (what the main step exports, credential-free URLs plus NETRC) */
  env: Record<string, string>
  /** absolute */
  workingDirectory: string
  /** from discoverModules; discovered here (with `modules`) when absent */
  layout?: ModuleLayout
  /** the `modules` input, used only when no layout is given */
  modules?: string[]
  /** `go env GOVERSION`, when the caller already has it; read once otherwise */
  goVersion?: string
  allowExternalReplace: boolean
  /**
   * run `go mod verify` too (default false). The main step verifies after warming the cache (DESIGN, step 7) with
   * `verifyModules`; verifying here as well would hash every cached module twice — about twice the cost of tidy -diff.
   */
  verify?: boolean
  /** boundary for replace directives; default: the nearest ancestor with .git, else the working directory */
  repositoryRoot?: string
  /** stderr → diagnoses; default: the project's classifier without the user's settings */
  classify?: ClassifyGoFailure
  /** go commands at once; default: the number of CPUs, at least 2 */
  concurrency?: number
  /** where the private go.work copy goes (RUNNER_TEMP in the action); default: the OS temp directory */
  tempDirectory?: string
  /** module directories (or the workspace directory) the build takes from vendor/: vendor/ is compared too */
  vendored?: string[]
}

/**
 * Every drift check on every module, without writing go.mod, go.sum, go.work or go.work.sum:
 * - Go ≥ 1.23: `go mod tidy -diff` per module (GOWORK=off) gives the tidy findings and go.sum completeness in one pass;
 * - Go < 1.23: a notice, and go.sum completeness from `go list -e -mod=readonly -deps -test ./...`;
 * - replace directives per module (and in go.work) against the repository boundary;
 * - `go mod verify` per module, or once for a workspace, when asked (`verify: true`);
 * - with a go.work: the workspace build's checksums through a private copy of go.work;
 * - vendor/ against `go mod vendor -o` (or `go work vendor -o`) for the modules built from it.
 * Module-level commands run in parallel (the module cache is safe for concurrent go commands); nothing runs twice over
 * the same module graph, so the whole costs about one `go mod tidy -diff`.
 */
export async function runDriftChecks(options: DriftCheckOptions): Promise<DriftCheckReport> {
  const started = performance.now()
  const access: GoAccess = { go: options.go, env: options.env }
  const classify = options.classify ?? classifyWithoutContext
  const limit = pool(options.concurrency ?? Math.max(2, os.availableParallelism()))
  const [goVersion, layout, repositoryRoot] = await Promise.all([
    options.goVersion ?? readGoVersion(access, options.workingDirectory),
    options.layout ?? discoverModules(options.workingDirectory, options.modules ?? [], access),
    options.repositoryRoot ?? findRepositoryRoot(options.workingDirectory),
  ])
  const before = await hashModuleFiles(layout)
  const outcome = emptyOutcome()
  if (layout.modules.length === 0 && layout.workspace === undefined) {
    outcome.notices.push(`No Go module found below ${options.workingDirectory}: nothing to check for drift.`)
  }
  const tidy = supportsTidyDiff(goVersion)
  if (!tidy && layout.modules.length > 0) {
    outcome.notices.push(
      `${goVersion} has no go mod tidy -diff (Go 1.23+), and the tidy check never rewrites files, so it was skipped; go.sum completeness and replace directives were checked. Use Go 1.23 or later for the full check.`,
    )
  }
  const verify = options.verify ?? false
  const workspace = layout.workspace
  const common = { ...access, classify }

  const tasks: Array<Promise<CheckOutcome>> = []
  for (const module of layout.modules) {
    const directory = path.resolve(layout.workingDirectory, module)
    if (tidy) {
      tasks.push(
        limit(async () => {
          const result = await runTidyCheck({ ...common, directory, module })
          if (!result.needsGoSumFallback) return result
          // tidy failed without telling what go.sum lacks. In a workspace the workspace check answers for the build
          // (a module that only builds inside the workspace would just fail again on its own); otherwise ask go list.
          if (workspace !== undefined) {
            return mergeOutcomes([
              result,
              skipped('go.sum', module, 'covered by the workspace check (go mod tidy failed)'),
            ])
          }
          return mergeOutcomes([result, await runGoSumCheck({ ...common, directory, module, goVersion })])
        }),
      )
    } else {
      tasks.push(Promise.resolve(skipped('tidy', module, `${goVersion} has no go mod tidy -diff`)))
      tasks.push(
        workspace === undefined
          ? limit(() => runGoSumCheck({ ...common, directory, module, goVersion }))
          : Promise.resolve(skipped('go.sum', module, 'covered by the workspace check')),
      )
    }
    tasks.push(
      limit(() =>
        runReplaceCheck({ ...common, directory, module, repositoryRoot, allowExternal: options.allowExternalReplace }),
      ),
    )
  }
  if (workspace !== undefined) {
    tasks.push(workspaceChecks(layout, workspace, { ...common, goVersion, repositoryRoot, options, limit }))
  }
  for (const module of options.vendored ?? []) {
    const directory = path.resolve(layout.workingDirectory, module)
    const tempDirectory = options.tempDirectory ?? os.tmpdir()
    if (workspace !== undefined && module === workspace.directory) {
      tasks.push(
        limit(async () => {
          const copy = await copyWorkspace(layout, workspace, options.tempDirectory)
          try {
            return await runVendorCheck({
              ...common,
              directory,
              module,
              scope: 'workspace',
              goVersion,
              tempDirectory,
              extraEnv: { GOWORK: copy.goWork },
            })
          } finally {
            await copy.remove()
          }
        }),
      )
    } else {
      tasks.push(
        limit(() => runVendorCheck({ ...common, directory, module, scope: 'module', goVersion, tempDirectory })),
      )
    }
  }
  if (verify) tasks.push(verifyModules(layout, { ...common, tempDirectory: options.tempDirectory, limit }))
  const merged = mergeOutcomes([outcome, ...(await Promise.all(tasks))])

  const changed = await changedFiles(layout, before)
  if (changed.length > 0) merged.diagnoses.push(selfWriteDiagnosis(changed))

  return {
    findings: sortFindings(merged.findings),
    diffs: merged.diffs,
    modules: layout.modules,
    notices: merged.notices,
    diagnoses: dedupeDiagnoses(merged.diagnoses),
    checks: sortChecks(merged.checks),
    durationMs: Math.round(performance.now() - started),
  }
}

interface WorkspaceContext extends GoAccess {
  classify: ClassifyGoFailure
  goVersion: string
  repositoryRoot: string
  options: DriftCheckOptions
  limit: Limiter
}

export interface VerifyModulesOptions extends GoAccess {
  classify?: ClassifyGoFailure
  tempDirectory?: string
  /** shares runDriftChecks' limit on concurrent go commands; default: the number of CPUs */
  limit?: Limiter
}

/**
 * `go mod verify` for every module (GOWORK=off), or once for a workspace (through a private go.work, like every
 * workspace-mode command here). Modified cached modules become security diagnoses; see verify.ts.
 */
export async function verifyModules(layout: ModuleLayout, options: VerifyModulesOptions): Promise<CheckOutcome> {
  const limit = options.limit ?? pool(Math.max(2, os.availableParallelism()))
  const common = { go: options.go, env: options.env, classify: options.classify ?? classifyWithoutContext }
  const workspace = layout.workspace
  if (workspace === undefined) {
    const runs = layout.modules.map((module) =>
      limit(() =>
        runVerifyCheck({
          ...common,
          directory: path.resolve(layout.workingDirectory, module),
          module,
          scope: 'module',
          file: `${prefix(module)}go.mod`,
          extraEnv: { GOWORK: 'off' },
        }),
      ),
    )
    return mergeOutcomes(await Promise.all(runs))
  }
  if (workspace.missingUses.length > 0) return emptyOutcome()
  const copy = await copyWorkspace(layout, workspace, options.tempDirectory)
  try {
    return await limit(() =>
      runVerifyCheck({
        ...common,
        directory: path.resolve(layout.workingDirectory, workspace.directory),
        module: workspace.directory,
        scope: 'workspace',
        file: workspace.file,
        extraEnv: { GOWORK: copy.goWork },
      }),
    )
  } finally {
    await copy.remove()
  }
}

async function workspaceChecks(
  layout: ModuleLayout,
  workspace: WorkspaceLayout,
  ctx: WorkspaceContext,
): Promise<CheckOutcome> {
  const goWorkDir = path.resolve(layout.workingDirectory, workspace.directory)
  const outcomes: CheckOutcome[] = []

  const started = performance.now()
  const text = await readFile(path.resolve(layout.workingDirectory, workspace.file), 'utf8')
  const boundary: BoundaryInput = {
    fileText: text,
    file: workspace.file,
    baseDirectory: goWorkDir,
    module: workspace.directory,
    repositoryRoot: ctx.repositoryRoot,
    allowExternal: ctx.options.allowExternalReplace,
  }
  const replace = await replaceFindings({ ...boundary, directives: workspace.json.Replace ?? [] })
  const externalUses = await useFindings({ ...boundary, uses: workspace.json.Use ?? [] })
  const missingUses: Finding[] = workspace.missingUses.map((m) => ({
    check: 'replace',
    module: workspace.directory,
    file: workspace.file,
    ...(m.line ? { line: m.line } : {}),
    message: `go.work uses ${m.directory}, which has no go.mod: Go refuses the workspace`,
  }))
  const findings = [...replace, ...externalUses, ...missingUses]
  outcomes.push({
    findings,
    diagnoses: [],
    diffs: [],
    notices: [],
    checks: [
      {
        check: 'replace',
        module: workspace.directory,
        scope: 'workspace',
        outcome: findings.length > 0 ? 'failed' : 'passed',
        durationMs: Math.round(performance.now() - started),
      },
    ],
  })
  if (missingUses.length > 0) return mergeOutcomes(outcomes)

  const copy = await copyWorkspace(layout, workspace, ctx.options.tempDirectory)
  try {
    const common = { go: ctx.go, env: ctx.env, classify: ctx.classify }
    outcomes.push(
      await ctx.limit(() => runWorkspaceGoSumCheck({ ...common, layout, workspace, copy, goVersion: ctx.goVersion })),
    )
  } finally {
    await copy.remove()
  }
  return mergeOutcomes(outcomes)
}

async function readGoVersion(access: GoAccess, cwd: string): Promise<string> {
  const result = await access.go.run(['env', 'GOVERSION'], { cwd, env: access.env })
  return result.exitCode === 0 ? result.stdout.trim() : 'go'
}

function skipped(check: CheckRun['check'], module: string, detail: string): CheckOutcome {
  return { ...emptyOutcome(), checks: [{ check, module, scope: 'module', outcome: 'skipped', detail, durationMs: 0 }] }
}

function prefix(module: string): string {
  return module === '.' ? '' : `${module}/`
}

export type Limiter = <T>(task: () => Promise<T>) => Promise<T>

/** At most `size` tasks at once, started in the order given. */
function pool(size: number): Limiter {
  let running = 0
  const waiting: Array<() => void> = []
  return async (task) => {
    if (running >= size) await new Promise<void>((resolve) => waiting.push(resolve))
    else running++
    try {
      return await task()
    } finally {
      // hand the slot straight to the next task, so a newcomer cannot slip in between
      const next = waiting.shift()
      if (next) next()
      else running--
    }
  }
}

async function hashModuleFiles(layout: ModuleLayout): Promise<Map<string, string | undefined>> {
  const hashes = new Map<string, string | undefined>()
  for (const file of moduleFiles(layout)) {
    try {
      hashes.set(file.path, sha256(await readFile(path.resolve(layout.workingDirectory, file.path))))
    } catch {
      hashes.set(file.path, undefined)
    }
  }
  return hashes
}

async function changedFiles(layout: ModuleLayout, before: Map<string, string | undefined>): Promise<string[]> {
  const after = await hashModuleFiles(layout)
  return [...before].filter(([file, hash]) => after.get(file) !== hash).map(([file]) => file)
}

/** Should never happen: every command here is read-only. If a Go release changes that, say so loudly. */
function selfWriteDiagnosis(files: string[]): Diagnosis {
  return {
    code: 'drift-check-wrote-module-file',
    kind: 'drift',
    severity: 'error',
    title: `A module file changed while the drift checks ran: ${files.join(', ')}`,
    detail:
      'The drift checks only read these files. Either another process changed them at the same time, or this Go version writes where earlier ones did not.',
    fix: 'Make sure nothing else runs in the working directory during this step; if it persists, report it to goproxy-guard with the Go version.',
  }
}

/** The order checks are reported in: the files first, then what they point at, then the cache. */
const CHECK_ORDER: Record<Finding['check'], number> = {
  tidy: 0,
  'go.sum': 1,
  replace: 2,
  vendor: 3,
  verify: 4,
  'post-step': 5,
}

function sortFindings(findings: Finding[]): Finding[] {
  const order = CHECK_ORDER
  return [...findings].sort(
    (a, b) =>
      compare(a.module, b.module) ||
      compare(a.file, b.file) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      order[a.check] - order[b.check] ||
      compare(a.message, b.message),
  )
}

function sortChecks(checks: CheckRun[]): CheckRun[] {
  const order = CHECK_ORDER
  return [...checks].sort(
    (a, b) => compare(a.scope, b.scope) || compare(a.module, b.module) || order[a.check] - order[b.check],
  )
}

function compare(a: string, b: string): number {
  return a === b ? 0 : a < b ? -1 : 1
}

function dedupeDiagnoses(diagnoses: Diagnosis[]): Diagnosis[] {
  const seen = new Set<string>()
  return diagnoses.filter((d) => {
    const key = `${d.code}\u0000${d.url ?? ''}\u0000${d.module ?? ''}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}
