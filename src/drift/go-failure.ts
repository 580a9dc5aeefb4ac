import type { Diagnosis } from '../diagnose/types.js'
import { withoutUserinfo } from '../settings/errors.js'

/**
 * Turns a go command's stderr into diagnoses. The drift checks treat every diagnosis whose kind is not `drift` as
 * "this check could not run": a proxy, the checksum database or credentials failed, or a checksum did not match.
 * src/diagnose/classify.ts's `classifyGoFailure(stderr, context)` fits this shape once bound to its context.
 */
export type ClassifyGoFailure = (stderr: string) => Diagnosis[]

interface Rule {
  pattern: RegExp
  make: (match: RegExpExecArray) => Omit<Diagnosis, 'severity'>
}

const FIX_PROXY =
  'Check that the proxies in GOPROXY and the checksum database are reachable from the runner and that the credentials ' +
  'for private hosts are set (input `auth`); private modules belong in GOPRIVATE / GONOSUMDB.'

const RULES: Rule[] = [
  {
    pattern: /SECURITY ERROR|checksum mismatch/,
    make: () => ({
      code: 'checksum-mismatch',
      kind: 'security',
      title: 'A downloaded module does not match its recorded checksum',
      detail: 'The go command refused a module whose content differs from go.sum or from the checksum database.',
      fix: 'Do not update go.sum to the new hash before finding out why the content changed (a moved tag, a tampered proxy or cache).',
    }),
  },
  {
    pattern: /verifying (?:module|go\.mod): [^\n]*?(https?:\/\/\S+?): (404 Not Found|410 Gone)/,
    make: (m) => ({
      code: 'sumdb-lookup-not-found',
      kind: 'proxy',
      title: 'The checksum database does not know a module',
      detail: `The checksum database answered ${m[2]} for ${withoutUserinfo(m[1] ?? '')}; the go command cannot verify the module.`,
      fix: 'If the module is private, add its path prefix to GOPRIVATE or GONOSUMDB.',
      url: withoutUserinfo(m[1] ?? ''),
    }),
  },
  {
    pattern: /reading (\S+): ((?:401|403|407|429|5\d\d)\b[^\n]*)/,
    make: (m) => ({
      code: `proxy-http-${(m[2] ?? '').slice(0, 3)}`,
      kind: 'proxy',
      title: `A module proxy answered ${(m[2] ?? '').trim()}`,
      detail: `The go command read ${withoutUserinfo(m[1] ?? '')} and got ${(m[2] ?? '').trim()}; it does not fall back after a comma.`,
      fix: FIX_PROXY,
      url: withoutUserinfo(m[1] ?? ''),
    }),
  },
  {
    pattern: /unexpected status \((\S+)\): (\d{3}[^\n]*)/,
    make: (m) => ({
      code: `proxy-http-${(m[2] ?? '').slice(0, 3)}`,
      kind: 'proxy',
      title: `A module proxy answered ${(m[2] ?? '').trim()}`,
      detail: `The go command read ${withoutUserinfo(m[1] ?? '')} and got ${(m[2] ?? '').trim()}.`,
      fix: FIX_PROXY,
      url: withoutUserinfo(m[1] ?? ''),
    }),
  },
  {
    pattern: /lookup (\S+?)(?: on \S+)?: no such host/,
    make: (m) => ({
      code: 'proxy-dns',
      kind: 'proxy',
      title: `The host ${m[1]} does not resolve`,
      detail: `DNS has no address for ${m[1]}.`,
      fix: FIX_PROXY,
    }),
  },
  {
    pattern:
      /(?:Get "([^"]+)": )?dial tcp [^\n]*?: (i\/o timeout|connect: connection refused|connect: network is unreachable|connect: no route to host|connection reset by peer)/,
    make: (m) => ({
      code: m[2] === 'i/o timeout' ? 'proxy-timeout' : 'proxy-connect',
      kind: 'proxy',
      title: m[2] === 'i/o timeout' ? 'A module proxy did not answer in time' : 'A module proxy refused the connection',
      detail: `The go command could not connect${m[1] ? ` to ${withoutUserinfo(m[1])}` : ''}: ${m[2]}.`,
      fix: FIX_PROXY,
      ...(m[1] ? { url: withoutUserinfo(m[1]) } : {}),
    }),
  },
  {
    pattern:
      /(?:Get "([^"]+)": )?[^\n]*?(?<=^|\s)(x509: [^\n]*|tls: [^\n]*|net\/http: TLS handshake timeout|Client\.Timeout exceeded[^\n]*)/m,
    make: (m) => ({
      code: (m[2] ?? '').startsWith('x509') || (m[2] ?? '').startsWith('tls') ? 'proxy-tls' : 'proxy-timeout',
      kind: 'proxy',
      title: 'A module proxy could not be reached securely or in time',
      detail: `The go command failed${m[1] ? ` on ${withoutUserinfo(m[1])}` : ''}: ${m[2]}.`,
      fix: FIX_PROXY,
      ...(m[1] ? { url: withoutUserinfo(m[1]) } : {}),
    }),
  },
  {
    pattern: /terminal prompts disabled/,
    make: () => ({
      code: 'vcs-credentials-missing',
      kind: 'proxy',
      title: 'A private repository needs credentials',
      detail: 'git asked for a username while fetching a module directly, and prompts are disabled.',
      fix: 'Give the host credentials with the `auth` input, and list the module path prefix in GOPRIVATE.',
    }),
  },
  {
    pattern: /module lookup disabled by GOPROXY=off/,
    make: () => ({
      code: 'proxy-off',
      kind: 'proxy',
      title: 'A module is missing from the cache and GOPROXY=off forbids downloading it',
      detail: 'The go command needed a module that is not in the module cache.',
      fix: 'Set GOPROXY to a proxy (or warm the cache first).',
    }),
  },
]

/** A small stand-in for the full classifier: recognises transport, credential and checksum failures only. */
export function detectGoFailure(stderr: string): Diagnosis[] {
  const found: Diagnosis[] = []
  for (const rule of RULES) {
    const match = rule.pattern.exec(stderr)
    if (match === null) continue
    const diagnosis: Diagnosis = { severity: 'error', ...rule.make(match) }
    if (!found.some((d) => d.code === diagnosis.code && d.url === diagnosis.url)) found.push(diagnosis)
  }
  return found
}

/** The diagnoses that mean "the check could not run" rather than "the files drifted". */
export function blockingDiagnoses(classify: ClassifyGoFailure, stderr: string): Diagnosis[] {
  return classify(stderr).filter((d) => d.kind !== 'drift')
}

/** stderr without the progress lines (`go: downloading …`, `go: finding module …`). */
export function goErrorText(stderr: string): string {
  return stderr
    .split('\n')
    .filter((line) => !/^go: (downloading|finding module|extracting) /.test(line))
    .join('\n')
    .trim()
}
