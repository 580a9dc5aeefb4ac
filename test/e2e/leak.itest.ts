import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readdirSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { goSumFor, startTestServer, type TestServer } from '../servers/testserver.js'
import { findLeaks, runAction } from '../helpers/action-runner.js'
import { readTree, runCliBundle } from '../helpers/cli-runner.js'
import { removeTempDirs, tempDir } from '../helpers/temp-dir.js'
import { makeModule, runnerEnv } from '../helpers/workspace.js'

// Every scenario — valid, invalid, failing — is run through the bundles, and every byte they emit (stdout, stderr,
// GITHUB_ENV, GITHUB_OUTPUT, GITHUB_STATE, GITHUB_STEP_SUMMARY, CLI output and report files) is searched for every
// secret in its raw, URL-encoded and base64 forms, and base64 of user:secret.
const USER = 'leak-user'
const SECRET = 'L3ak-Pr00f#S3cret!'
const TOKEN = 'ghp_L3akT0kenAsUsername0123'
const WRONG = 'wr0ng-but-still-S3cret'
const ALL = [
  { username: USER, secret: SECRET },
  { username: TOKEN, secret: TOKEN },
  { username: USER, secret: WRONG },
  { secret: 'lonely-S3cret-token' },
]

let server: TestServer
let root: string
let workspace: string
let goEnv: Record<string, string>

beforeAll(async () => {
  server = await startTestServer({
    proxies: [
      { name: 'corp', auth: { username: USER, password: SECRET } },
      { name: 'public', sumdb: true },
      { name: 'down', behavior: 'status', status: 503, body: 'maintenance' },
    ],
  })
  root = await tempDir('gpg-leak-')
  workspace = path.join(root, 'ws')
  await makeModule(workspace, {
    requires: { 'corp.example/private/secret': 'v1.0.0', 'example.com/greet': 'v1.0.0' },
    goSum: goSumFor(server.goSum, 'corp.example/private/secret@v1.0.0', 'example.com/greet@v1.0.0'),
    imports: ['corp.example/private/secret', 'example.com/greet'],
  })
  goEnv = await runnerEnv(root, server.caFile)
}, 60_000)

afterAll(async () => {
  await server?.stop()
  await removeTempDirs()
})

const withCredentials = (url: string, user: string, secret: string): string => {
  const u = new URL(url)
  u.username = encodeURIComponent(user)
  u.password = encodeURIComponent(secret)
  return u.toString()
}

const base = { gonosumdb: 'corp.example', 'check-drift': 'false', cache: 'false' }

const actionScenarios: Array<[string, Record<string, string>, 'pass' | 'fail']> = [
  [
    'valid: credentials in the GOPROXY URL and in auth',
    { ...base, goproxy: 'CORP', auth: `127.0.0.9 ${USER} ${SECRET}`, probe: 'false', download: 'false' },
    'pass',
  ],
  [
    'invalid: credentials on an http:// proxy',
    { ...base, goproxy: `http://${USER}:${encodeURIComponent(SECRET)}@127.0.0.1:1/` },
    'fail',
  ],
  ['invalid: an auth line missing a field', { ...base, auth: 'proxy.example lonely-S3cret-token' }, 'fail'],
  [
    'invalid: a bad GOPROXY scheme next to credentials',
    { ...base, goproxy: `ftp://${USER}:${encodeURIComponent(SECRET)}@host/` },
    'fail',
  ],
  ['failing: wrong credentials for the proxy', { ...base, goproxy: 'WRONG' }, 'fail'],
  ['failing: a token as the username', { ...base, goproxy: 'TOKEN' }, 'fail'],
  [
    'failing: download through a proxy that answers 503',
    { ...base, goproxy: 'DOWN', probe: 'false', auth: `127.0.0.9 ${USER} ${SECRET}` },
    'fail',
  ],
]

describe('no secret leaks from the action', () => {
  it.each(actionScenarios)(
    '%s',
    async (_name, inputs, expected) => {
      const resolved = { ...inputs }
      if (resolved['goproxy'] === 'CORP')
        resolved['goproxy'] = withCredentials(server.proxy('corp').url, USER, SECRET) + ',off'
      if (resolved['goproxy'] === 'WRONG')
        resolved['goproxy'] = withCredentials(server.proxy('corp').url, USER, WRONG) + ',off'
      if (resolved['goproxy'] === 'TOKEN')
        resolved['goproxy'] = server.proxy('corp').url.replace('https://', `https://${TOKEN}@`) + ',off'
      if (resolved['goproxy'] === 'DOWN') resolved['goproxy'] = `${server.proxy('down').url},off`
      const job = await runAction({ workspace, env: goEnv, inputs: resolved })
      expect(findLeaks(job.emitted(), ALL)).toEqual([])
      // the post step removes the credential files whatever happened in the main step
      expect(job.post?.code).toBe(0)
      expect(readdirSync(job.runnerTemp).filter((name) => name.startsWith('goproxy-guard-'))).toEqual([])
      if (expected === 'pass') expect(job.main.code).toBe(0)
      else expect(job.main.code).not.toBe(0)
      if (inputs['goproxy']?.startsWith('http://') || inputs['auth']?.includes('lonely')) {
        expect(job.main.env).toEqual({}) // invalid input: nothing exported
      }
    },
    120_000,
  )
})

