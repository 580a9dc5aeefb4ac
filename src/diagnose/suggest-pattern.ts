/** Hosts where many owners share one name: the pattern must include the owner, or it would cover everyone's code. */
const SHARED_HOSTS = new Set([
  'github.com',
  'gitlab.com',
  'bitbucket.org',
  'dev.azure.com',
  'codeberg.org',
  'gitea.com',
  'git.sr.ht',
  'hg.sr.ht',
  'launchpad.net',
  'gopkg.in',
])

/**
 * The GONOSUMDB / GOPRIVATE / GONOPROXY pattern to suggest for a private module: its host (`corp.example` covers
 * every module under it), or host and owner on shared hosting (`github.com/acme`). Go matches a pattern against as
 * many leading path elements as the pattern has, so both cover the module itself and everything below.
 */
export function suggestPrivatePattern(modulePath: string): string {
  const elements = modulePath.split('/').filter((e) => e !== '')
  const host = (elements[0] ?? modulePath).toLowerCase()
  if (SHARED_HOSTS.has(host) && elements.length >= 2) return `${host}/${elements[1]}`
  return host
}
