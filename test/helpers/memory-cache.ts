import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { CacheStore } from '../../src/cache/store.js'

export interface MemoryCache extends CacheStore {
  /** key → the files saved (absolute path → content), newest last */
  readonly entries: Map<string, Map<string, Buffer>>
  readonly calls: string[]
}

/** A cache service in memory: restore by exact key, then by restore-key prefix (newest first), as GitHub's does. */
export function memoryCache(options: { available?: boolean } = {}): MemoryCache {
  const entries = new Map<string, Map<string, Buffer>>()
  const calls: string[] = []
  return {
    entries,
    calls,
    available: () => options.available ?? true,
    async restore(paths, primaryKey, restoreKeys) {
      calls.push(`restore ${primaryKey}`)
      const keys = [...entries.keys()].reverse()
      const matched = entries.has(primaryKey)
        ? primaryKey
        : restoreKeys.map((prefix) => keys.find((k) => k.startsWith(prefix))).find((k) => k !== undefined)
      if (matched === undefined) return undefined
      for (const [file, content] of entries.get(matched) ?? []) {
        if (!paths.some((p) => file.startsWith(p))) continue
        await mkdir(path.dirname(file), { recursive: true })
        await writeFile(file, content)
      }
      return matched
    },
    async save(paths, key) {
      calls.push(`save ${key}`)
      if (entries.has(key)) return -1
      const files = new Map<string, Buffer>()
      for (const dir of paths) {
        const found = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])
        for (const entry of found) {
          if (!entry.isFile()) continue
          const file = path.join(entry.parentPath, entry.name)
          files.set(file, await readFile(file))
        }
      }
      entries.set(key, files)
      return entries.size
    },
  }
}
