import { withoutUserinfo } from '../settings/errors.js'
import { matchesGonoproxy, type GoFailureContext } from './context.js'
import { moduleInText, type GoErrorEntry } from './go-error.js'
import { suggestPrivatePattern } from './suggest-pattern.js'
import { headThenTail } from './text-scan.js'
import type { Diagnosis } from './types.js'

interface ConfigRule {
  pattern: RegExp
  /** text that must follow the match later on its line (see headThenTail) */
  thenOnLine?: string
  build: (
    match: RegExpExecArray,
    entry: GoErrorEntry,
    context: GoFailureContext,
  ) => Omit<Diagnosis, 'kind' | 'severity'>
}

const RULES: ConfigRule[] = [
  {
    pattern: /invalid proxy URL missing scheme: (\S+)/,
    build: (m) => ({
      code: 'goproxy-missing-scheme',
      title: `GOPROXY entry ${withoutUserinfo(m[1] ?? '')} has no scheme`,
      detail:
        'Go adds https:// only to entries that contain a dot, colon or slash; a single word is reserved for keywords (direct, off) and is rejected.',
      fix: `Write the full URL, e.g. https://${withoutUserinfo(m[1] ?? '')}.`,
    }),
  },
  {
    pattern: /invalid proxy URL scheme \(must be https, http, file\): (\S+)/,
    build: (m) => ({
      code: 'goproxy-bad-scheme',
      title: `GOPROXY entry ${withoutUserinfo(m[1] ?? '')} has an unsupported scheme`,
      detail: 'Go accepts https://, http:// and file:// proxies only.',
      fix: 'Use an https:// URL (or file:// for a directory in GOPROXY layout).',
    }),
  },
  {
    pattern: /invalid file:\/\/ proxy URL with non-path elements: (\S+)/,
    build: (m) => ({
      code: 'goproxy-bad-file-url',
      title: `GOPROXY entry ${withoutUserinfo(m[1] ?? '')} is not a plain file URL`,
      detail: 'A file:// proxy must be file:///absolute/path, with no host, query or fragment.',
      fix: 'Write it as file:///absolute/path (three slashes).',
    }),
  },
  {
    pattern: /GOPROXY list is not the empty string, but contains no entries/,
    build: () => ({
      code: 'goproxy-empty-list',
      title: 'GOPROXY holds only separators or spaces',
      detail: 'Go found no entry in GOPROXY and refuses to download.',
      fix: 'Set GOPROXY to a proxy list (e.g. https://proxy.golang.org,direct), or unset it for Go’s default.',
    }),
  },
  {
    pattern: /module lookup disabled by GOPROXY=off/,
    build: (_m, entry, context) => {
      const modulePath = entry.module ?? moduleInText(entry.text)?.module
      const privateHint =
        modulePath !== undefined && !matchesGonoproxy(modulePath, context)
          ? ` If ${modulePath} is private, add ${suggestPrivatePattern(modulePath)} to GOPRIVATE (or GONOPROXY) so Go fetches it from its VCS even with GOPROXY=off.`
          : ''
      return {
        code: 'goproxy-off',
        title: `${modulePath ?? 'A module'} is not in the module cache and GOPROXY=off forbids downloading it`,
        detail:
          'Go reached `off` in GOPROXY (or GOPROXY is off): it reports "module lookup disabled by GOPROXY=off" for any module not already in the module cache or vendor directory.',
        fix: `Warm the module cache before this step (or restore it), or set GOPROXY to a proxy list.${privateHint}`,
        ...(modulePath ? { module: modulePath } : {}),
      }
    },
  },
  {
    pattern: /download (go[\w.+-]+) for ([\w/]+): toolchain not available/,
    build: (m, _entry, context) => {
      const off = context.goproxy?.length === 1 && context.goproxy[0]?.kind === 'off'
      return {
        code: 'toolchain-not-available',
        title: `Go toolchain ${m[1] ?? ''} (${m[2] ?? ''}) could not be downloaded`,
        detail: `go.mod (or GOTOOLCHAIN) asks for ${m[1] ?? 'a newer Go'}, so Go tried to download it as module golang.org/toolchain through GOPROXY and got "not available".${off ? ' GOPROXY=off forbids the download.' : ''} Toolchain downloads are always checked against the checksum database, whatever GONOSUMDB says.`,
        fix: 'Install that Go version on the runner (setup-go), or set GOTOOLCHAIN=local and lower the go/toolchain line, or let GOPROXY reach a proxy that serves golang.org/toolchain.',
      }
    },
  },
  {
    pattern: /invalid GOTOOLCHAIN "?([^"\n]*)"?/,
    build: (m) => ({
      code: 'gotoolchain-invalid',
      title: `GOTOOLCHAIN=${m[1] ?? ''} is not valid`,
      detail: 'GOTOOLCHAIN must be local, auto, path, a toolchain name like go1.24.1, or name+auto / name+path.',
      fix: 'Fix GOTOOLCHAIN.',
    }),
  },
  {
    pattern:
      /parsing \$GOFLAGS: (unknown flag -\S+|non-flag "[^"]*")|flag needs an argument: (-\S+) \(from \$GOFLAGS\)/,
    build: (m) => goflagsInvalid(m[1] ?? `${m[2] ?? 'a flag'} needs a value`),
  },
  {
    pattern: /invalid value "[^"]*" for flag (-\S+): /,
    thenOnLine: '(from $GOFLAGS)',
    build: (m) => goflagsInvalid(`bad value for ${m[1] ?? 'a flag'}`),
  },
  {
    pattern:
      /GOAUTH encountered an empty command|GOAUTH=off cannot be combined|GOAUTH=git dir method requires an absolute path|GOAUTH=git encountered an error|could not parse netrc \(GOAUTH=/,
    build: (m, entry) => ({
      code: 'goauth-invalid',
      title: 'GOAUTH is invalid',
      detail: `Go stopped before its first HTTPS request: ${entry.head.replace(/^go: /, '')} GOAUTH is a semicolon-separated list of netrc, off, "git /absolute/dir" or a command; off cannot be combined, and empty entries (a trailing ;) are errors.`,
      fix: m[0].includes('netrc')
        ? 'Fix the netrc file (NETRC or ~/.netrc), or remove netrc from GOAUTH.'
        : 'Fix GOAUTH, e.g. remove the trailing ;, drop off, or give git an absolute directory.',
    }),
  },
  {
    pattern:
      /invalid GOSUMDB: [^\n]*|missing GOSUMDB|invalid sumdb name \(must be host\[\/path\]\): [^\n]*|invalid GOSUMDB URL: [^\n]*/,
    build: (m) => ({
      code: 'gosumdb-invalid',
      title: 'GOSUMDB is invalid',
      detail: `Go rejected GOSUMDB: ${withoutUserinfo(m[0])}. It must be off, sum.golang.org, name+hash+key, or "name+hash+key URL".`,
      fix: 'Fix GOSUMDB (a database other than sum.golang.org needs its full verifier key).',
    }),
  },
  {
    pattern: /refusing to pass credentials to insecure URL: (\S+)/,
    build: (m) => ({
      code: 'goproxy-credentials-over-http',
      title: 'Credentials in an http:// GOPROXY URL',
      detail: `Go refuses to send the user name and password in ${withoutUserinfo(m[1] ?? '')} over plain http.`,
      fix: 'Use https:// for that proxy, and move the credentials to the auth input.',
    }),
  },
  {
    pattern: /redirected from secure URL (\S+) to insecure URL (\S+)/,
    build: (m) => ({
      code: 'proxy-redirect-to-http',
      title: 'A proxy redirects from https to http',
      detail: `Go refuses the redirect from ${withoutUserinfo(m[1] ?? '')} to ${withoutUserinfo(m[2] ?? '')}.`,
      fix: 'Make the proxy (or its storage) redirect to https.',
    }),
  },
]

