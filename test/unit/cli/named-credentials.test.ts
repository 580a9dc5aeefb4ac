import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from '../../../src/cli/args.js'
import {
  applyNamedCredentials,
  mergeAuthText,
  namedCredentialText,
  type NamedCredentialFlags,
} from '../../../src/cli/named-credentials.js'
import { netrcEntries } from '../../../src/secrets/netrc.js'
import { parseAuthLines } from '../../../src/settings/auth-lines.js'

const TOKEN = 'pr0xy-T0ken:with@odd.chars~42'
const JOB_TOKEN = 'glcbt-J0bT0ken.value_123'
const FILE_SECRET = 'f1le-Secret.value_456'
const noFiles = (_file: string): string | undefined => undefined

function text(flags: NamedCredentialFlags, env: Record<string, string>, readFile = noFiles): string {
  const result = namedCredentialText(flags, env, readFile)
  if (!result.ok) throw new Error(`unexpected error: ${result.message}`)
  return result.text
}

function error(flags: NamedCredentialFlags, env: Record<string, string>, readFile = noFiles): string {
  const result = namedCredentialText(flags, env, readFile)
  if (result.ok) throw new Error('expected an error')
  return result.message
}

describe('namedCredentialText', () => {
  it('reads the token from the variable the flag names (GOPROXY_GUARD_TOKEN by default)', () => {
    expect(text({ authHost: 'Proxy.Example:8443', authUsername: 'ci-bot' }, { GOPROXY_GUARD_TOKEN: TOKEN })).toBe(
      `proxy.example:8443 ci-bot ${TOKEN}\n`,
    )
    expect(
      text({ authHost: 'proxy.example', authUsername: 'ci', authTokenVariable: 'MY_TOKEN' }, { MY_TOKEN: TOKEN }),
    ).toBe(`proxy.example ci ${TOKEN}\n`)
  })

  it('reads a netrc variable holding the text, or the path of a file (a File-type variable)', () => {
    const netrc = `machine files.example\n  login file-user\n  password ${FILE_SECRET}\n`
    expect(text({ authNetrcVariable: 'CORP_NETRC' }, { CORP_NETRC: netrc })).toBe(
      `files.example file-user ${FILE_SECRET}\n`,
    )
    const dir = mkdtempSync(path.join(tmpdir(), 'named-credentials-'))
    const file = path.join(dir, 'netrc')
    writeFileSync(file, netrc)
    const read = (p: string): string | undefined => (p === file ? netrc : undefined)
    expect(text({ authNetrcVariable: 'CORP_NETRC' }, { CORP_NETRC: file }, read)).toBe(
      `files.example file-user ${FILE_SECRET}\n`,
    )
    // not set: nothing to add, no error
    expect(text({ authNetrcVariable: 'CORP_NETRC' }, {})).toBe('')
  })

  it('adds CI_JOB_TOKEN for CI_SERVER_HOST, and for CI_SERVER_FQDN when it carries a port', () => {
    const env = { CI_JOB_TOKEN: JOB_TOKEN, CI_SERVER_HOST: 'gitlab.example.com', CI_SERVER_FQDN: 'gitlab.example.com' }
    expect(text({ authJobToken: true }, env)).toBe(`gitlab.example.com gitlab-ci-token ${JOB_TOKEN}\n`)
    expect(text({ authJobToken: true }, { ...env, CI_SERVER_FQDN: 'gitlab.example.com:8929' })).toBe(
      `gitlab.example.com gitlab-ci-token ${JOB_TOKEN}\ngitlab.example.com:8929 gitlab-ci-token ${JOB_TOKEN}\n`,
    )
    expect(text({ authJobToken: false }, env)).toBe('')
  })

  it('puts every source in one text, in the order auth-host, netrc variable, job token', () => {
    const all = text(
      { authHost: 'proxy.example', authUsername: 'ci', authNetrcVariable: 'N', authJobToken: true },
      {
        GOPROXY_GUARD_TOKEN: TOKEN,
        N: `machine files.example login f password ${FILE_SECRET}`,
        CI_JOB_TOKEN: JOB_TOKEN,
        CI_SERVER_HOST: 'gitlab.example.com',
      },
    )
    expect(all.split('\n').map((line) => line.split(' ')[0])).toEqual([
      'proxy.example',
      'files.example',
      'gitlab.example.com',
      '',
    ])
    // the CLI parses the result as its auth lines
    expect(parseAuthLines(all).map((c) => c.secret)).toEqual([TOKEN, FILE_SECRET, JOB_TOKEN])
  })

  it('gives a bare auth-host the host:port lines of the proxy, as the action does', () => {
    const credentials = parseAuthLines(
      text({ authHost: '127.0.0.1', authUsername: 'ci' }, { GOPROXY_GUARD_TOKEN: TOKEN }),
    )
    expect(
      netrcEntries(credentials, ['https://127.0.0.1:8443/mod', 'https://sum.example']).map((e) => e.machine),
    ).toEqual(['127.0.0.1', '127.0.0.1:8443'])
  })

  it.each([
    [{ authHost: 'proxy.example' }, { GOPROXY_GUARD_TOKEN: TOKEN }, /--auth-username is empty/],
    [{ authUsername: 'ci' }, {}, /--auth-username is set without --auth-host/],
    [{ authTokenVariable: 'T' }, {}, /--auth-token-variable is set without --auth-host/],
    [
      { authHost: 'https://proxy.example', authUsername: 'ci' },
      {},
      /--auth-host 'https:\/\/proxy.example' is not a host/,
    ],
    [{ authHost: 'proxy.example:99999', authUsername: 'ci' }, {}, /is not a host or host:port/],
    [
      { authHost: 'p.example', authUsername: 'c i' },
      { GOPROXY_GUARD_TOKEN: TOKEN },
      /--auth-username holds whitespace/,
    ],
    [
      { authHost: 'p.example', authUsername: 'ci' },
      {},
      /the variable GOPROXY_GUARD_TOKEN \(--auth-token-variable\) is empty or not defined/,
    ],
    [{ authHost: 'p.example', authUsername: 'ci', authTokenVariable: 'A-B' }, {}, /'A-B' is not a variable name/],
    [{ authNetrcVariable: 'N' }, { N: '/runner/tmp/missing-file' }, /neither netrc text nor the path/],
    [{ authNetrcVariable: 'N' }, { N: 'machine files.example login f' }, /--auth-netrc-variable N.*has no password/],
    [{ authJobToken: true }, { CI_SERVER_HOST: 'gitlab.example.com' }, /CI_JOB_TOKEN is not set/],
    [{ authJobToken: true }, { CI_JOB_TOKEN: JOB_TOKEN }, /CI_SERVER_HOST is not set/],
  ] as [NamedCredentialFlags, Record<string, string>, RegExp][])(
    'refuses %j, naming the flag',
    (flags, env, message) => {
      expect(error(flags, env)).toMatch(message)
    },
  )

  it('never shows a value read from a variable', () => {
    const spaced = `to ken-${TOKEN}`
    const messages = [
      error({ authHost: 'p.example', authUsername: 'ci' }, { GOPROXY_GUARD_TOKEN: spaced }),
      error({ authNetrcVariable: 'N' }, { N: `machine files.example password ${FILE_SECRET}` }),
      error({ authNetrcVariable: 'N' }, { N: FILE_SECRET }),
      error({ authJobToken: true }, { CI_JOB_TOKEN: `a ${JOB_TOKEN}`, CI_SERVER_HOST: 'g.example' }),
    ]
    expect(messages[0]).toContain('holds whitespace; it must hold only the token')
    for (const message of messages) {
      for (const secret of [TOKEN, FILE_SECRET, JOB_TOKEN]) expect(message).not.toContain(secret)
    }
  })
})

