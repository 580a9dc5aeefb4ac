import { isCredentialPointer } from '../goenv/environment.js'

/** POSIX shell: `export NAME='value'`, single quotes escaped, for `eval "$(goproxy-guard setup)"`. */
export function formatSh(env: ReadonlyMap<string, string>): string {
  return [...env].map(([name, value]) => `export ${name}='${value.replace(/'/g, `'\\''`)}'\n`).join('')
}

/**
 * GitLab dotenv: `NAME=value` lines, credential-free and without paths to credential files, since a dotenv report
 * can be downloaded by anyone with access to the job. Values were checked to be single lines.
 */
export function formatDotenv(env: ReadonlyMap<string, string>): string {
  return [...env]
    .filter(([name]) => !isCredentialPointer(name))
    .map(([name, value]) => `${name}=${value}\n`)
    .join('')
}

export function formatJson(env: ReadonlyMap<string, string>): string {
  return JSON.stringify(Object.fromEntries(env), null, 2) + '\n'
}
