import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { goMinorVersion } from '../gocmd/goenv.js'
import type { Diagnosis } from '../diagnose/types.js'
import { checkRun, type CheckOutcome, type GoAccess } from './check-run.js'
import { blockingDiagnoses, goErrorText, type ClassifyGoFailure } from './go-failure.js'
import { parseModDirectives, parseRequirements, type Requirement } from '../modules/mod-file.js'
import { joinPosix } from '../modules/repository-root.js'
import type { FileDiff, Finding } from './types.js'
import { applyPatch, parseUnifiedDiff, splitLines, type FilePatch, type Hunk } from './unified-diff.js'

/** `go mod tidy -diff` exists from Go 1.23 on. */
export function supportsTidyDiff(goVersion: string): boolean {
  const [major, minor] = goMinorVersion(goVersion)
  return major > 1 || (major === 1 && minor >= 23)
}

export interface TidyCheckInput extends GoAccess {
  /** absolute module directory */
  directory: string
  /** module directory relative to the working directory */
  module: string
  classify: ClassifyGoFailure
}

export interface TidyCheckOutcome extends CheckOutcome {
  /** tidy failed for a reason that is not a proxy failure, so it says nothing about go.sum: check go.sum another way */
  needsGoSumFallback: boolean
}

/**
 * `go mod tidy -diff` in one module. GOWORK=off: tidy always works on a single module and ignores go.work (ref/mod,
 * "Workspaces"; the same diff comes out with and without it), so saying it keeps the result independent of the Go
 * version and of a workspace that a later Go might start to honour.
 */
export async function runTidyCheck(input: TidyCheckInput): Promise<TidyCheckOutcome> {
  const result = await input.go.run(['mod', 'tidy', '-diff'], {
    cwd: input.directory,
    env: { ...input.env, GOWORK: 'off' },
  })
  let findings: Finding[] = []
  let diffs: FileDiff[] = []
  let diagnoses: Diagnosis[] = []
  let needsGoSumFallback = false
  if (result.exitCode !== 0) {
    if (result.stdout.includes('+++ ')) {
      const current = {
        goMod: await readText(path.join(input.directory, 'go.mod')),
        goSum: await readText(path.join(input.directory, 'go.sum')),
      }
      findings = tidyDiffFindings(result.stdout, current, input.module)
      diffs = tidyDiffs(result.stdout, input.module)
    } else {
      diagnoses = blockingDiagnoses(input.classify, result.stderr)
      if (diagnoses.length === 0) {
        needsGoSumFallback = true
        findings = [
          {
            check: 'tidy',
            module: input.module,
            file: joinPosix(input.module, 'go.mod'),
            message: `go mod tidy -diff failed: ${goErrorText(result.stderr) || `exit code ${result.exitCode}`}`,
          },
        ]
      }
    }
  }
  const tidyFindings = findings.filter((f) => f.check === 'tidy')
  const goSumFindings = findings.filter((f) => f.check === 'go.sum')
  const checks = [checkRun('tidy', input.module, 'module', { findings: tidyFindings, diagnoses }, result.durationMs)]
  // go.sum completeness comes from the same diff, unless tidy failed before computing one
  if (!needsGoSumFallback) {
    checks.push(checkRun('go.sum', input.module, 'module', { findings: goSumFindings, diagnoses }, 0))
  }
  return { findings, diffs, diagnoses, notices: [], checks, needsGoSumFallback }
}

/** The diff tidy printed, one per file, with the file's path relative to the working directory. */
export function tidyDiffs(diffText: string, module: string): FileDiff[] {
  return parseUnifiedDiff(diffText).map((patch) => {
    const file = joinPosix(module, path.posix.basename(patch.newPath))
    return {
      file,
      diff: `--- a/${file}\n+++ b/${file}\n${patch.hunks.map((h) => h.text).join('')}`.replace(/\n+$/, '\n'),
    }
  })
}

/**
 * Findings from the output of `go mod tidy -diff`, with lines in the current files. go.mod changes are read as
 * requirements (missing, unused, other version, `// indirect` marker) by comparing the current file with the tidy one
 * rebuilt from the diff; go.sum lines tidy would add are go.sum findings (an entry the build needs), lines it would
 * remove are tidy findings.
 */
export function tidyDiffFindings(
  diffText: string,
  current: { goMod: string; goSum: string },
  module: string,
): Finding[] {
  const findings: Finding[] = []
  for (const patch of parseUnifiedDiff(diffText)) {
    const name = path.posix.basename(patch.newPath)
    if (name === 'go.mod') findings.push(...goModFindings(patch, current.goMod, module))
    else if (name === 'go.sum') findings.push(...goSumFindings(patch, current.goSum, module))
  }
  return findings
}

