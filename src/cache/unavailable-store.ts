import type { CacheStore } from './store.js'

/** Where no GitHub cache service exists (a terminal, GitLab, which caches natively): caching is skipped. */
export const unavailableCacheStore: CacheStore = {
  available: () => false,
  restore: async () => undefined,
  save: async () => -1,
}
