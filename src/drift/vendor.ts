import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import path from 'node:path'
import type { Diagnosis } from '../diagnose/types.js'
import { compareGoVersions } from '../modules/go-version.js'
import { joinPosix } from '../modules/repository-root.js'
import { checkRun, type CheckOutcome, type GoAccess } from './check-run.js'
import { blockingDiagnoses, goErrorText, type ClassifyGoFailure } from './go-failure.js'
import { unifiedDiff } from './make-diff.js'
import type { FileDiff, Finding } from './types.js'

/** Beyond this many differing files, one finding stands for the rest: a stale vendor/ can differ everywhere. */
const MAX_FILE_FINDINGS = 20

export interface VendorCheckInput extends GoAccess {
  /** absolute: the module's directory, or go.work's for a workspace */
  directory: string
  /** relative to the working directory */
  module: string
  scope: 'module' | 'workspace'
  goVersion: string
  classify: ClassifyGoFailure
  /** where the expected tree is written (never vendor/ itself) */
  tempDirectory: string
  /** extra environment, e.g. GOWORK (a private copy of go.work) */
  extraEnv?: Record<string, string>
}

/**
 * vendor/ against what Go would write: `go mod vendor -o` (Go 1.18+), or `go work vendor -o` for a workspace (Go
 * 1.22+), into a directory of our own, then the two trees and modules.txt compared file by file. An edited, missing
 * or extra vendored file and a stale modules.txt are findings; vendor/ is only read.
 */
export async function runVendorCheck(input: VendorCheckInput): Promise<CheckOutcome> {
  const workspace = input.scope === 'workspace'
  const minimum = workspace ? '1.22' : '1.18'
  if ((compareGoVersions(input.goVersion, minimum) ?? 1) < 0) {
    return {
      findings: [],
      diffs: [],
      diagnoses: [],
      notices: [
        `${input.goVersion} cannot write vendor/ elsewhere (go ${workspace ? 'work' : 'mod'} vendor -o needs Go ${minimum}), so vendor/ in ${input.module} was not compared; use Go ${minimum} or later for the check.`,
      ],
      checks: [
        {
          check: 'vendor',
          module: input.module,
          scope: input.scope,
          outcome: 'skipped',
          detail: `needs Go ${minimum}`,
          durationMs: 0,
        },
      ],
    }
  }
  const scratch = await mkdtemp(path.join(input.tempDirectory, 'vendor-'))
  const expected = path.join(scratch, 'vendor')
  try {
    const result = await input.go.run([workspace ? 'work' : 'mod', 'vendor', '-o', expected], {
      cwd: input.directory,
      env: { ...input.env, ...(workspace ? {} : { GOWORK: 'off' }), ...input.extraEnv },
    })
    let findings: Finding[] = []
    let diffs: FileDiff[] = []
    let diagnoses: Diagnosis[] = []
    if (result.exitCode !== 0) {
      diagnoses = blockingDiagnoses(input.classify, result.stderr)
      if (diagnoses.length === 0) {
        findings = [
          {
            check: 'vendor',
            module: input.module,
            file: joinPosix(input.module, workspace ? 'go.work' : 'go.mod'),
            message: `go ${workspace ? 'work' : 'mod'} vendor failed, so vendor/ cannot be compared: ${goErrorText(result.stderr) || `exit code ${result.exitCode}`}`,
          },
        ]
      }
    } else {
      ;({ findings, diffs } = await compareVendorTrees(path.join(input.directory, 'vendor'), expected, input.module))
    }
    return {
      findings,
      diffs,
      diagnoses,
      notices: [],
      checks: [checkRun('vendor', input.module, input.scope, { findings, diagnoses }, result.durationMs)],
    }
  } finally {
    await rm(scratch, { recursive: true, force: true, maxRetries: 3 })
  }
}

/** The findings for `actual` (the user's vendor/) against `expected` (what Go writes), files named from the module. */
export async function compareVendorTrees(
  actual: string,
  expected: string,
  module: string,
): Promise<{ findings: Finding[]; diffs: FileDiff[] }> {
  const [have, want] = await Promise.all([listTree(actual), listTree(expected)])
  const findings: Finding[] = []
  const diffs: FileDiff[] = []
  const name = (file: string): string => joinPosix(module, `vendor/${file}`)
  const differing: Finding[] = []
  for (const file of [...new Set([...have, ...want])].sort()) {
    const inHave = have.has(file)
    const inWant = want.has(file)
    if (file === 'modules.txt') {
      const before = inHave ? await readFile(path.join(actual, file), 'utf8') : ''
      const after = inWant ? await readFile(path.join(expected, file), 'utf8') : ''
      if (before === after) continue
      const diff = unifiedDiff(`a/${name(file)}`, `b/${name(file)}`, before, after)
      findings.push({
        check: 'vendor',
        module,
        file: name(file),
        ...(diff.firstNewLine === undefined ? {} : { line: diff.firstNewLine }),
        message: `${name(file)} is stale: it does not list what go.mod requires (run go mod vendor and commit vendor/)`,
      })
      if (diff.text !== '') diffs.push({ file: name(file), diff: diff.text })
      continue
    }
    if (!inWant) {
      differing.push({
        check: 'vendor',
        module,
        file: name(file),
        message: `${name(file)} is not a file go mod vendor writes: remove it, or change go.mod so the module that provides it is vendored`,
      })
    } else if (!inHave) {
      differing.push({ check: 'vendor', module, file: name(file), message: `${name(file)} is missing from vendor/` })
    } else {
      const [a, b] = await Promise.all([readFile(path.join(actual, file)), readFile(path.join(expected, file))])
      if (!a.equals(b)) {
        differing.push({
          check: 'vendor',
          module,
          file: name(file),
          message: `${name(file)} was edited: it differs from the module's own copy`,
        })
      }
    }
  }
  findings.push(...differing.slice(0, MAX_FILE_FINDINGS))
  if (differing.length > MAX_FILE_FINDINGS) {
    findings.push({
      check: 'vendor',
      module,
      file: joinPosix(module, 'vendor'),
      message: `${differing.length - MAX_FILE_FINDINGS} more files in ${joinPosix(module, 'vendor')} differ from what go mod vendor writes`,
    })
  }
  return { findings, diffs }
}

/** Every regular file below `dir`, relative with forward slashes; an absent dir is empty. */
async function listTree(dir: string): Promise<Set<string>> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true })
    return new Set(
      entries
        .filter((e) => e.isFile() || e.isSymbolicLink())
        .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/')),
    )
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Set()
    throw error
  }
}
