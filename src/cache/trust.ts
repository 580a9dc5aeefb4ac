import type { Diagnosis } from '../diagnose/types.js'
import { lstat, rm } from 'node:fs/promises'
import path from 'node:path'
import { readTree } from './files.js'

/**
 * What can be checked of a restored cache after the fact. @actions/cache downloads and extracts an entry in one call
 * (`tar -xf … -P -C $GITHUB_WORKSPACE`), with no hook between the two, so an archive's members cannot be refused
 * before they are written: a member with `../` or an absolute path lands where it says. What is checked here is the
 * cache directory itself: Go writes only regular files and directories there, so a symbolic link (which could point
 * a later write, or a later read, anywhere) or a device, socket or FIFO can only come from a crafted entry. They are
 * removed and reported; the step then fails with a security diagnosis.
 */
export async function removeUntrustedEntries(dir: string): Promise<string[]> {
  const found: string[] = []
  // a recursive listing does not follow symbolic links: each is listed as one entry, never walked into
  for (const entry of await readTree(dir).catch(() => [])) {
    if (entry.isFile() || entry.isDirectory()) continue
    const full = path.join(entry.parentPath, entry.name)
    if ((await lstat(full).catch(() => undefined)) === undefined) continue
    found.push(path.relative(dir, full).split(path.sep).join('/'))
    await rm(full, { force: true })
  }
  return found.sort()
}

/** The security diagnosis for entries removeUntrustedEntries found: the job fails (exit 1), naming them. */
export function untrustedCacheDiagnosis(cache: 'module cache' | 'build cache', entries: string[]): Diagnosis {
  const listed = entries.slice(0, 5).join(', ') + (entries.length > 5 ? ` and ${entries.length - 5} more` : '')
  return {
    code: 'cache-entry-untrusted',
    kind: 'security',
    severity: 'error',
    title: `The restored ${cache} held what Go never writes there: ${listed}`,
    detail: `Go writes only regular files and directories in the ${cache}; a symbolic link or a special file comes from a crafted cache entry, and the same entry may have written files outside the cache directory when it was extracted. They were removed.`,
    fix: 'Delete the cache entries of this repository (Actions › Caches, or gh cache delete), find out who could write them (see the README on cache trust), and run the job again.',
  }
}
