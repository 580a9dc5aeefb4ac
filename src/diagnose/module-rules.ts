import { withoutUserinfo } from '../settings/errors.js'
import { matchesGonoproxy, type GoFailureContext } from './context.js'
import { moduleInText, urlInText, type GoErrorEntry } from './go-error.js'
import { suggestPrivatePattern } from './suggest-pattern.js'
import { headThenTail } from './text-scan.js'
import type { Diagnosis } from './types.js'

function moduleOf(entry: GoErrorEntry): string | undefined {
  return entry.module ?? moduleInText(entry.text)?.module
}

function withModule(entry: GoErrorEntry): Pick<Diagnosis, 'module'> {
  const named = moduleOf(entry)
  return named ? { module: named } : {}
}

/** `verifying m@v: checksum mismatch` (+ SECURITY ERROR), told apart by which record disagreed. */
export function classifyChecksum(entry: GoErrorEntry, whole: string): Diagnosis | undefined {
  if (/go\.sum database server misbehavior detected/.test(entry.text)) {
    return {
      code: 'sumdb-misbehavior',
      kind: 'security',
      severity: 'error',
      title: 'The checksum database contradicted itself',
      detail:
        'Go found two signed tree heads that do not agree (SECURITY ERROR: go.sum database server misbehavior detected). The database, or something between it and the runner, is serving inconsistent data.',
      fix: 'Do not trust this run. Check what sits between the runner and the checksum database; report it if it is the public database.',
    }
  }
  // `verifying m@v: checksum mismatch` (go.sum), or `go: m@v: verifying module: checksum mismatch` (database).
  const mismatch = /verifying (?:(module|go\.mod)|(\S+?)(\/go\.mod)?): checksum mismatch/.exec(entry.text)
  if (!mismatch) return undefined
  const [namedPath = '', namedVersion = ''] = (mismatch[2] ?? '').split('@')
  const modulePath = entry.module ?? namedPath
  const version = entry.version ?? namedVersion
  const goMod = mismatch[1] === 'go.mod' || mismatch[3] !== undefined ? ' (its go.mod file)' : ''
  const recordedIn = /\n\t(go\.work\.sum|go\.sum):/.exec(entry.text)?.[1]
  const fromServer =
    recordedIn === undefined &&
    (/NOT match the one reported by the checksum server/.test(whole) || /\n\t\S+:\s+h1:/.test(entry.text))
  if (fromServer) {
    return {
      code: 'checksum-mismatch-sumdb',
      kind: 'security',
      severity: 'error',
      title: `${modulePath}@${version}${goMod} does not match the checksum database`,
      detail:
        'The downloaded module differs from the hash the checksum database published for it. Go refuses it (SECURITY ERROR: "This download does NOT match the one reported by the checksum server"): the proxy or the origin served other content than everyone else gets.',
      fix: 'Do not add the hash to go.sum by hand. Find out which proxy served the module (GOPROXY) and why it differs; clear the module cache (go clean -modcache) and download again.',
      module: modulePath,
    }
  }
  const file = recordedIn ?? 'go.sum'
  return {
    code: 'checksum-mismatch-go-sum',
    kind: 'security',
    severity: 'error',
    title: `${modulePath}@${version}${goMod} does not match ${file}`,
    detail: `The downloaded module differs from the hash recorded in ${file} (SECURITY ERROR: "This download does NOT match an earlier download recorded in ${file}"). Either the content at the origin or proxy changed (a re-tagged version), something tampered with the download or the module cache, or ${file} was edited.`,
    fix: `Find out which is right before touching ${file}: compare with the checksum database (go mod download -json ${modulePath}@${version} with GOFLAGS=-mod=mod in a clean module cache). Never "fix" it by deleting the line.`,
    module: modulePath,
  }
}

