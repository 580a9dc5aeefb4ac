import { withoutUserinfo } from '../settings/errors.js'
import { entryForUrl, isSumdbUrl, matchesGonosumdb, sumdbName, type GoFailureContext } from './context.js'
import { entryFacts, fallbackWords, hostOf, separatorFix, statusFix } from './entry-words.js'
import { moduleInText, type GoErrorEntry } from './go-error.js'
import { suggestPrivatePattern } from './suggest-pattern.js'
import { parenthesized } from './text-scan.js'
import type { Diagnosis } from './types.js'

/** `unexpected status (<url>): <status><rest of the line>`, as [whole, url, status, rest] */
function unexpectedStatus(text: string): string[] | undefined {
  const after = /\): (\d{3})\b([^\n]*)/y
  let found: RegExpExecArray | null = null
  const url = parenthesized(text, 'unexpected status (', (close) => {
    after.lastIndex = close
    found = after.exec(text)
    return found !== null
  })
  const status = found as RegExpExecArray | null
  return url === undefined || status === null ? undefined : [status[0], url.inside, status[1] ?? '', status[2] ?? '']
}

/** The database name in `<proxy>/sumdb/<name>/supported`: what `/\/sumdb\/(.+)\/supported$/` finds, linearly */
function supportedName(url: string): string | undefined {
  const suffix = '/supported'
  const at = url.indexOf('/sumdb/')
  if (at < 0 || !url.endsWith(suffix) || url.includes('\n')) return undefined
  const name = url.slice(at + '/sumdb/'.length, url.length - suffix.length)
  return at + '/sumdb/'.length < url.length - suffix.length ? name : undefined
}

/** `reading <url>: <status>` (and the Go 1.12-era `unexpected status (<url>): <status>`). */
export function classifyHttpStatus(entry: GoErrorEntry, context: GoFailureContext): Diagnosis | undefined {
  const match = /reading (\S+?):? (\d{3})\b([^\n]*)/.exec(entry.text) ?? unexpectedStatus(entry.text)
  if (!match) return undefined
  const url = match[1] ?? ''
  const status = Number(match[2])
  const statusText = `${status}${match[3] ?? ''}`.trim()
  const server = /server response:\s*([\s\S]*)$/.exec(entry.text)?.[1]?.replace(/\n\t/g, ' ').trim()
  const said = server ? ` The server said: ${server}` : ''
  const sumdb = isSumdbUrl(url, context)
  const host = hostOf(url)
  const facts = entryFacts(entry, url)

  if (sumdb && (status === 404 || status === 410) && /\/lookup\//.test(url)) {
    const modulePath = facts.module ?? moduleInText(entry.text)?.module ?? ''
    const pattern = suggestPrivatePattern(modulePath)
    const covered = modulePath !== '' && matchesGonosumdb(modulePath, context)
    return {
      code: status === 410 ? 'sumdb-gone-private-module' : 'sumdb-not-found-private-module',
      // a checksum-database failure: the proxy exit code, never drift, though the fix is a setting
      kind: 'proxy',
      severity: 'error',
      title: `The checksum database does not know ${modulePath || 'this module'} (${statusText})`,
      detail: `Go checks every module missing from go.sum against the checksum database ${sumdbName(context) || host}. It answered ${statusText} for ${modulePath}: it has never seen it, which is what happens to private modules (and to versions that do not exist).${said}`,
      fix: covered
        ? `Check that ${modulePath} at this version exists; it already matches GONOSUMDB.`
        : `If ${modulePath} is private, add ${pattern} to GONOSUMDB (or to GOPRIVATE, which also keeps it away from public proxies).`,
      ...facts,
    }
  }
  const supported = supportedName(url)
  if (supported !== undefined && status !== 404 && status !== 410) {
    const match = entryForUrl(url, context)
    const name = supported
    return {
      code: 'sumdb-unavailable',
      kind: 'proxy',
      severity: 'error',
      title: `Checksum database ${name} unavailable through ${match?.label ?? host} (${statusText})`,
      detail: `Before using a proxy for the checksum database, Go asks it ${withoutUserinfo(url)}. Any answer but 200 (use this proxy) or 404/410 (try the next entry) makes Go report "checksum database unavailable" — also when a \`|\` let it try the next entries and none of them served the database — so every module missing from go.sum fails verification.${said}`,
      fix: `${statusFix(status, url)}${separatorFix(url, context)} Modules in GONOSUMDB (or GOPRIVATE) are never looked up.`,
      ...facts,
    }
  }
  const where = sumdb ? `the checksum database (${host})` : `the module proxy ${host}`
  const prefix = sumdb ? 'sumdb' : 'proxy'
  if (status === 404 || status === 410) {
    return {
      code: `${prefix}-http-${status}`,
      kind: 'proxy',
      severity: 'error',
      title: `${where} answered ${statusText}`,
      detail: `${where} does not have what Go asked for (${withoutUserinfo(url)}).${fallbackWords(url, 'not-found', context)}${said}`,
      fix: sumdb
        ? 'Check GOSUMDB and the proxy that serves it.'
        : `Check the module path and version, and that ${host} is the right proxy URL (a wrong path makes every module 404). For private modules, add their prefix to GOPRIVATE so Go fetches them directly.`,
      ...facts,
    }
  }
  if (status === 401 || status === 403 || status === 407) {
    const https = url.startsWith('https:')
    return {
      code: `${prefix}-http-${status}`,
      kind: 'proxy',
      severity: 'error',
      title: `${where} refused the request (${statusText})`,
      detail: `${where} wants credentials, refused the ones sent, or blocks this module by policy.${fallbackWords(url, 'error', context)}${said}`,
      fix: https
        ? `Give credentials for ${host} in the auth input ('${host} USERNAME TOKEN'; Go sends them from the netrc file), and check the token's scopes and expiry.${separatorFix(url, context)}`
        : `Go never sends credentials over http: use https:// for ${host}.`,
      ...facts,
    }
  }
  if (status === 429) {
    return {
      code: `${prefix}-http-429`,
      kind: 'proxy',
      severity: 'error',
      title: `${where} is rate limiting (${statusText})`,
      detail: `${where} answered 429 Too Many Requests.${fallbackWords(url, 'error', context)}${said}`,
      fix: `Authenticate to ${host}, cache modules between jobs, or use a mirror.${separatorFix(url, context)}`,
      ...facts,
    }
  }
  return {
    code: status >= 500 ? `${prefix}-http-5xx` : `${prefix}-http-${status}`,
    kind: 'proxy',
    severity: 'error',
    title: `${where} failed (${statusText})`,
    detail: `${where} answered ${statusText}.${fallbackWords(url, 'error', context)}${said}`,
    fix: `Check the health of ${host} or use another proxy.${separatorFix(url, context)}`,
    ...facts,
  }
}
