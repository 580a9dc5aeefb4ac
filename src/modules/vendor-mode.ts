import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { compareGoVersions } from './go-version.js'

/**
 * Whether the go command builds a module (or a workspace) from its vendor directory, by Go's own rule
 * (cmd/go/internal/modload/init.go, setDefaultBuildMod): a `-mod` flag in GOFLAGS decides; otherwise a vendor
 * directory next to go.mod (go.work) with a go line of 1.14 or later, whose modules.txt was written in the same mode
 * (workspace or not), means `-mod=vendor`. `go mod download` and `go mod tidy` never use vendor/.
 */
export async function usesVendor(options: {
  /** the module's (or go.work's) directory */
  directory: string
  /** the go line of go.mod (go.work in workspace mode) */
  goLine: string | undefined
  goflags: string
  workspace: boolean
}): Promise<boolean> {
  const explicit = lastModFlag(options.goflags)
  if (explicit !== undefined) return explicit === 'vendor'
  const vendor = path.join(options.directory, 'vendor')
  if (!(await isDirectory(vendor))) return false
  if (options.goLine === undefined || (compareGoVersions(options.goLine, '1.14') ?? -1) < 0) return false
  return (await modulesTxtIsForWorkspace(vendor)) === options.workspace
}

/** The value of the last `-mod=` (or `--mod=`) word in GOFLAGS, which is the one Go applies. */
export function lastModFlag(goflags: string): string | undefined {
  let value: string | undefined
  for (const word of goflags.split(/\s+/)) {
    const match = /^--?mod=(.*)$/.exec(word)
    if (match !== null) value = match[1]
  }
  return value
}

async function modulesTxtIsForWorkspace(vendor: string): Promise<boolean> {
  let text: string
  try {
    text = await readFile(path.join(vendor, 'modules.txt'), 'utf8')
  } catch {
    return false
  }
  const first = text.slice(0, 512).split('\n')[0] ?? ''
  if (!first.startsWith('## ')) return false
  return first
    .slice(3)
    .split(';')
    .some((entry) => entry.trim() === 'workspace')
}

async function isDirectory(dir: string): Promise<boolean> {
  try {
    return (await stat(dir)).isDirectory()
  } catch {
    return false
  }
}
