// Sentences shared by the HTTP-status and transport rules: what the GOPROXY separator did, the `|` advice, hosts.
import { withoutUserinfo } from '../settings/errors.js'
import { entryForUrl, type GoFailureContext } from './context.js'
import { moduleInText, type GoErrorEntry } from './go-error.js'
import type { Diagnosis } from './types.js'

/** What the separator after the entry means for this failure, in a sentence. */
export function fallbackWords(url: string, status: 'not-found' | 'error', context: GoFailureContext): string {
  const match = entryForUrl(url, context)
  if (match === undefined) return ''
  if (status === 'not-found') {
    return match.isLast
      ? ` ${match.label} is the last GOPROXY entry, so this 404/410 is the final answer.`
      : ` Go went on to the next GOPROXY entry after ${match.label}; this error is reported because no later entry did better.`
  }
  if (match.entry.separator === '|') {
    return ` The \`|\` after ${match.label} let Go try the next entry, which did not succeed either.`
  }
  if (match.entry.separator === ',') {
    return ` The \`,\` after ${match.label} makes Go stop here: it falls through only on 404/410.`
  }
  return ` ${match.label} is the last GOPROXY entry.`
}

export function separatorFix(url: string, context: GoFailureContext): string {
  const match = entryForUrl(url, context)
  const next = match === undefined ? undefined : context.goproxy?.[match.index + 1]
  return match !== undefined && match.entry.separator === ',' && next !== undefined && next.kind !== 'off'
    ? ' Or put `|` after this proxy so Go falls through to the next entry on errors.'
    : ''
}

export function statusFix(status: number, url: string): string {
  const host = hostOf(url)
  if (status === 401 || status === 403 || status === 407) {
    return url.startsWith('https:')
      ? `Give credentials for ${host} in the auth input, or have the proxy answer 404 for databases it does not serve.`
      : `Go never sends credentials over http: use https:// for ${host}.`
  }
  return `Fix ${host} (it answered ${status}), or have it answer 404 for databases it does not serve.`
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}

export function entryFacts(entry: GoErrorEntry, url: string | undefined): Pick<Diagnosis, 'url' | 'module'> {
  const named = entry.module ?? moduleInText(entry.text)?.module
  return { ...(url ? { url: withoutUserinfo(url) } : {}), ...(named ? { module: named } : {}) }
}
