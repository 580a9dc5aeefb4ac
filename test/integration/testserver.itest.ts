import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { readFile, mkdtemp, stat, writeFile } from 'node:fs/promises'
import http, { type IncomingHttpHeaders } from 'node:http'
import https from 'node:https'
import path from 'node:path'
import {
  buildTestServer,
  exportFileProxy,
  goSumFor,
  isolatedGoEnv,
  runGo,
  startTestServer,
  warmTestBuildCache,
  type FileProxy,
  type TestServer,
} from '../servers/testserver.js'
import { removeTempDirs, tempDir } from '../helpers/temp-dir.js'

let scratch: string

beforeAll(async () => {
  scratch = await tempDir('testserver-itest-')
  await buildTestServer()
}, 180_000)

afterAll(async () => {
  await removeTempDirs()
})

/** A fresh directory under the scratch dir for one test. */
async function freshDir(name: string): Promise<string> {
  return mkdtemp(path.join(scratch, `${name}-`))
}

/** Writes a main module that requires the given modules, with the go.sum lines for them. */
async function writeMainModule(dir: string, requires: Record<string, string>, goSum: string): Promise<void> {
  const requireLines = Object.entries(requires).map(([p, v]) => `\t${p} ${v}\n`)
  await writeFile(
    path.join(dir, 'go.mod'),
    `module example.com/main\n\ngo 1.21\n\nrequire (\n${requireLines.join('')})\n`,
  )
  await writeFile(path.join(dir, 'go.sum'), goSum)
}

async function writeNetrc(dir: string, machine: string, login: string, password: string): Promise<string> {
  const file = path.join(dir, 'netrc')
  await writeFile(file, `machine ${machine}\nlogin ${login}\npassword ${password}\n`, { mode: 0o600 })
  return file
}

interface Reply {
  status?: number
  headers?: IncomingHttpHeaders
  body?: string
  /** Node's error code when no response came (ECONNRESET, CERT_HAS_EXPIRED, TIMEOUT, …). */
  errorCode?: string
  ms: number
}

/** One GET with a plain HTTP client: what a user's curl would see. Never rejects. */
function get(url: string, options: { ca?: Buffer; auth?: string; timeoutMs?: number } = {}): Promise<Reply> {
  const started = Date.now()
  const client = url.startsWith('https:') ? https : http
  return new Promise((resolve) => {
    const request = client.get(url, { agent: false, ca: options.ca, auth: options.auth }, (response) => {
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => (body += chunk))
      response.on('end', () =>
        resolve({ status: response.statusCode, headers: response.headers, body, ms: Date.now() - started }),
      )
    })
    request.setTimeout(options.timeoutMs ?? 5000, () =>
      request.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })),
    )
    request.on('error', (error: NodeJS.ErrnoException) => resolve({ errorCode: error.code, ms: Date.now() - started }))
  })
}

