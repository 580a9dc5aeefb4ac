import type { Credential } from '../settings/types.js'

export interface NetrcEntry {
  machine: string
  login: string
  password: string
}

/**
 * The netrc entries Go needs for these credentials. Go 1.24+ looks a credential up by the URL's host:port
 * (`machine h:8443`), older Go by host alone (`machine h`): a credential for a host therefore gets one line for
 * the bare host and one for every port at which GOPROXY or GOSUMDB reach that host.
 */
export function netrcEntries(credentials: Credential[], urls: string[]): NetrcEntry[] {
  const portsByHost = new Map<string, Set<string>>()
  for (const raw of urls) {
    const url = safeUrl(raw)
    if (url === undefined || url.port === '') continue
    const host = url.hostname.toLowerCase()
    portsByHost.set(host, (portsByHost.get(host) ?? new Set()).add(url.port))
  }
  const bareHosts = new Set(credentials.filter((c) => !hasPort(c.host)).map((c) => c.host))
  const entries: NetrcEntry[] = []
  const seen = new Set<string>()
  const push = (machine: string, c: Credential): void => {
    if (seen.has(machine)) return
    seen.add(machine)
    entries.push({ machine, login: c.username, password: c.secret })
  }
  for (const c of credentials) {
    if (hasPort(c.host)) {
      push(c.host, c)
      const bare = hostOf(c.host)
      // older Go ignores the port; give it the bare host unless another credential owns it
      if (!bareHosts.has(bare)) push(bare, c)
    } else {
      push(c.host, c)
      for (const port of [...(portsByHost.get(c.host) ?? [])].sort()) push(`${c.host}:${port}`, c)
    }
  }
  return entries
}

/** netrc text; credentials were checked to hold no whitespace, which a netrc cannot quote. */
export function renderNetrc(entries: NetrcEntry[], preserved = ''): string {
  const ours = entries.map((e) => `machine ${e.machine} login ${e.login} password ${e.password}\n`).join('')
  if (preserved.trim() === '') return ours
  // ours first: Go takes the first entry for a machine
  return `${ours}\n${preserved.endsWith('\n') ? preserved : `${preserved}\n`}`
}

/** The passwords in a netrc file (Go's parsing: whitespace-separated tokens). */
export function netrcPasswords(text: string): string[] {
  const passwords: string[] = []
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/)
    for (let i = 0; i < fields.length - 1; i++) {
      if (fields[i] === 'password') passwords.push(fields[i + 1] as string)
    }
  }
  return passwords
}

function hasPort(host: string): boolean {
  return /:\d+$/.test(host)
}

function hostOf(host: string): string {
  return host.replace(/:\d+$/, '')
}

function safeUrl(raw: string): URL | undefined {
  try {
    return new URL(raw)
  } catch {
    return undefined
  }
}
