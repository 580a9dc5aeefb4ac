import { classifyConfig } from './config-rules.js'
import type { GoFailureContext } from './context.js'
import { splitGoErrors, type GoErrorEntry } from './go-error.js'
import { classifyChecksum, classifyDirect, classifyDrift } from './module-rules.js'
import { classifyHttpStatus } from './http-status-rules.js'
import { classifyTimeout } from './timeout-rule.js'
import { classifyTransport } from './transport-rules.js'
import type { Diagnosis } from './types.js'

export type { GoFailureContext } from './context.js'

/**
 * Rules in order of specificity: the first that recognises an error wins. Configuration and checksum errors come
 * first (their text can contain URLs and statuses too); a direct fetch's failure before the transport rules
 * (its message quotes the network error that led there, which the diagnosis repeats); HTTP statuses before transport
 * errors.
 */
const RULES: Array<(entry: GoErrorEntry, context: GoFailureContext, whole: string) => Diagnosis | undefined> = [
  (entry, context) => classifyTimeout(entry, context),
  (entry, context) => classifyConfig(entry, context),
  (entry, _context, whole) => classifyChecksum(entry, whole),
  (entry) => classifyDrift(entry),
  (entry, context) =>
    /terminal prompts disabled|could not read Username|unrecognized import path/.test(entry.text)
      ? classifyDirect(entry, context)
      : undefined,
  (entry, context) => classifyHttpStatus(entry, context),
  (entry, context) => classifyTransport(entry, context),
  (entry, context) => classifyDirect(entry, context),
]

/**
 * Reads the go command's stderr and says, for each failure it recognises, what happened, what Go does about it and
 * what to change — in terms of the user's own settings (which GOPROXY entry a URL belongs to and what its separator
 * does, whether a module matches GONOSUMDB/GOPRIVATE, which pattern to add). Unrecognised lines give nothing; the
 * same diagnosis for several modules is reported once per module. URLs lose their userinfo.
 */
export function classifyGoFailure(stderr: string, context: GoFailureContext): Diagnosis[] {
  const diagnoses: Diagnosis[] = []
  const seen = new Set<string>()
  for (const entry of splitGoErrors(stderr)) {
    for (const rule of RULES) {
      const diagnosis = rule(entry, context, stderr)
      if (diagnosis === undefined) continue
      const key = `${diagnosis.code}\u0000${diagnosis.url ?? ''}\u0000${diagnosis.module ?? ''}`
      if (!seen.has(key)) {
        seen.add(key)
        diagnoses.push(diagnosis)
      }
      break
    }
  }
  return diagnoses
}