describe('file:// export', () => {
  let proxy: FileProxy

  beforeAll(async () => {
    proxy = await exportFileProxy(path.join(scratch, 'file-proxy'))
    await warmTestBuildCache()
  }, 600_000)

  test('prints both go.sum lines for every fixture module', () => {
    expect(proxy.url).toMatch(/^file:\/\/\//)
    for (const id of ['example.com/greet v1.0.0', 'example.com/greet v1.1.0', 'example.com/Upper v1.0.0']) {
      expect(proxy.goSum).toContainEqual(expect.stringMatching(new RegExp(`^${id} h1:[A-Za-z0-9+/]{43}=$`)))
      expect(proxy.goSum).toContainEqual(expect.stringMatching(new RegExp(`^${id}/go.mod h1:[A-Za-z0-9+/]{43}=$`)))
    }
    expect(proxy.goSum.some((line) => line.startsWith('corp.example/private/secret v1.0.0 '))).toBe(true)
  })

  test('serves go mod download, and the hashes go computes equal the printed go.sum lines', async () => {
    const dir = await freshDir('file')
    const env = await isolatedGoEnv(dir, { GOPROXY: proxy.url, GOSUMDB: 'off' })
    const result = await runGo(['mod', 'download', '-json', 'example.com/Upper@v1.0.0', 'example.com/util@v0.1.0'], {
      cwd: dir,
      env,
    })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const upper = proxy.goSum.find((line) => line.startsWith('example.com/Upper v1.0.0 h1:'))?.split(' ')[2]
    expect(result.stdout).toContain(`"Sum": "${upper}"`)
  }, 60_000)

  test('a main module builds offline from the export with the go.sum from goSumFor', async () => {
    const dir = await freshDir('build')
    await writeMainModule(
      dir,
      { 'example.com/util': 'v0.1.0', 'example.com/greet': 'v1.0.0' },
      goSumFor(proxy.goSum, 'example.com/util', 'example.com/greet@v1.0.0'),
    )
    await writeFile(
      path.join(dir, 'main.go'),
      'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/util"\n)\n\nfunc main() { fmt.Println(util.Shout("gopher")) }\n',
    )
    const env = await isolatedGoEnv(dir, { GOPROXY: proxy.url, GOSUMDB: 'off' })
    const result = await runGo(['run', '.'], { cwd: dir, env })
    expect(result.stderr).not.toMatch(/missing go.sum entry|verifying|SECURITY/)
    expect(result.code).toBe(0)
    expect(result.stdout).toBe('HELLO, GOPHER\n')
  }, 300_000)
})

describe('servers', () => {
  let server: TestServer
  let ca: Buffer
  const proxyAuth = { username: 'proxy-user', password: 'proxy-pass-1234' }
  const gitAuth = { username: 'git-user', password: 'git-token-5678' }

  beforeAll(async () => {
    server = await startTestServer({
      proxies: [
        { name: 'healthy', sumdb: true },
        { name: 'no-mirror' },
        { name: 'private', auth: proxyAuth },
        { name: 'private-403', auth: { ...proxyAuth, failStatus: 403 } },
        { name: 'private-404', auth: { ...proxyAuth, failStatus: 404 }, modules: ['corp.example'] },
        { name: 'tampered', tamperedZips: ['example.com/greet@v1.0.0'] },
        { name: 'not-found', behavior: 'not-found' },
        { name: 'gone', behavior: 'gone' },
        { name: 'unavailable', tls: 'http', behavior: 'status', status: 503, body: 'down for maintenance' },
        { name: 'rate-limited', behavior: 'status', status: 429 },
        { name: 'hang', behavior: 'hang' },
        { name: 'reset', behavior: 'reset' },
        { name: 'slow', delayMs: 400 },
        { name: 'self-signed', tls: 'self-signed' },
        { name: 'wrong-host', tls: 'wrong-host' },
        { name: 'expired', tls: 'expired' },
      ],
      git: gitAuth,
    })
    ca = await readFile(server.caFile)
  }, 60_000)

  afterAll(async () => {
    await server?.stop()
  })

  /** go env for a download through one proxy, verified by the checksum database unless overridden. */
  async function goEnvFor(dir: string, extra: Record<string, string | undefined>): Promise<Record<string, string>> {
    return isolatedGoEnv(dir, { SSL_CERT_FILE: server.caFile, GOSUMDB: server.sumdb.gosumdb, ...extra })
  }

  describe('go mod download', () => {
    test('through a healthy proxy, verified by the checksum database reached directly', async () => {
      const dir = await freshDir('sumdb-direct')
      const env = await goEnvFor(dir, { GOPROXY: server.proxy('healthy').url })
      const result = await runGo(['mod', 'download', '-json', 'example.com/greet@v1.0.0', 'example.com/Upper@v1.0.0'], {
        cwd: dir,
        env,
      })
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      const sum = goSumFor(server.goSum, 'example.com/greet@v1.0.0').split('\n')[0]?.split(' ')[2]
      expect(result.stdout).toContain(`"Sum": "${sum}"`)
      // The go command keeps the signed tree head it verified against.
      const latest = await readFile(path.join(env.GOPATH ?? '', 'pkg', 'sumdb', server.sumdb.name, 'latest'), 'utf8')
      expect(latest).toContain(`— ${server.sumdb.name} `)
    }, 60_000)

    test('through the checksum database mirrored at the proxy’s /sumdb/', async () => {
      const dir = await freshDir('sumdb-mirror')
      // A key without a URL: the go command asks each proxy for /sumdb/<name>/supported.
      const env = await goEnvFor(dir, { GOPROXY: server.proxy('healthy').url, GOSUMDB: server.sumdb.key })
      const result = await runGo(['mod', 'download', 'example.com/util@v0.1.0'], { cwd: dir, env })
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      expect((await stat(path.join(env.GOPATH ?? '', 'pkg', 'sumdb', server.sumdb.name, 'latest'))).isFile()).toBe(true)
    }, 60_000)

    test('without a /sumdb/ mirror the same GOSUMDB key makes the go command go direct, and fail', async () => {
      const dir = await freshDir('sumdb-no-mirror')
      const env = await goEnvFor(dir, { GOPROXY: server.proxy('no-mirror').url, GOSUMDB: server.sumdb.key })
      const result = await runGo(['mod', 'download', 'example.com/util@v0.1.0'], { cwd: dir, env })
      expect(result.code).toBe(1)
      // The name resolves to loopback, where no checksum database listens.
      expect(result.stderr).toContain(`https://${server.sumdb.name}/`)
    }, 60_000)

    test('the checksum database answers 410 Gone for a private module', async () => {
      const dir = await freshDir('sumdb-private')
      const netrc = await writeNetrc(dir, server.proxy('private').host, proxyAuth.username, proxyAuth.password)
      const env = await goEnvFor(dir, { GOPROXY: server.proxy('private').url, NETRC: netrc })
      const result = await runGo(['mod', 'download', 'corp.example/private/secret@v1.0.0'], { cwd: dir, env })
      expect(result.code).toBe(1)
      expect(result.stderr).toMatch(/verifying (module|go\.mod)/)
      expect(result.stderr).toContain('410 Gone')
    }, 60_000)

    test('through a Basic-auth proxy with a netrc file, and 401 without it', async () => {
      const dir = await freshDir('netrc')
      const netrc = await writeNetrc(dir, server.proxy('private').host, proxyAuth.username, proxyAuth.password)
      const base = { GOPROXY: server.proxy('private').url, GONOSUMDB: 'corp.example' }
      const withNetrc = await runGo(
        ['mod', 'download', 'corp.example/private/secret@v1.0.0', 'example.com/greet@v1.1.0'],
        {
          cwd: dir,
          env: await goEnvFor(dir, { ...base, NETRC: netrc }),
        },
      )
      expect(withNetrc.stderr).toBe('')
      expect(withNetrc.code).toBe(0)

      const other = await freshDir('no-netrc')
      const withoutNetrc = await runGo(['mod', 'download', 'corp.example/private/secret@v1.0.0'], {
        cwd: other,
        env: await goEnvFor(other, { ...base, NETRC: path.join(other, 'absent-netrc') }),
      })
      expect(withoutNetrc.code).toBe(1)
      expect(withoutNetrc.stderr).toContain('401 Unauthorized')
      expect(withoutNetrc.stderr).toContain('server response: unauthorized')
    }, 60_000)

    test('a tampered zip fails with SECURITY ERROR against the checksum database', async () => {
      const dir = await freshDir('tampered')
      const env = await goEnvFor(dir, { GOPROXY: server.proxy('tampered').url })
      const result = await runGo(['mod', 'download', 'example.com/greet@v1.0.0'], { cwd: dir, env })
      expect(result.code).toBe(1)
      expect(result.stderr).toContain('checksum mismatch')
      expect(result.stderr).toContain('SECURITY ERROR')
      expect(result.stderr).toContain('does NOT match the one reported by the checksum server')
      // The other versions of the module are served untouched.
      const untouched = await runGo(['mod', 'download', 'example.com/greet@v1.1.0'], { cwd: dir, env })
      expect(untouched.code).toBe(0)
    }, 60_000)

    test('a tampered zip fails with SECURITY ERROR against go.sum', async () => {
      const dir = await freshDir('tampered-gosum')
      await writeMainModule(dir, { 'example.com/greet': 'v1.0.0' }, goSumFor(server.goSum, 'example.com/greet@v1.0.0'))
      const env = await goEnvFor(dir, { GOPROXY: server.proxy('tampered').url, GOSUMDB: 'off' })
      const result = await runGo(['mod', 'download'], { cwd: dir, env })
      expect(result.code).toBe(1)
      expect(result.stderr).toContain('SECURITY ERROR')
      expect(result.stderr).toContain('does NOT match an earlier download recorded in go.sum')
    }, 60_000)
  })

  describe('git smart HTTP in direct mode', () => {
    const modulePath = '127.0.0.1/private/gitmod'

    async function directEnv(dir: string, netrc: boolean, gitHeader: boolean): Promise<Record<string, string>> {
      const basic = Buffer.from(`${gitAuth.username}:${gitAuth.password}`).toString('base64')
      return goEnvFor(dir, {
        GOPRIVATE: '127.0.0.1/private',
        GOPROXY: 'direct',
        GIT_SSL_CAINFO: server.caFile,
        NETRC: netrc ? await writeNetrc(dir, '127.0.0.1', gitAuth.username, gitAuth.password) : path.join(dir, 'none'),
        ...(gitHeader
          ? {
              GIT_CONFIG_COUNT: '1',
              GIT_CONFIG_KEY_0: 'http.https://127.0.0.1/.extraheader',
              GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
            }
          : {}),
      })
    }

    test('serves the fixture repository at its tags, with the go.sum lines the server reported', async () => {
      expect(server.git?.modulePrefix).toBe('127.0.0.1/private')
      expect(server.git?.modules[modulePath]).toEqual(['v1.0.0', 'v1.1.0'])
      const dir = await freshDir('git')
      const result = await runGo(['mod', 'download', '-json', `${modulePath}@v1.0.0`], {
        cwd: dir,
        env: await directEnv(dir, true, true),
      })
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      const sum = goSumFor(server.goSum, `${modulePath}@v1.0.0`).split('\n')[0]?.split(' ')[2]
      expect(result.stdout).toContain(`"Sum": "${sum}"`)
      const { Dir } = JSON.parse(result.stdout) as { Dir: string }
      const source = await readFile(path.join(Dir, 'gitmod.go'), 'utf8')
      expect(source).toContain('const Version = "v1.0.0"')
    }, 60_000)

    test('without the git credentials git fails with terminal prompts disabled', async () => {
      const dir = await freshDir('git-no-header')
      const result = await runGo(['mod', 'download', `${modulePath}@v1.0.0`], {
        cwd: dir,
        env: await directEnv(dir, true, false),
      })
      expect(result.code).toBe(1)
      expect(result.stderr).toContain('terminal prompts disabled')
    }, 60_000)

    test('without the netrc the go-get request fails with 401', async () => {
      const dir = await freshDir('git-no-netrc')
      const result = await runGo(['mod', 'download', `${modulePath}@v1.0.0`], {
        cwd: dir,
        env: await directEnv(dir, false, true),
      })
      expect(result.code).toBe(1)
      expect(result.stderr).toContain('401 Unauthorized')
    }, 60_000)
  })

  describe('seen by a plain HTTP client', () => {
    test('the proxy speaks the GOPROXY protocol, case-encoded paths included', async () => {
      const base = server.proxy('healthy').url
      expect(await get(`${base}/example.com/greet/@v/list`, { ca })).toMatchObject({
        status: 200,
        body: 'v1.0.0\nv1.1.0\n',
      })
      expect(JSON.parse((await get(`${base}/example.com/greet/@latest`, { ca })).body ?? '')).toEqual({
        Version: 'v1.1.0',
        Time: '2024-01-02T03:04:05Z',
      })
      expect((await get(`${base}/example.com/%21upper/@v/v1.0.0.mod`, { ca })).body).toBe(
        'module example.com/Upper\n\ngo 1.21\n',
      )
      const info = await get(`${base}/example.com/!upper/@v/v1.0.0.info`, { ca })
      expect(info.status).toBe(200)
      expect(info.headers?.['content-type']).toBe('application/json')
      expect((await get(`${base}/example.com/greet/@v/v1.0.0.zip`, { ca })).body?.startsWith('PK')).toBe(true)
      expect((await get(`${base}/example.com/greet/@v/v9.9.9.info`, { ca })).status).toBe(404)
      expect((await get(`${base}/example.com/Upper/@v/list`, { ca })).status).toBe(404)
      // Without credentials a proxy serves only modules outside the private prefixes.
      expect((await get(`${base}/corp.example/private/secret/@v/list`, { ca })).status).toBe(404)
    })

    test('the checksum database mirror is there only where configured', async () => {
      const supported = `/sumdb/${server.sumdb.name}/supported`
      expect((await get(`${server.proxy('healthy').url}${supported}`, { ca })).status).toBe(200)
      expect((await get(`${server.proxy('no-mirror').url}${supported}`, { ca })).status).toBe(404)
      const lookup = await get(
        `${server.proxy('healthy').url}/sumdb/${server.sumdb.name}/lookup/example.com/greet@v1.0.0`,
        {
          ca,
        },
      )
      expect(lookup.body).toContain(goSumFor(server.goSum, 'example.com/greet@v1.0.0'))
      expect((await get(`${server.sumdb.url}/latest`, { ca })).body).toMatch(/^go.sum database tree\n\d+\n/)
      expect((await get(`${server.sumdb.url}/lookup/corp.example/private/secret@v1.0.0`, { ca })).status).toBe(410)
      expect((await get(`${server.sumdb.url}/lookup/example.com/nothing@v1.0.0`, { ca })).status).toBe(404)
    })

    test('Basic auth answers 401 with WWW-Authenticate, or the configured 403 or 404', async () => {
      const listPath = '/corp.example/private/secret/@v/list'
      const missing = await get(`${server.proxy('private').url}${listPath}`, { ca })
      expect(missing.status).toBe(401)
      expect(missing.headers?.['www-authenticate']).toMatch(/^Basic /)
      const wrong = await get(`${server.proxy('private').url}${listPath}`, { ca, auth: `${proxyAuth.username}:wrong` })
      expect(wrong.status).toBe(401)
      const right = await get(`${server.proxy('private').url}${listPath}`, {
        ca,
        auth: `${proxyAuth.username}:${proxyAuth.password}`,
      })
      expect(right).toMatchObject({ status: 200, body: 'v1.0.0\n' })
      expect((await get(`${server.proxy('private-403').url}${listPath}`, { ca })).status).toBe(403)
      expect((await get(`${server.proxy('private-404').url}${listPath}`, { ca })).status).toBe(404)
      // modules: ['corp.example'] serves only that prefix, even with credentials.
      const credentials = `${proxyAuth.username}:${proxyAuth.password}`
      expect((await get(`${server.proxy('private-404').url}${listPath}`, { ca, auth: credentials })).status).toBe(200)
      const publicList = await get(`${server.proxy('private-404').url}/example.com/greet/@v/list`, {
        ca,
        auth: credentials,
      })
      expect(publicList.status).toBe(404)
    })

    test('fixed statuses come with a short text/plain body', async () => {
      expect(await get(`${server.proxy('not-found').url}/example.com/greet/@v/list`, { ca })).toMatchObject({
        status: 404,
      })
      expect(await get(`${server.proxy('gone').url}/example.com/greet/@v/list`, { ca })).toMatchObject({ status: 410 })
      const unavailable = await get(`${server.proxy('unavailable').url}/example.com/greet/@v/list`)
      expect(server.proxy('unavailable').url).toMatch(/^http:\/\//)
      expect(unavailable).toMatchObject({ status: 503, body: 'down for maintenance\n' })
      expect(unavailable.headers?.['content-type']).toBe('text/plain; charset=utf-8')
      expect(await get(`${server.proxy('rate-limited').url}/x`, { ca })).toMatchObject({
        status: 429,
        body: 'Too Many Requests\n',
      })
    })

    test('hang never answers; reset drops the connection; slow answers after its delay', async () => {
      const hang = await get(`${server.proxy('hang').url}/example.com/greet/@v/list`, { ca, timeoutMs: 700 })
      expect(hang.errorCode).toBe('TIMEOUT')
      expect(hang.ms).toBeGreaterThanOrEqual(650)
      expect((await get(`${server.proxy('reset').url}/example.com/greet/@v/list`, { ca })).errorCode).toBe('ECONNRESET')
      const slow = await get(`${server.proxy('slow').url}/example.com/greet/@v/list`, { ca })
      expect(slow.status).toBe(200)
      expect(slow.ms).toBeGreaterThanOrEqual(390)
    })

    test('certificate faults fail the TLS handshake, each with its own error', async () => {
      const list = '/example.com/greet/@v/list'
      expect((await get(`${server.proxy('healthy').url}${list}`)).errorCode).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE')
      expect((await get(`${server.proxy('self-signed').url}${list}`, { ca })).errorCode).toBe(
        'DEPTH_ZERO_SELF_SIGNED_CERT',
      )
      expect((await get(`${server.proxy('wrong-host').url}${list}`, { ca })).errorCode).toBe(
        'ERR_TLS_CERT_ALTNAME_INVALID',
      )
      expect((await get(`${server.proxy('expired').url}${list}`, { ca })).errorCode).toBe('CERT_HAS_EXPIRED')
    })

    test('the refused port refuses connections', async () => {
      expect((await get(`${server.refused.url}/`)).errorCode).toBe('ECONNREFUSED')
    })

    test('the git server wants credentials for go-get too, and answers it with the go-import tag', async () => {
      const goGet = `${server.git?.url}/private/gitmod?go-get=1`
      const anonymous = await get(goGet, { ca })
      expect(anonymous.status).toBe(401)
      expect(anonymous.headers?.['www-authenticate']).toMatch(/^Basic /)
      const authorised = await get(goGet, { ca, auth: `${gitAuth.username}:${gitAuth.password}` })
      expect(authorised.body).toContain(
        '<meta name="go-import" content="127.0.0.1/private/gitmod git https://127.0.0.1/private/gitmod.git">',
      )
    })
  })
})

describe('startup and stop', () => {
  test('an invalid config is refused with the reason', async () => {
    await expect(startTestServer({ proxies: [{ name: 'x', behavior: 'status' }] })).rejects.toThrow(
      'proxy "x": behavior status needs status between 100 and 599',
    )
    await expect(
      startTestServer({ proxies: [{ name: 'x', tamperedZips: ['example.com/nope@v1.0.0'] }] }),
    ).rejects.toThrow('tamperedZips: "example.com/nope@v1.0.0" is not a fixture module@version')
  })
  test('a whole server set starts (its start-up time printed, not asserted), and stop closes hung requests', async () => {
    const started = Date.now()
    const server = await startTestServer({
      proxies: [
        { name: 'healthy', sumdb: true },
        { name: 'private', auth: { username: 'u', password: 'p' } },
        { name: 'hang', behavior: 'hang' },
        { name: 'expired', tls: 'expired' },
      ],
      // Another loopback address: the server set above already holds 127.0.0.1:443.
      git: { username: 'u', password: 'p', host: '127.0.0.2' },
    })
    const wallMs = Date.now() - started
    try {
      console.log(`testserver startup: ${wallMs} ms from spawn to ready (${server.startupMs} ms inside the server)`)
      expect(server.git?.modules['127.0.0.2/private/gitmod']).toEqual(['v1.0.0', 'v1.1.0'])
    } finally {
      const hung = get(`${server.proxy('hang').url}/x`, { ca: await readFile(server.caFile), timeoutMs: 10_000 })
      await new Promise((resolve) => setTimeout(resolve, 100))
      await server.stop()
      const reply = await hung
      expect(reply.errorCode).toBe('ECONNRESET')
      expect(reply.ms).toBeLessThan(5000)
    }
    expect((await get(`${server.proxy('healthy').url}/`)).errorCode).toBe('ECONNREFUSED')
  }, 30_000)
})
