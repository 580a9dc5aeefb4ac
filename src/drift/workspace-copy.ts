import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { ModuleLayout, WorkspaceLayout } from '../modules/layout.js'

/**
 * A private copy of the workspace file for go commands that would otherwise write the user's go.work.sum: in workspace
 * mode `go list`, `go build` and `go mod download` add missing checksums to go.work.sum even with -mod=readonly (seen
 * with Go 1.26). The copy lives in a temp directory with absolute `use` and local `replace` paths; GOWORK points at it,
 * so Go writes the copy's go.work.sum, which tells what was missing.
 */
export interface WorkspaceCopy {
  /** the value for GOWORK */
  goWork: string
  /** the copy's go.work.sum */
  sumFile: string
  /** go.work.sum lines before any command ran */
  originalSum: string
  remove: () => Promise<void>
}

export async function copyWorkspace(
  layout: ModuleLayout,
  workspace: WorkspaceLayout,
  tempDirectory = os.tmpdir(),
): Promise<WorkspaceCopy> {
  const goWorkDir = path.resolve(layout.workingDirectory, workspace.directory)
  const dir = await mkdtemp(path.join(tempDirectory, 'goproxy-guard-work-'))
  const goWork = path.join(dir, 'go.work')
  const sumFile = path.join(dir, 'go.work.sum')
  await writeFile(goWork, renderGoWork(workspace, goWorkDir))
  const original = path.resolve(layout.workingDirectory, workspace.sumFile)
  let originalSum = ''
  try {
    originalSum = await readFile(original, 'utf8')
    await copyFile(original, sumFile)
  } catch {
    // no go.work.sum yet
  }
  return { goWork, sumFile, originalSum, remove: () => rm(dir, { recursive: true, force: true }) }
}

/** go.work text from `go work edit -json`, with every directory made absolute against the original go.work's directory. */
export function renderGoWork(workspace: WorkspaceLayout, goWorkDir: string): string {
  const { json } = workspace
  const lines: string[] = []
  if (json.Go) lines.push(`go ${json.Go}`)
  if (json.Toolchain) lines.push(`toolchain ${json.Toolchain}`)
  for (const g of json.Godebug ?? []) lines.push(`godebug ${g.Key}=${g.Value}`)
  for (const use of json.Use ?? []) lines.push(`use ${quote(path.resolve(goWorkDir, use.DiskPath))}`)
  for (const r of json.Replace ?? []) {
    const oldSide = r.Old.Version ? `${quote(r.Old.Path)} ${r.Old.Version}` : quote(r.Old.Path)
    const local = r.New.Version === undefined || r.New.Version === ''
    const newSide = local ? quote(path.resolve(goWorkDir, r.New.Path)) : `${quote(r.New.Path)} ${r.New.Version}`
    lines.push(`replace ${oldSide} => ${newSide}`)
  }
  return `${lines.join('\n')}\n`
}

/** Go's modfile quotes a token that is empty or holds spaces, quotes, parentheses or `//`. */
function quote(token: string): string {
  return token === '' || /[\s"'`()]|\/\//.test(token) ? JSON.stringify(token) : token
}

/** Lines the go command added to the copy's go.work.sum: checksums the workspace build needs that no file held. */
export async function addedSumLines(copy: WorkspaceCopy): Promise<string[]> {
  let now: string
  try {
    now = await readFile(copy.sumFile, 'utf8')
  } catch {
    return []
  }
  const before = new Set(copy.originalSum.split('\n').map((l) => l.trim()))
  return now
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !before.has(l))
}
