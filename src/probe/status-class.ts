import type { StatusClass } from './types.js'

/** How the go command reads a status (web/api.go: only 404 and 410 are "not exist", everything else non-200 is an error). */
export function statusClassOf(status: number): StatusClass {
  if (status === 200) return 'success'
  if (status === 404 || status === 410) return 'not-found'
  if (status === 401 || status === 403 || status === 407) return 'auth'
  if (status === 429) return 'rate-limited'
  if (status >= 500) return 'server-error'
  if (status >= 300 && status < 400) return 'redirect'
  return 'other'
}