/** Failures of direct (VCS) fetches: `unrecognized import path`, `terminal prompts disabled`, unknown revisions. */
export function classifyDirect(entry: GoErrorEntry, context: GoFailureContext): Diagnosis | undefined {
  const modulePath = moduleOf(entry)
  const whyDirect =
    modulePath !== undefined && matchesGonoproxy(modulePath, context)
      ? `${modulePath} matches GONOPROXY/GOPRIVATE, so Go fetched it from its VCS.`
      : 'Go fetched it from its VCS because GOPROXY reached `direct` (every proxy before it answered 404/410, or failed before a `|`).'
  if (
    /terminal prompts disabled|could not read Username|Authentication failed|could not read Password/.test(entry.text)
  ) {
    const host = /for '(?:https?:\/\/)?([^'/]+)/.exec(entry.text)?.[1] ?? 'the git host'
    return {
      code: 'direct-git-auth',
      kind: 'proxy',
      severity: 'error',
      title: `git needs credentials for ${host}`,
      detail: `${whyDirect} git asked for a user name, and CI cannot answer prompts (terminal prompts disabled).`,
      fix: `Give credentials for ${host} in the auth input ('${host} USERNAME TOKEN'): they go to the netrc and a git credential config. For private modules also set GOPRIVATE.`,
      ...withModule(entry),
    }
  }
  const unrecognized = /unrecognized import path "([^"]+)"/.exec(entry.text)
  if (unrecognized) {
    const url = urlInText(entry.text)
    const importPath = unrecognized[1] ?? ''
    const cause =
      /https fetch: ([^\n]*)/.exec(entry.text)?.[1] ??
      /unrecognized import path "[^"]+": ([^\n]*)/.exec(entry.text)?.[1]
    return {
      code: 'direct-unrecognized-import-path',
      kind: 'proxy',
      severity: 'error',
      title: `Go could not find the repository of ${importPath}`,
      detail: `${whyDirect} It asked https://${importPath}?go-get=1 for a go-import meta tag and did not get one${cause ? ` (${withoutUserinfo(cause)})` : ''}.`,
      fix: `If ${importPath} is private, serve it from a GOPROXY that has it, or make the go-import lookup work with credentials (auth input) and set GOPRIVATE=${suggestPrivatePattern(importPath)}. If it is public, check the module path.`,
      ...(url ? { url: withoutUserinfo(url) } : {}),
      ...withModule(entry),
    }
  }
  if (/invalid version: unknown revision|unknown revision \S+/.test(entry.text) || notFoundThenInvalid(entry.text)) {
    return {
      code: 'unknown-revision',
      kind: 'drift',
      severity: 'error',
      title: `${modulePath ?? 'A module'}: the version does not exist`,
      detail: 'The version named in go.mod (or asked for) is not a tag or commit of the module’s repository.',
      fix: 'Fix the version in go.mod (go get module@latest, then go mod tidy), or check that the tag was pushed.',
      ...withModule(entry),
    }
  }
  return undefined
}

/** What `reading .*: 404 Not Found[\s\S]*invalid version` finds, linearly. */
function notFoundThenInvalid(text: string): boolean {
  const notFound = headThenTail(text, /reading /, [': 404 Not Found'])
  return notFound !== undefined && text.includes('invalid version', notFound.tail + ': 404 Not Found'.length)
}

/** go.mod / go.sum out of date under -mod=readonly. */
export function classifyDrift(entry: GoErrorEntry): Diagnosis | undefined {
  if (/missing go\.sum entry/.test(entry.text)) {
    const hint = /to add(?: it)?:\n\t(.+)/.exec(entry.text)?.[1]?.trim()
    return {
      code: 'missing-go-sum-entry',
      kind: 'drift',
      severity: 'error',
      title: 'go.sum is missing entries',
      detail:
        'go.sum lacks the hash of a module (or its go.mod) that the build needs; with -mod=readonly (the default for builds) Go will not add it.',
      fix: `Run ${hint ? `\`${hint}\`` : '`go mod tidy`'} locally and commit go.sum.`,
      ...withModule(entry),
    }
  }
  const updates = /updates to (go\.mod|go\.sum) needed(, disabled by -mod=(\w+))?/.exec(entry.text)
  if (updates) {
    return {
      code: updates[1] === 'go.sum' ? 'go-sum-update-needed' : 'go-mod-update-needed',
      kind: 'drift',
      severity: 'error',
      title: `${updates[1]} is out of date`,
      detail: `Go needs to change ${updates[1]} to build${updates[3] ? `, and -mod=${updates[3]} forbids it` : ' and will not do so on its own (-mod=readonly is the default)'}.`,
      fix: 'Run `go mod tidy` locally and commit go.mod and go.sum.',
      ...withModule(entry),
    }
  }
  return undefined
}
