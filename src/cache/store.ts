/** The cache service, behind an interface so the engine can be tested without one. */
export interface CacheStore {
  /** whether the service can be reached at all (false: caching is skipped with a notice) */
  available(): boolean
  /** returns the key that matched, or undefined on a miss */
  restore(paths: string[], primaryKey: string, restoreKeys: string[]): Promise<string | undefined>
  /** returns the cache id, or -1 when the entry was not saved */
  save(paths: string[], key: string): Promise<number>
}