describe('no secret leaks from the CLI', () => {
  const cliEnv = (): Record<string, string> => ({ ...goEnv, GOPROXY_GUARD_AUTH: `127.0.0.9 ${USER} ${SECRET}\n` })
  it.each([
    ['setup --format sh', ['setup', '--format', 'sh']],
    ['setup --format dotenv', ['setup', '--format', 'dotenv']],
    ['setup --format json', ['setup', '--format', 'json']],
    ['run with a report dir', ['run', '--no-probe', '--no-download', '--no-cache', '--report-dir', 'REPORT']],
    ['run with wrong credentials', ['run', '--no-cache', '--report-dir', 'REPORT', '--goproxy', 'WRONG']],
  ])(
    '%s',
    async (_name, args) => {
      const reportDir = path.join(await tempDir('gpg-leak-report-'), 'out')
      const resolved = args.map((a) =>
        a === 'REPORT'
          ? reportDir
          : a === 'WRONG'
            ? withCredentials(server.proxy('corp').url, USER, WRONG) + ',off'
            : a,
      )
      const goproxy = withCredentials(server.proxy('corp').url, USER, SECRET) + ',off'
      const run = await runCliBundle(
        resolved.includes('--goproxy')
          ? resolved
          : [...resolved, '--goproxy', goproxy.replace(`${USER}:${encodeURIComponent(SECRET)}@`, '')],
        { cwd: workspace, env: cliEnv() },
      )
      const text = [run.stdout, run.stderr, await readTree(reportDir)].join('\n')
      expect(findLeaks(text, ALL)).toEqual([])
      expect(run.code).not.toBeNull()
    },
    120_000,
  )

  it('refuses an auth file that does not exist without printing anything secret', async () => {
    const run = await runCliBundle(['setup', '--auth-file', 'nope.txt'], { cwd: workspace, env: goEnv })
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/--auth-file: cannot read nope.txt: ENOENT/)
  })

  it('reads credentials from --auth-file', async () => {
    const file = path.join(root, 'auth.txt')
    await writeFile(file, `machine 127.0.0.9 login ${USER} password ${SECRET}\n`)
    const run = await runCliBundle(['setup', '--format', 'json', '--auth-file', file], { cwd: workspace, env: goEnv })
    expect(run.code).toBe(0)
    expect(JSON.parse(run.stdout)).toHaveProperty('NETRC')
    expect(findLeaks(run.stdout + run.stderr, ALL)).toEqual([])
  })
})

// A user info holding characters that parsers and lists split at. It is a secret as a whole and in each part: the
// user name, the password, and every piece of them a parser could print alone that is long enough to be masked
// (6 characters: see MIN_MASKED_LENGTH). Each is looked for raw, URL-encoded, in base64 and in base64 of user:secret.
const ODD_USER = 'deploy-bot'
const ODD: Array<[what: string, password: string, outcome: 'invalid' | 'refused by the proxy']> = [
  ['a space', 'Tokabc 9nSecret', 'invalid'],
  ['quotes', `q"uoted'S3cret`, 'invalid'],
  ['a line break', 'Tokabc\n9nSecret', 'invalid'],
  ['an @', 'pa@ss-w0rd-S3cret', 'refused by the proxy'],
  ['a :', 'pa:ss-w0rd-S3cret', 'refused by the proxy'],
  ['%-encoded characters', 'S3cret%20w0rd%40corp', 'invalid'],
]

/** Every part of the user info `user:password` that must not be emitted, decoded forms included. */
function userinfoParts(user: string, password: string): Array<{ secret: string; username?: string }> {
  const parts: Array<{ secret: string; username?: string }> = []
  for (const p of new Set([password, decodeURIComponent(password)])) {
    parts.push({ username: user, secret: p }, { secret: `${user}:${p}` })
    for (const piece of p.split(/[\s"'`:@/,|%]+/)) if (piece.length >= 6) parts.push({ secret: piece })
  }
  parts.push({ secret: user })
  return parts
}

const oddGoproxy = (password: string): string =>
  `${server.proxy('corp').url.replace('https://', `https://${ODD_USER}:${password}@`)},off`

describe('no part of a user info with odd characters leaks', () => {
  it.each(ODD)(
    'action, a password holding %s',
    async (_what, password, outcome) => {
      const job = await runAction({ workspace, env: goEnv, inputs: { ...base, goproxy: oddGoproxy(password) } })
      expect(findLeaks(job.emitted(), [...ALL, ...userinfoParts(ODD_USER, password)])).toEqual([])
      expect(job.main.code).not.toBe(0)
      if (outcome === 'invalid') {
        expect(job.main.stdout).toMatch(/^::error::Nothing was exported and no file was written: Input 'goproxy': /m)
        expect(job.main.env).toEqual({})
      } else {
        expect(job.main.summary).toMatch(/401/)
      }
      expect(job.post?.code).toBe(0)
      expect(readdirSync(job.runnerTemp).filter((name) => name.startsWith('goproxy-guard-'))).toEqual([])
    },
    120_000,
  )

  it.each(ODD)(
    'CLI run, a password holding %s',
    async (_what, password) => {
      const reportDir = path.join(await tempDir('gpg-leak-report-'), 'out')
      const run = await runCliBundle(['run', '--no-cache', '--report-dir', reportDir], {
        cwd: workspace,
        env: { ...goEnv, GOPROXY_GUARD_GOPROXY: oddGoproxy(password), GOPROXY_GUARD_GONOSUMDB: 'corp.example' },
      })
      const text = [run.stdout, run.stderr, await readTree(reportDir)].join('\n')
      expect(findLeaks(text, [...ALL, ...userinfoParts(ODD_USER, password)])).toEqual([])
      expect([2, 3]).toContain(run.code)
    },
    120_000,
  )
})
