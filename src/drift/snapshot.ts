import { createHash } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { unifiedDiff } from './make-diff.js'
import type { ModuleLayout } from '../modules/layout.js'
import { joinPosix } from '../modules/repository-root.js'
import type { FileDiff, Finding } from './types.js'

/*
 * The post step's evidence. The main step copies go.mod, go.sum, go.work and go.work.sum into a directory of its own
 * and records their SHA-256 — and which of them did not exist, so a go.sum that a later step creates (untracked, and
 * so invisible to `git diff`) is caught. The post step compares and reports; it never restores or rewrites a file.
 * The snapshot directory's path is all the action keeps in its state.
 */

export interface SnapshotEntry {
  /** relative to the working directory, forward slashes */
  path: string
  /** the module (or go.work) directory the file belongs to */
  module: string
  existed: boolean
  sha256?: string
  /** the copy's file name inside the snapshot directory */
  copy?: string
}

export interface SnapshotManifest {
  version: 1
  /** absolute */
  workingDirectory: string
  files: SnapshotEntry[]
}

const MANIFEST = 'manifest.json'

/** The files a snapshot covers: each module's go.mod and go.sum, and go.work / go.work.sum (at the working directory when there is no workspace). */
export function moduleFiles(layout: ModuleLayout): Array<{ path: string; module: string }> {
  const files: Array<{ path: string; module: string }> = []
  for (const module of layout.modules) {
    files.push({ path: joinPosix(module, 'go.mod'), module }, { path: joinPosix(module, 'go.sum'), module })
  }
  const ws = layout.workspace
  if (ws) files.push({ path: ws.file, module: ws.directory }, { path: ws.sumFile, module: ws.directory })
  else files.push({ path: 'go.work', module: '.' }, { path: 'go.work.sum', module: '.' })
  const seen = new Set<string>()
  return files.filter((f) => !seen.has(f.path) && seen.add(f.path))
}

export async function snapshotModuleFiles(layout: ModuleLayout, dir: string): Promise<string> {
  await mkdir(path.join(dir, 'files'), { recursive: true })
  const files: SnapshotEntry[] = []
  let index = 0
  for (const file of moduleFiles(layout)) {
    const content = await readOptional(path.resolve(layout.workingDirectory, file.path))
    if (content === undefined) {
      files.push({ ...file, existed: false })
      continue
    }
    const copy = `files/${String(index++).padStart(4, '0')}-${path.posix.basename(file.path)}`
    await writeFile(path.join(dir, copy), content)
    files.push({ ...file, existed: true, sha256: sha256(content), copy })
  }
  const manifest: SnapshotManifest = { version: 1, workingDirectory: layout.workingDirectory, files }
  await writeFile(path.join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`)
  return dir
}

export interface SnapshotComparison {
  /** absolute */
  workingDirectory: string
  findings: Finding[]
  diffs: FileDiff[]
}

/** A finding, and a unified diff, for every snapshotted file changed, created or deleted since the snapshot. */
export async function compareSnapshot(snapshotDir: string): Promise<SnapshotComparison> {
  let manifest: SnapshotManifest
  try {
    manifest = JSON.parse(await readFile(path.join(snapshotDir, MANIFEST), 'utf8')) as SnapshotManifest
  } catch (error) {
    throw new Error(
      `The module files snapshot in ${snapshotDir} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}): the post step has nothing to compare with.`,
      { cause: error },
    )
  }
  const findings: Finding[] = []
  const diffs: FileDiff[] = []
  for (const entry of manifest.files) {
    const now = await readOptional(path.resolve(manifest.workingDirectory, entry.path))
    if (!entry.existed && now === undefined) continue
    if (entry.existed && now !== undefined && sha256(now) === entry.sha256) continue
    const before = entry.existed && entry.copy ? await readFile(path.join(snapshotDir, entry.copy)) : undefined
    const oldText = before?.toString('utf8') ?? ''
    const newText = now?.toString('utf8') ?? ''
    const diff = unifiedDiff(
      before ? `a/${entry.path}` : '/dev/null',
      now ? `b/${entry.path}` : '/dev/null',
      oldText,
      newText,
    )
    const counts = `${diff.added} line${diff.added === 1 ? '' : 's'} added, ${diff.removed} removed`
    const what =
      now === undefined
        ? 'was deleted'
        : before === undefined
          ? `was created (${counts})`
          : diff.text === ''
            ? 'was rewritten with the same lines but different bytes (line endings or a byte order mark)'
            : `was changed (${counts})`
    findings.push({
      check: 'post-step',
      module: entry.module,
      file: entry.path,
      ...(now !== undefined && diff.firstNewLine !== undefined ? { line: diff.firstNewLine } : {}),
      message: `${entry.path} ${what} after goproxy-guard checked it: commit the change (run go mod tidy locally), or keep the build from editing module files (GOFLAGS=-mod=readonly)`,
    })
    if (diff.text !== '') diffs.push({ file: entry.path, diff: diff.text })
  }
  return { workingDirectory: manifest.workingDirectory, findings, diffs }
}

export function sha256(content: Buffer | string): string {
  return createHash('sha256').update(content).digest('hex')
}

async function readOptional(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR')
      return undefined
    throw error
  }
}
