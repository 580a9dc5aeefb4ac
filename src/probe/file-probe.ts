import { access, constants, stat } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { errorMessage } from './failure-text.js'
import { caseEncode } from './module-path.js'
import { statusClassOf } from './status-class.js'
import type { ProbeModule, ProbeOutcome } from './types.js'

/** Go maps a missing file to 404 (so `,` falls through) and a permission error to 403 (web/http.go getFile). */
function statusOf(error: unknown): number {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : ''
  return code === 'EACCES' || code === 'EPERM' ? 403 : 404
}

function relativeModuleFile(module: ProbeModule): string {
  const leaf = module.version === undefined ? 'list' : `${caseEncode(module.version)}.info`
  return `${caseEncode(module.path)}/@v/${leaf}`
}

/**
 * A file:// proxy is checked on disk: the directory must exist and be readable; with a module, its `@v/list`
 * (or `@v/<version>.info`) is looked up the way Go would open it.
 */
export async function probeFileProxy(baseUrl: string, module: ProbeModule | undefined): Promise<ProbeOutcome> {
  const started = performance.now()
  const done = (fields: Partial<ProbeOutcome>, url: string): ProbeOutcome => ({
    url,
    stage: 'ok',
    authSent: false,
    ...fields,
    timings: { totalMs: Math.round(performance.now() - started) },
  })
  let root: string
  try {
    root = fileURLToPath(baseUrl)
  } catch (error) {
    return done({ stage: 'config', error: errorMessage(error) }, baseUrl)
  }
  try {
    if (!(await stat(root)).isDirectory()) {
      return done(
        { stage: 'file', status: 404, statusClass: 'not-found', error: `${root} is not a directory` },
        baseUrl,
      )
    }
    await access(root, constants.R_OK | constants.X_OK)
  } catch (error) {
    const status = statusOf(error)
    const reason = status === 403 ? 'cannot be read (permission denied)' : 'does not exist'
    return done({ stage: 'file', status, statusClass: statusClassOf(status), error: `${root} ${reason}` }, baseUrl)
  }
  if (module === undefined) return done({ status: 200, statusClass: 'success' }, baseUrl)
  return probeFile(`${baseUrl.replace(/\/+$/, '')}/${relativeModuleFile(module)}`)
}

/** One file of a file:// proxy (e.g. `sumdb/<name>/supported`), answered as Go answers it: 200, 404 or 403. */
export async function probeFile(url: string): Promise<ProbeOutcome> {
  const started = performance.now()
  const done = (fields: Partial<ProbeOutcome>): ProbeOutcome => ({
    url,
    stage: 'ok',
    authSent: false,
    ...fields,
    timings: { totalMs: Math.round(performance.now() - started) },
  })
  let file: string
  try {
    file = fileURLToPath(url)
  } catch (error) {
    return done({ stage: 'config', error: errorMessage(error) })
  }
  try {
    await access(file, constants.R_OK)
    return done({ status: 200, statusClass: 'success' })
  } catch (error) {
    const status = statusOf(error)
    return done({
      status,
      statusClass: statusClassOf(status),
      error: `${file}: ${status === 403 ? 'permission denied' : 'no such file'}`,
    })
  }
}