function goflagsInvalid(what: string): Omit<Diagnosis, 'kind' | 'severity'> {
  return {
    code: 'goflags-invalid',
    title: `GOFLAGS is invalid: ${what}`,
    detail:
      'Go splits GOFLAGS on spaces; every word must be a flag some go command knows, written -flag or -flag=value (values cannot contain spaces). Go stops before doing anything.',
    fix: 'Fix GOFLAGS: e.g. -mod=mod rather than -mod mod.',
  }
}

/** Failures to fetch (exit code 3) rather than settings Go rejects (exit code 2). */
const FETCH_FAILURES = new Set(['goproxy-off', 'goproxy-credentials-over-http', 'proxy-redirect-to-http'])

/** Settings Go rejects, or that stop it: GOPROXY/GOSUMDB/GOFLAGS/GOAUTH/GOTOOLCHAIN errors and GOPROXY=off. */
export function classifyConfig(entry: GoErrorEntry, context: GoFailureContext): Diagnosis | undefined {
  for (const rule of RULES) {
    const match =
      rule.thenOnLine === undefined
        ? rule.pattern.exec(entry.text)
        : headThenTail(entry.text, rule.pattern, [rule.thenOnLine])?.match
    if (match) {
      const built = rule.build(match, entry, context)
      return { ...built, kind: FETCH_FAILURES.has(built.code) ? 'proxy' : 'config', severity: 'error' }
    }
  }
  return undefined
}
