import path from 'node:path'
import { goMinorVersion } from '../gocmd/goenv.js'
import type { Diagnosis } from '../diagnose/types.js'
import { checkRun, type CheckOutcome, type GoAccess } from './check-run.js'
import { blockingDiagnoses, type ClassifyGoFailure } from './go-failure.js'
import type { ModuleLayout, WorkspaceLayout } from '../modules/layout.js'
import { joinPosix } from '../modules/repository-root.js'
import type { Finding } from './types.js'
import { addedSumLines, type WorkspaceCopy } from './workspace-copy.js'

/*
 * go.sum completeness without a write and without a silent download. `go mod tidy -diff` answers it when it runs (the
 * go.sum lines it would add); this is the way for Go < 1.23, for a module tidy cannot load, and for a workspace.
 *
 * `go list -e -mod=readonly -deps -test ./...` loads exactly what building and testing the module's packages loads, and
 * with -mod=readonly (given on the command line, so GOFLAGS=-mod=mod cannot undo it) it reports every missing checksum
 * as a package error instead of adding it; -e keeps going so one run lists them all. `go mod verify` cannot answer:
 * it compares the module cache with itself, never with go.sum. `go mod download` writes go.sum (seen with Go 1.26).
 */

export interface GoSumListInput extends GoAccess {
  /** absolute module directory */
  directory: string
  /** module directory relative to the working directory */
  module: string
  goVersion: string
  classify: ClassifyGoFailure
}

export async function runGoSumCheck(input: GoSumListInput): Promise<CheckOutcome> {
  const result = await input.go.run(
    ['list', '-e', '-mod=readonly', jsonFlag(input.goVersion), '-deps', '-test', './...'],
    {
      cwd: input.directory,
      env: { ...input.env, GOWORK: 'off' },
    },
  )
  const { findings, diagnoses } = interpretGoList(result.stdout, result.stderr, result.exitCode, {
    module: input.module,
    goMod: joinPosix(input.module, 'go.mod'),
    goSum: joinPosix(input.module, 'go.sum'),
    classify: input.classify,
  })
  return {
    findings,
    diagnoses,
    diffs: [],
    notices: [],
    checks: [checkRun('go.sum', input.module, 'module', { findings, diagnoses }, result.durationMs)],
  }
}

export interface WorkspaceGoSumInput extends GoAccess {
  layout: ModuleLayout
  workspace: WorkspaceLayout
  copy: WorkspaceCopy
  goVersion: string
  classify: ClassifyGoFailure
}

/** The workspace build: `go list` in workspace mode on a private go.work, then what Go added to the copy's go.work.sum. */
export async function runWorkspaceGoSumCheck(input: WorkspaceGoSumInput): Promise<CheckOutcome> {
  const { workspace } = input
  const goWorkDir = path.resolve(input.layout.workingDirectory, workspace.directory)
  // the workspace modules' own packages and tests; `all` with -test would add the tests of every dependency
  const patterns = (workspace.json.Use ?? []).map((u) => packagesBelow(u.DiskPath))
  const args = ['list', '-e', '-mod=readonly', jsonFlag(input.goVersion), '-deps', '-test', ...patterns]
  const result = await input.go.run(args, {
    cwd: goWorkDir,
    env: { ...input.env, GOWORK: input.copy.goWork },
  })
  const interpreted = interpretGoList(result.stdout, result.stderr, result.exitCode, {
    module: workspace.directory,
    goMod: workspace.file,
    goSum: workspace.sumFile,
    classify: input.classify,
  })
  const findings = [...interpreted.findings]
  for (const entry of await addedSumLines(input.copy)) {
    findings.push({
      check: 'go.sum',
      module: workspace.directory,
      file: workspace.sumFile,
      message: `neither the workspace modules' go.sum files nor ${workspace.sumFile} hold ${entry}`,
    })
  }
  const { diagnoses } = interpreted
  return {
    findings,
    diagnoses,
    diffs: [],
    notices: [],
    checks: [checkRun('go.sum', workspace.directory, 'workspace', { findings, diagnoses }, result.durationMs)],
  }
}

function packagesBelow(diskPath: string): string {
  const dir = diskPath.replace(/\\/g, '/')
  return path.posix.isAbsolute(dir) || /^[A-Za-z]:\//.test(dir) ? `${dir}/...` : `./${path.posix.join(dir, '...')}`
}