function goModFindings(patch: FilePatch, currentText: string, module: string): Finding[] {
  const file = joinPosix(module, 'go.mod')
  const base = { check: 'tidy' as const, module, file }
  const patched = applyPatch(currentText, patch.hunks)
  if (patched === undefined) return genericGoModFindings(patch, module)

  const findings: Finding[] = []
  const before = byPath(parseRequirements(currentText))
  const after = byPath(parseRequirements(patched.text))
  for (const [modPath, now] of before) {
    const tidy = after.get(modPath)
    if (tidy === undefined) {
      findings.push({
        ...base,
        line: now.line,
        message: `${modPath} ${now.version} is required but not used: remove it`,
      })
    } else if (tidy.version !== now.version) {
      findings.push({
        ...base,
        line: now.line,
        message: `${modPath} is required at ${now.version}, but the build selects ${tidy.version}: require ${modPath} ${tidy.version}`,
      })
    } else if (tidy.indirect !== now.indirect) {
      const message = tidy.indirect
        ? `${modPath} ${now.version} is not imported by this module: mark it // indirect`
        : `${modPath} ${now.version} is imported directly: remove its // indirect comment`
      findings.push({ ...base, line: now.line, message })
    }
  }
  for (const [modPath, tidy] of after) {
    if (before.has(modPath)) continue
    const line = clampLine(patched.anchors[tidy.line - 1], currentText)
    const indirect = tidy.indirect ? ' // indirect' : ''
    findings.push({
      ...base,
      line,
      message: `${modPath} ${tidy.version} is needed but not required: add require ${modPath} ${tidy.version}${indirect}`,
    })
  }
  findings.push(...directiveFindings(currentText, patched.text, base))
  if (findings.length === 0 && patch.hunks.length > 0) return genericGoModFindings(patch, module)
  return findings
}

/** `go` and `toolchain` lines that tidy would change. */
function directiveFindings(currentText: string, tidyText: string, base: Omit<Finding, 'message'>): Finding[] {
  const findings: Finding[] = []
  for (const verb of ['go', 'toolchain']) {
    const now = parseModDirectives(currentText).find((d) => d.verb === verb)
    const tidy = parseModDirectives(tidyText).find((d) => d.verb === verb)
    if (now?.args[0] === tidy?.args[0]) continue
    const line = now?.line ?? 1
    const message =
      tidy === undefined
        ? `the ${verb} directive (${verb} ${now?.args[0]}) is not needed`
        : now === undefined
          ? `the ${verb} directive is missing: ${verb} ${tidy.args[0]}`
          : `the ${verb} directive should be ${verb} ${tidy.args[0]} (it is ${verb} ${now.args[0]})`
    findings.push({ ...base, line, message })
  }
  return findings
}

function genericGoModFindings(patch: FilePatch, module: string): Finding[] {
  return patch.hunks.map((hunk) => ({
    check: 'tidy' as const,
    module,
    file: joinPosix(module, 'go.mod'),
    line: firstChangedLine(hunk),
    message: 'go.mod is not laid out as go mod tidy writes it (require blocks, their order or comments)',
  }))
}

/**
 * go.sum lines tidy would add (checksums the build needs: go.sum findings) and remove (no longer needed: tidy
 * findings), one finding per module version, on the line of its first go.sum line.
 */
function goSumFindings(patch: FilePatch, currentText: string, module: string): Finding[] {
  const file = joinPosix(module, 'go.sum')
  const groups = new Map<string, { op: '+' | '-'; line: number; lines: string[] }>()
  for (const hunk of patch.hunks) {
    for (const line of hunk.lines) {
      if (line.op === ' ') continue
      const [modPath, version] = line.text.trim().split(/\s+/)
      const key = `${line.op}${modPath} ${(version ?? '').replace(/\/go\.mod$/, '')}`
      const group = groups.get(key) ?? { op: line.op, line: line.oldLine, lines: [] }
      group.lines.push(line.text.trim())
      groups.set(key, group)
    }
  }
  return [...groups].map(([key, group]) => {
    const what = key.slice(1)
    const which =
      group.lines.length > 1
        ? 'its zip and its go.mod'
        : group.lines[0]?.includes('/go.mod ')
          ? 'its go.mod'
          : 'its zip'
    return group.op === '+'
      ? {
          check: 'go.sum' as const,
          module,
          file,
          line: clampLine(group.line, currentText),
          message: `go.sum lacks the checksum of ${what} (${which}), which the build needs`,
        }
      : {
          check: 'tidy' as const,
          module,
          file,
          line: group.line,
          message: `go.sum has ${group.lines.length === 1 ? 'a line' : `${group.lines.length} lines`} for ${what} that no build needs any more`,
        }
  })
}

function byPath(requirements: Requirement[]): Map<string, Requirement> {
  return new Map(requirements.map((r) => [r.path, r]))
}

function firstChangedLine(hunk: Hunk): number {
  return Math.max(1, hunk.lines.find((l) => l.op !== ' ')?.oldLine ?? hunk.oldStart)
}

/** An insertion point past the end of the file is reported on its last line. */
function clampLine(anchor: number | undefined, text: string): number {
  return Math.max(1, Math.min(anchor ?? 1, splitLines(text).length))
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8')
  } catch {
    return ''
  }
}
