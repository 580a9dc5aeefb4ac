import type { JobNeeds } from '../modules/needs.js'

const LISTED = 5

/** What the job needs from the network, in a sentence or two. */
export function describeNeeds(needs: JobNeeds): string[] {
  const lines: string[] = []
  if (needs.vendored.length > 0) {
    lines.push(`Built from vendor/: ${needs.vendored.join(', ')} (the build reads no module from the network).`)
  }
  if (needs.moduleVersions === 0) lines.push('The job reads no module from the module cache.')
  else if (needs.missing.length === 0) {
    lines.push(
      `Every module version the job reads (${needs.moduleVersions}) is in the module cache: it needs no proxy.`,
    )
  } else {
    const routes = [...new Set(needs.missing.map((m) => m.route))]
    const how = routes
      .map((r) => (r === 'proxy' ? 'through GOPROXY' : r === 'direct' ? 'from their VCS (direct)' : 'with GOPROXY=off'))
      .join(' and ')
    lines.push(
      `The job needs ${needs.missing.length} of ${needs.moduleVersions} module versions from the network, ${how}: ${list(needs.missing.map((m) => `${m.path}@${m.version}`))}.`,
    )
  }
  if (needs.unsummed.length > 0) {
    lines.push(
      `go.sum lacks the checksums of ${list(needs.unsummed)}: the checksum database must vouch for ${needs.unsummed.length === 1 ? 'it' : 'them'}.`,
    )
  }
  if (needs.toolchain !== undefined && !needs.toolchain.cached) {
    lines.push(
      `go.mod asks for ${needs.toolchain.name}, which Go downloads as a module and checks against the checksum database.`,
    )
  }
  if (needs.unreadable.length > 0) lines.push(`Could not read ${needs.unreadable.join(', ')}.`)
  return lines
}

function list(items: string[]): string {
  return items.length <= LISTED
    ? items.join(', ')
    : `${items.slice(0, LISTED).join(', ')} and ${items.length - LISTED} more`
}
