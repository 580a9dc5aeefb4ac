import { readFile, realpath, stat } from 'node:fs/promises'
import path from 'node:path'
import type { Diagnosis } from '../diagnose/types.js'
import { checkRun, type CheckOutcome, type GoAccess } from './check-run.js'
import { blockingDiagnoses, goErrorText, type ClassifyGoFailure } from './go-failure.js'
import { replaceLine, useLine } from '../modules/mod-file.js'
import { isInside, joinPosix } from '../modules/repository-root.js'
import type { Finding } from './types.js'

/*
 * Policy: a `replace` to a local directory must stay inside the repository — the checkout that CI has (the nearest
 * ancestor with .git; the working directory when there is none) — because anything outside it is not under review and
 * may not exist on another runner. A symbolic link that leads out of the repository counts as outside. A directory that
 * does not exist, or holds no go.mod, is always a finding: Go cannot build with it, whatever the policy.
 * `allow-external-replace: true` allows existing directories outside the repository. The same goes for the `use`
 * directories of go.work (useFindings).
 */

export interface ReplaceDirective {
  Old: { Path: string; Version?: string }
  New: { Path: string; Version?: string }
}

/** Where a go.mod's or go.work's directives are judged: the file, its directory and the repository's boundary. */
export interface BoundaryInput {
  /** the text of the file that holds the directives (go.mod or go.work), for line numbers */
  fileText: string
  /** that file relative to the working directory */
  file: string
  /** absolute directory that relative paths in it are resolved against (the file's own) */
  baseDirectory: string
  module: string
  /** absolute */
  repositoryRoot: string
  allowExternal: boolean
}

export interface ReplaceCheckInput extends BoundaryInput {
  directives: ReplaceDirective[]
}

/** A replacement is a directory when it has no version (Go requires `./`, `../` or an absolute path for those). */
export function isDirectoryReplacement(r: ReplaceDirective): boolean {
  return r.New.Version === undefined || r.New.Version === ''
}

export async function replaceFindings(input: ReplaceCheckInput): Promise<Finding[]> {
  const findings: Finding[] = []
  const root = await resolveReal(input.repositoryRoot)
  for (const r of input.directives) {
    if (!isDirectoryReplacement(r)) continue
    const line = replaceLine(input.fileText, r.Old.Path, r.Old.Version || undefined)
    const base = { check: 'replace' as const, module: input.module, file: input.file, ...(line ? { line } : {}) }
    const what = `replace ${r.Old.Path}${r.Old.Version ? ` ${r.Old.Version}` : ''} => ${r.New.Path}`
    const target = path.resolve(input.baseDirectory, r.New.Path)
    const real = await resolveReal(target)
    const outside = !isInside(root, real)
    if (!(await isDirectory(real))) {
      findings.push({ ...base, message: `${what}: the directory does not exist` })
    } else if (!(await isFile(path.join(real, 'go.mod')))) {
      findings.push({ ...base, message: `${what}: the directory has no go.mod` })
    } else if (outside && !input.allowExternal) {
      findings.push({
        ...base,
        message: `${what} points outside the repository: CI would build with code that is not part of the checkout. Move the code into the repository, require a published version, or set allow-external-replace: true`,
      })
    }
  }
  return findings
}

export interface UseCheckInput extends BoundaryInput {
  /** the `use` directives of go.work, as `go work edit -json` prints them */
  uses: Array<{ DiskPath: string }>
}

/**
 * The same policy for go.work's `use` directories: a module the workspace builds from outside the repository is not
 * under review either. A `use` without a go.mod is reported by the layout (Go refuses such a workspace), not here.
 */
export async function useFindings(input: UseCheckInput): Promise<Finding[]> {
  if (input.allowExternal) return []
  const findings: Finding[] = []
  const root = await resolveReal(input.repositoryRoot)
  for (const use of input.uses) {
    const real = await resolveReal(path.resolve(input.baseDirectory, use.DiskPath))
    if (isInside(root, real) || !(await isFile(path.join(real, 'go.mod')))) continue
    const line = useLine(input.fileText, use.DiskPath)
    findings.push({
      check: 'replace',
      module: input.module,
      file: input.file,
      ...(line ? { line } : {}),
      message: `go.work uses ${use.DiskPath}, which is outside the repository: CI would build with code that is not part of the checkout. Move the module into the repository, or set allow-external-replace: true`,
    })
  }
  return findings
}

export interface ModuleReplaceInput extends GoAccess {
  /** absolute module directory */
  directory: string
  module: string
  repositoryRoot: string
  allowExternal: boolean
  classify: ClassifyGoFailure
}

/** The replace check of one module: `go mod edit -json` (reads go.mod, writes nothing) for the directives. */
export async function runReplaceCheck(input: ModuleReplaceInput): Promise<CheckOutcome> {
  const file = joinPosix(input.module, 'go.mod')
  const started = performance.now()
  const fileText = await readFile(path.join(input.directory, 'go.mod'), 'utf8')
  let findings: Finding[] = []
  let diagnoses: Diagnosis[] = []
  // no replace directive, nothing to ask go about (line by line: `(^|\n)\s*replace` rescans every blank run)
  if (fileText.split('\n').some((line) => /^\s*replace\b/.test(line))) {
    const result = await input.go.run(['mod', 'edit', '-json'], {
      cwd: input.directory,
      env: { ...input.env, GOWORK: 'off' },
    })
    if (result.exitCode !== 0) {
      diagnoses = blockingDiagnoses(input.classify, result.stderr)
      if (diagnoses.length === 0) {
        findings = [
          {
            check: 'replace',
            module: input.module,
            file,
            message: `go mod edit -json failed: ${goErrorText(result.stderr)}`,
          },
        ]
      }
    } else {
      const json = JSON.parse(result.stdout) as { Replace?: ReplaceDirective[] | null }
      findings = await replaceFindings({
        directives: json.Replace ?? [],
        fileText,
        file,
        baseDirectory: input.directory,
        module: input.module,
        repositoryRoot: input.repositoryRoot,
        allowExternal: input.allowExternal,
      })
    }
  }
  const durationMs = Math.round(performance.now() - started)
  return {
    findings,
    diagnoses,
    diffs: [],
    notices: [],
    checks: [checkRun('replace', input.module, 'module', { findings, diagnoses }, durationMs)],
  }
}

async function resolveReal(target: string): Promise<string> {
  try {
    return await realpath(target)
  } catch {
    return target
  }
}

async function isDirectory(target: string): Promise<boolean> {
  try {
    return (await stat(target)).isDirectory()
  } catch {
    return false
  }
}

async function isFile(target: string): Promise<boolean> {
  try {
    return (await stat(target)).isFile()
  } catch {
    return false
  }
}