/** `-json=fields` (Go 1.19+) keeps the output small: only the errors matter here. */
function jsonFlag(goVersion: string): string {
  const [major, minor] = goMinorVersion(goVersion)
  return major > 1 || (major === 1 && minor >= 19) ? '-json=ImportPath,Error,DepsErrors' : '-json'
}

interface Place {
  module: string
  goMod: string
  goSum: string
  classify: ClassifyGoFailure
}

/** Findings and diagnoses from `go list -e -json` output. Package errors that are not about module files are not drift. */
export function interpretGoList(
  stdout: string,
  stderr: string,
  exitCode: number,
  place: Place,
): { findings: Finding[]; diagnoses: Diagnosis[] } {
  const errors = new Set<string>()
  for (const value of parseJsonStream(stdout)) {
    const pkg = value as { Error?: { Err?: string }; DepsErrors?: Array<{ Err?: string }> }
    if (pkg.Error?.Err) errors.add(pkg.Error.Err)
    for (const e of pkg.DepsErrors ?? []) if (e.Err) errors.add(e.Err)
  }
  // with -e a failure to load the module graph still ends the command, on stderr
  if (exitCode !== 0 && stderr.trim() !== '') errors.add(stderr)

  const findings: Finding[] = []
  const diagnoses: Diagnosis[] = []
  const messages = new Set<string>()
  for (const error of errors) {
    const blocking = blockingDiagnoses(place.classify, error)
    if (blocking.length > 0) {
      for (const d of blocking) if (!diagnoses.some((x) => x.code === d.code && x.url === d.url)) diagnoses.push(d)
      continue
    }
    const finding = moduleFileFinding(error, place)
    if (finding !== undefined && !messages.has(finding.message)) {
      messages.add(finding.message)
      findings.push(finding)
    }
  }
  return { findings, diagnoses }
}

const MODULE_FILE_ERRORS: Array<{ pattern: RegExp; file: 'goMod' | 'goSum'; message: (m: RegExpExecArray) => string }> =
  [
    {
      // from the start of a word only, so a long word is not rescanned from each of its characters
      pattern: /(?<!\S)([^\s@]+)@(\S+?): missing go\.sum entry for go\.mod file/,
      file: 'goSum',
      message: (m) => `go.sum lacks ${m[1]} ${m[2]}/go.mod`,
    },
    {
      pattern: /missing go\.sum entry for module providing package (\S+)(?: \(imported by (\S+?)\))?/,
      file: 'goSum',
      message: (m) =>
        `go.sum lacks the checksum of the module providing package ${m[1]}${m[2] ? ` (imported by ${m[2]})` : ''}`,
    },
    {
      pattern: /missing go\.sum entry needed to verify package (\S+)/,
      file: 'goSum',
      message: (m) => `go.sum lacks the checksums needed to verify which module provides package ${m[1]}`,
    },
    {
      pattern: /no required module provides package (\S+?);/,
      file: 'goMod',
      message: (m) => `no required module provides package ${m[1]}: go.mod lacks its require`,
    },
    {
      pattern: /updates to go\.mod needed/,
      file: 'goMod',
      message: () => 'go.mod needs updates before the build can use it (run go mod tidy)',
    },
  ]

function moduleFileFinding(error: string, place: Place): Finding | undefined {
  for (const rule of MODULE_FILE_ERRORS) {
    const match = rule.pattern.exec(error)
    if (match === null) continue
    return { check: 'go.sum', module: place.module, file: place[rule.file], message: rule.message(match) }
  }
  return undefined
}

/** The values of a stream of JSON objects printed back to back, as `go list -json` and `go mod download -json` print them. */
export function parseJsonStream(text: string): unknown[] {
  const values: unknown[] = []
  let depth = 0
  let start = -1
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (inString) {
      if (c === '\\') i++
      else if (c === '"') inString = false
    } else if (c === '"') inString = true
    else if (c === '{') {
      if (depth === 0) start = i
      depth++
    } else if (c === '}') {
      depth--
      if (depth === 0 && start >= 0) {
        values.push(JSON.parse(text.slice(start, i + 1)))
        start = -1
      }
    }
  }
  return values
}
