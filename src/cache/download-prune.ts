import { lstat, readdir } from 'node:fs/promises'
import path from 'node:path'
import { unescapeModulePath } from '../modules/escape.js'
import { emptyGoSum, readGoSum } from '../modules/go-sum.js'

/**
 * Pruning the module download dir (`$GOMODCACHE/cache/download`) before it is saved: the files of module versions that
 * no go.sum / go.work.sum of the job names are left out, so that old versions do not pile up entry after entry.
 *
 * A version file is `<escaped module path>/@v/<escaped version>.<ext>` with ext one of zip, ziphash, mod, info, lock,
 * partial. Everything else is kept: `@v/list`, `sumdb/` (checksum-database tiles and lookups), temporary files, and any
 * name not recognised.
 *
 * A version named by an `h1:` line of its tree is kept whole. A version named only by a `<version>/go.mod` line keeps
 * its .mod and .info and loses its .zip and .ziphash: Go loads such a version's go.mod for the module graph and never
 * its tree (building from it would need the tree's go.sum line, which is absent), so the zip is dead weight.
 */

const VERSION_FILE = /^(.+)\.(zip|ziphash|mod|info|lock|partial)$/
const TOOLCHAIN_MODULE = 'golang.org/toolchain'
/** the `<GOOS>-<GOARCH>` tail of a toolchain version, which holds no dot (`go1.26` must not claim `go1.26.8.…`) */
const PLATFORM = /^[a-z0-9]+-[a-z0-9]+$/

function isToolchainOf(version: string, prefix: string): boolean {
  return version.startsWith(prefix) && PLATFORM.test(version.slice(prefix.length))
}

export interface DownloadPruneOptions {
  /**
   * Go versions the job ran (`go1.26.8`, as `go env GOVERSION` prints them): their `golang.org/toolchain` versions
   * (`v0.0.1-go1.26.8.linux-amd64`) are kept even though no go.sum names them.
   */
  goVersions?: readonly string[]
}

export interface UnneededFiles {
  /** absolute paths of the files to leave out, sorted */
  files: string[]
  bytes: number
  /** distinct `path@version`s that lose every file */
  versions: number
}

/**
 * The files of `downloadDir` that belong to module versions the job's go.sum texts do not name (see the module
 * comment). A missing dir has none.
 */
export async function unneededModuleFiles(
  downloadDir: string,
  goSumTexts: readonly string[],
  options: DownloadPruneOptions = {},
): Promise<UnneededFiles> {
  const named = emptyGoSum()
  for (const text of goSumTexts) readGoSum(text, named)
  const toolchainVersions = (options.goVersions ?? []).map((v) => `v0.0.1-${v}.`)
  const root = path.resolve(downloadDir)
  let entries
  try {
    entries = await readdir(root, { recursive: true, withFileTypes: true })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { files: [], bytes: 0, versions: 0 }
    throw error
  }
  const files: string[] = []
  const dropped = new Map<string, boolean>() // path@version → every file of it dropped
  for (const entry of entries) {
    if (!entry.isFile()) continue
    const full = path.join(entry.parentPath, entry.name)
    const parts = path.relative(root, full).split(path.sep)
    const at = parts.length - 2
    if (at < 1 || parts[at] !== '@v' || parts[0] === 'sumdb') continue
    const match = VERSION_FILE.exec(parts[at + 1] as string)
    if (match === null) continue
    const [, escapedVersion, ext] = match as unknown as [string, string, string]
    const modulePath = unescapeModulePath(parts.slice(0, at).join('/'))
    const version = unescapeModulePath(escapedVersion)
    if (modulePath === undefined || version === undefined) continue
    const key = `${modulePath}@${version}`
    if (modulePath === TOOLCHAIN_MODULE && toolchainVersions.some((prefix) => isToolchainOf(version, prefix))) continue
    const keep = named.zips.has(key) || (named.mods.has(key) && (ext === 'mod' || ext === 'info'))
    if (keep) {
      dropped.set(key, false)
      continue
    }
    files.push(full)
    if (!dropped.has(key)) dropped.set(key, true)
  }
  files.sort()
  let bytes = 0
  for (const file of files) bytes += (await lstat(file).catch(() => undefined))?.size ?? 0
  return { files, bytes, versions: [...dropped.values()].filter(Boolean).length }
}
