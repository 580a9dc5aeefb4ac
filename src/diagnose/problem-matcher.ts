/**
 * A GitHub problem matcher for the go command's module-fetch failures, so a later step's `go build` or `go test`
 * that fails for a proxy, checksum or credential reason gets an annotation at the top of the run, not a line deep in
 * its log. Matchers see one line at a time; the full diagnosis with the fix is what goproxy-guard's own steps print.
 */
export const PROBLEM_MATCHER_OWNERS = [
  'goproxy-guard-fetch',
  'goproxy-guard-checksum',
  'goproxy-guard-network',
  'goproxy-guard-credentials',
  'goproxy-guard-go-sum',
  'goproxy-guard-import-path',
] as const

const PATTERNS: Record<(typeof PROBLEM_MATCHER_OWNERS)[number], string> = {
  // go: example.com/m@v1.0.0: reading https://proxy/example.com/m/@v/v1.0.0.info: 403 Forbidden
  'goproxy-guard-fetch':
    '^(?:go: )?(\\S+: (?:verifying (?:module|go\\.mod): )?(?:\\S+: )?reading \\S+: [45]\\d\\d\\b.*)$',
  // verifying example.com/m@v1.0.0: checksum mismatch
  'goproxy-guard-checksum': '^(?:go: )?(verifying \\S+: checksum mismatch)$',
  // Get "https://…": dial tcp 10.0.0.1:443: i/o timeout | lookup … no such host | x509: …
  'goproxy-guard-network':
    '^(?:go: )?(.*(?:dial tcp \\S+: (?:i/o timeout|connect: connection refused)|lookup \\S+(?: on \\S+)?: no such host|tls: failed to verify certificate: x509: .*))$',
  // fatal: could not read Username for 'https://git.corp': terminal prompts disabled
  'goproxy-guard-credentials': "^\\s*(fatal: could not read Username for '[^']+': terminal prompts disabled)$",
  // missing go.sum entry for module providing package …
  'goproxy-guard-go-sum': '^(?:go: )?(?:\\S+: )?(missing go\\.sum entry .*)$',
  // go: 127.0.0.3/private/m@v1.0.0: unrecognized import path "127.0.0.3/private/m": reading https://…?go-get=1: 401 …
  'goproxy-guard-import-path': '^(?:go: )?(\\S+: unrecognized import path .*)$',
}

export function problemMatcherJson(): string {
  return JSON.stringify(
    {
      problemMatcher: PROBLEM_MATCHER_OWNERS.map((owner) => ({
        owner,
        severity: 'error',
        pattern: [{ regexp: PATTERNS[owner], message: 1 }],
      })),
    },
    null,
    2,
  )
}
