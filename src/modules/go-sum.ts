/** What a go.sum (or go.work.sum) vouches for: module versions whose zip (`h1:` line) or go.mod (`/go.mod` line) it holds. */
export interface GoSumEntries {
  /** `path@version` with a line for the module's content (its zip) */
  zips: Set<string>
  /** `path@version` with a line for its go.mod */
  mods: Set<string>
}

export function emptyGoSum(): GoSumEntries {
  return { zips: new Set(), mods: new Set() }
}

/** Reads go.sum lines (`path version[/go.mod] hash`) into `into`; malformed lines are Go's to report. */
export function readGoSum(text: string, into: GoSumEntries = emptyGoSum()): GoSumEntries {
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/)
    // go.sum never has other lines; a comment or a stray word is Go's to report
    if (fields.length !== 3) continue
    const [path, version] = fields as [string, string, string]
    if (version.endsWith('/go.mod')) into.mods.add(`${path}@${version.slice(0, -'/go.mod'.length)}`)
    else into.zips.add(`${path}@${version}`)
  }
  return into
}
