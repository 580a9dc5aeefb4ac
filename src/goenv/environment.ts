import { gitIncludeVariables } from '../secrets/git-config.js'
import type { Settings } from '../settings/types.js'

export interface CredentialFiles {
  netrc?: string
  gitConfig?: string
}

/** The Go variables the tool sets, in the order they are exported and shown. */
export const GO_VARIABLES = [
  'GOPROXY',
  'GOSUMDB',
  'GOPRIVATE',
  'GONOPROXY',
  'GONOSUMDB',
  'GOINSECURE',
  'GOFLAGS',
  'GOTOOLCHAIN',
  'GOAUTH',
] as const

/**
 * The environment later steps get: only what the inputs set, credential-free, with credentials reached through
 * files (NETRC for Go, a git include for git). Pure: the caller exports it.
 */
export function buildEnvironment(
  settings: Settings,
  files: CredentialFiles,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const out: Record<string, string> = {}
  const set = (name: string, value: string | undefined): void => {
    if (value !== undefined) out[name] = value
  }
  set('GOPROXY', settings.goproxy?.value)
  set('GOSUMDB', settings.gosumdb?.value)
  set('GOPRIVATE', settings.goprivate?.value)
  set('GONOPROXY', settings.gonoproxy?.value)
  set('GONOSUMDB', settings.gonosumdb?.value)
  set('GOINSECURE', settings.goinsecure?.value)
  set('GOFLAGS', settings.goflags?.value)
  set('GOTOOLCHAIN', settings.gotoolchain)
  set('GOAUTH', settings.goauth?.value)
  set('NETRC', files.netrc)
  if (files.gitConfig !== undefined) Object.assign(out, gitIncludeVariables(files.gitConfig, env))
  return out
}

/** Variables that point at a credential file: kept out of dotenv reports, which anyone with job access can download. */
export function isCredentialPointer(name: string): boolean {
  return name === 'NETRC' || name.startsWith('GIT_CONFIG_')
}
