import type { GosumdbSetting, ProxyEntry } from '../settings/types.js'
import { attemptOf, walkChain } from './fallback.js'
import { joinUrl } from './module-path.js'
import type { ProbeOutcome, SumdbRoute } from './types.js'

export const DEFAULT_SUMDB_NAME = 'sum.golang.org'

/** The database Go will use: GOSUMDB's name and explicit URL, or sum.golang.org when GOSUMDB is unset. */
export function sumdbTarget(gosumdb: GosumdbSetting | undefined): { name: string; off: boolean; url?: string } {
  if (gosumdb === undefined) return { name: DEFAULT_SUMDB_NAME, off: false }
  if (gosumdb.off) return { name: '', off: true }
  return { name: gosumdb.name, off: false, url: gosumdb.url }
}

/** `<proxy>/sumdb/<name>/supported`: what Go asks each proxy before using it for the checksum database. */
export function supportedUrl(proxyUrl: string, name: string): string {
  return joinUrl(proxyUrl, `sumdb/${name}/supported`)
}

export interface RouteDecision {
  route?: SumdbRoute
  /** the proxy whose `supported` answer made the database unavailable */
  unavailableAt?: number
}

/**
 * How Go reaches the checksum database (modfetch/sumdb.go initBase): an explicit GOSUMDB URL is used as is;
 * otherwise each proxy is asked `supported` in turn — 200 means that proxy serves it (and Go never goes direct);
 * 404/410, or any error after `|`, means the next; `direct`, `off` or the end of the list means
 * `https://<name>` directly. Any other answer makes the database unavailable — and so does reaching `off` or the end
 * after a `|`-skipped error, because Go then reports that error rather than going direct.
 */
export function decideSumdbRoute(
  entries: readonly ProxyEntry[],
  target: { name: string; url?: string },
  supported: ReadonlyMap<number, ProbeOutcome>,
): RouteDecision {
  if (target.url !== undefined) return { route: { via: 'url', baseUrl: target.url } }
  const direct: RouteDecision = { route: { via: 'direct', baseUrl: `https://${target.name}` } }
  const walk = walkChain(entries, (index) => attemptOf(supported.get(index)))
  switch (walk.end) {
    case 'served': {
      const entry = entries[walk.index ?? -1]
      return {
        route: { via: 'proxy', viaEntry: walk.index, baseUrl: joinUrl(entry?.url ?? '', `sumdb/${target.name}`) },
      }
    }
    case 'stopped':
      return { unavailableAt: walk.index }
    case 'direct':
      return direct
    case 'off':
    case 'end':
      return walk.reportedErrorIndex === undefined ? direct : { unavailableAt: walk.reportedErrorIndex }
  }
}
