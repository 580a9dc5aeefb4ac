/*
 * Go versions as the go command orders them (cmd/go/internal/gover): `1.21` (the language version) comes before
 * `1.21beta1`, `1.21rc1`, then the releases `1.21.0`, `1.21.1`. A leading `go` is allowed (`go1.26.8`, GOVERSION).
 */

interface Parsed {
  major: number
  minor: number
  /** -1: the language version alone (`1.21`) */
  patch: number
  /** 0 beta, 1 rc, 2 release; the language version counts as below beta */
  kind: number
  pre: number
}

function parse(version: string): Parsed | undefined {
  const match = /^(?:go)?(\d+)(?:\.(\d+))?(?:\.(\d+)|(beta|rc)(\d+))?$/.exec(version.trim())
  if (match === null) return undefined
  const [, major, minor, patch, kind, pre] = match
  if (patch !== undefined) return { major: +major!, minor: +(minor ?? 0), patch: +patch, kind: 2, pre: 0 }
  if (kind !== undefined)
    return { major: +major!, minor: +(minor ?? 0), patch: -1, kind: kind === 'rc' ? 1 : 0, pre: +pre! }
  return { major: +major!, minor: +(minor ?? 0), patch: -1, kind: -1, pre: 0 }
}

/** Negative, zero or positive as `a` is older than, the same as or newer than `b`; undefined when either is not a Go version. */
export function compareGoVersions(a: string, b: string): number | undefined {
  const x = parse(a)
  const y = parse(b)
  if (x === undefined || y === undefined) return undefined
  return x.major - y.major || x.minor - y.minor || x.kind - y.kind || x.pre - y.pre || x.patch - y.patch
}

/** A language version alone (`1.21`), not a release (`1.21.0`) nor a prerelease (`1.21rc1`). */
export function isLanguageVersion(version: string): boolean {
  return parse(version)?.kind === -1
}