describe('applyNamedCredentials', () => {
  it('puts the named credentials before the lines of --auth-file or GOPROXY_GUARD_AUTH', () => {
    const fromFile = new Map([['auth', 'extra.example u s3cret-from-file']])
    expect(
      applyNamedCredentials(
        { authJobToken: true },
        fromFile,
        { CI_JOB_TOKEN: JOB_TOKEN, CI_SERVER_HOST: 'g.example' },
        '/',
      ),
    ).toBeUndefined()
    expect(fromFile.get('auth')).toBe(`g.example gitlab-ci-token ${JOB_TOKEN}\nextra.example u s3cret-from-file\n`)

    const fromEnv = new Map<string, string>()
    const env = { CI_JOB_TOKEN: JOB_TOKEN, CI_SERVER_HOST: 'g.example', GOPROXY_GUARD_AUTH: 'extra.example u s\n' }
    expect(applyNamedCredentials({ authJobToken: true }, fromEnv, env, '/')).toBeUndefined()
    expect(fromEnv.get('auth')).toBe(`g.example gitlab-ci-token ${JOB_TOKEN}\nextra.example u s\n`)
  })

  it('leaves the auth input alone when no flag names anything, and reports an error without touching it', () => {
    const inputs = new Map<string, string>()
    expect(applyNamedCredentials({}, inputs, { GOPROXY_GUARD_AUTH: 'a.example u s' }, '/')).toBeUndefined()
    expect(inputs.has('auth')).toBe(false)
    expect(applyNamedCredentials({ authJobToken: true }, inputs, {}, '/')).toMatch(/CI_JOB_TOKEN is not set/)
    expect(inputs.has('auth')).toBe(false)
  })

  it('reads a relative netrc file path from the working directory', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'named-credentials-'))
    writeFileSync(path.join(dir, 'my.netrc'), `machine files.example login f password ${FILE_SECRET}\n`)
    const inputs = new Map<string, string>()
    expect(applyNamedCredentials({ authNetrcVariable: 'N' }, inputs, { N: 'my.netrc' }, dir)).toBeUndefined()
    expect(inputs.get('auth')).toBe(`files.example f ${FILE_SECRET}\n`)
  })

  it('mergeAuthText keeps both texts whole', () => {
    expect(mergeAuthText('', 'a b c')).toBe('a b c')
    expect(mergeAuthText('x y z\n', '  ')).toBe('x y z\n')
    expect(mergeAuthText('x y z\n', 'a b c')).toBe('x y z\na b c\n')
  })
})

describe('the credential flags on the command line', () => {
  it('are parsed into names, not inputs', () => {
    const parsed = parseArgs([
      'run',
      '--auth-host',
      'proxy.example:8443',
      '--auth-username=ci',
      '--auth-token-variable',
      'MY_TOKEN',
      '--auth-netrc-variable',
      'CORP_NETRC',
      '--auth-job-token',
    ])
    expect(parsed.kind).toBe('run')
    if (parsed.kind !== 'run') return
    expect(parsed.args.credentials).toEqual({
      authHost: 'proxy.example:8443',
      authUsername: 'ci',
      authTokenVariable: 'MY_TOKEN',
      authNetrcVariable: 'CORP_NETRC',
      authJobToken: true,
    })
    expect(parsed.args.inputs.size).toBe(0)
  })

  it('take --no-auth-job-token and refuse a value that is not a boolean', () => {
    const off = parseArgs(['run', '--no-auth-job-token'])
    expect(off.kind === 'run' && off.args.credentials.authJobToken).toBe(false)
    const bad = parseArgs(['run', '--auth-job-token=yes'])
    expect(bad.kind === 'error' && bad.message).toMatch(/--auth-job-token takes true or false/)
  })
})
