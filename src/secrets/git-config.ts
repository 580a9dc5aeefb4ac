import type { Credential } from '../settings/types.js'

/**
 * A git config file that sends each credential as a Basic Authorization header to its host only,
 * the way actions/checkout scopes its token. Git reads it through an include, so no secret sits in an
 * environment variable or on a command line.
 */
export function renderGitCredentialConfig(credentials: Credential[]): string {
  const seen = new Set<string>()
  let text = ''
  for (const c of credentials) {
    if (seen.has(c.host)) continue
    seen.add(c.host)
    const basic = Buffer.from(`${c.username}:${c.secret}`).toString('base64')
    text += `[http "https://${c.host}/"]\n\textraheader = Authorization: Basic ${basic}\n`
  }
  return text
}

/**
 * The variables that make every later git process include `file`, continuing any GIT_CONFIG_COUNT already set.
 */
export function gitIncludeVariables(
  file: string,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const existing = Number.parseInt(env['GIT_CONFIG_COUNT'] ?? '0', 10)
  const index = Number.isInteger(existing) && existing > 0 ? existing : 0
  return {
    GIT_CONFIG_COUNT: String(index + 1),
    [`GIT_CONFIG_KEY_${index}`]: 'include.path',
    [`GIT_CONFIG_VALUE_${index}`]: file,
  }
}
