import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import tls from 'node:tls'
import { pathToFileURL } from 'node:url'
import { probeFile, probeFileProxy } from '../../../src/probe/file-probe.js'
import { goTrustedCertificates } from '../../../src/probe/trust.js'

let dir: string
// Two real roots from Node's bundle stand in for a private CA bundle.
const [first = '', second = ''] = tls.rootCertificates

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'probe-disk-'))
  await writeFile(path.join(dir, 'bundle.pem'), `${first}\n`)
  await mkdir(path.join(dir, 'certs'))
  await writeFile(path.join(dir, 'certs', 'extra.pem'), `junk\n${second}\n`)
  await mkdir(path.join(dir, 'proxy', 'example.com', '!upper', '@v'), { recursive: true })
  await writeFile(path.join(dir, 'proxy', 'example.com', '!upper', '@v', 'list'), 'v1.0.0\n')
  await writeFile(path.join(dir, 'proxy', 'example.com', '!upper', '@v', 'v1.0.0.info'), '{}')
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('goTrustedCertificates: what Go trusts on Linux', () => {
  test('SSL_CERT_FILE replaces the bundle files, SSL_CERT_DIR the directories', () => {
    const roots = goTrustedCertificates(
      { SSL_CERT_FILE: path.join(dir, 'bundle.pem'), SSL_CERT_DIR: path.join(dir, 'certs') },
      'linux',
    )
    expect(roots).toEqual([first.trim(), second.trim()])
  })

  test('SSL_CERT_DIR holds a colon-separated list', () => {
    const roots = goTrustedCertificates(
      {
        SSL_CERT_FILE: path.join(dir, 'missing.pem'),
        SSL_CERT_DIR: `${path.join(dir, 'nope')}:${path.join(dir, 'certs')}`,
      },
      'linux',
    )
    expect(roots).toEqual([second.trim()])
  })

  test('nothing readable: Node’s bundled roots stand in', () => {
    const roots = goTrustedCertificates(
      { SSL_CERT_FILE: path.join(dir, 'missing.pem'), SSL_CERT_DIR: path.join(dir, 'nope') },
      'linux',
    )
    expect(roots.length).toBe(tls.rootCertificates.length)
  })

  test('macOS and Windows ignore both variables, as Go does', () => {
    const roots = goTrustedCertificates({ SSL_CERT_FILE: path.join(dir, 'bundle.pem') }, 'darwin')
    expect(roots.length).toBeGreaterThanOrEqual(tls.rootCertificates.length)
  })
})

describe('file:// proxies', () => {
  const base = (): string => pathToFileURL(path.join(dir, 'proxy')).href

  test('a present module: 200, found under its case-encoded path', async () => {
    expect(await probeFileProxy(base(), { path: 'example.com/Upper' })).toMatchObject({ stage: 'ok', status: 200 })
    expect(await probeFileProxy(base(), { path: 'example.com/Upper', version: 'v1.0.0' })).toMatchObject({
      status: 200,
    })
  })

  test('a missing module: 404, which Go falls through on', async () => {
    expect(await probeFileProxy(base(), { path: 'example.com/other' })).toMatchObject({
      stage: 'ok',
      status: 404,
      statusClass: 'not-found',
    })
  })

  test('a missing directory: the file stage, 404', async () => {
    const outcome = await probeFileProxy(pathToFileURL(path.join(dir, 'gone')).href, { path: 'example.com/Upper' })
    expect(outcome).toMatchObject({ stage: 'file', status: 404 })
    expect(outcome.error).toContain('does not exist')
  })

  test('a file where the directory should be', async () => {
    const outcome = await probeFileProxy(pathToFileURL(path.join(dir, 'bundle.pem')).href, undefined)
    expect(outcome).toMatchObject({ stage: 'file', error: expect.stringContaining('is not a directory') })
  })

  test('a sumdb `supported` file', async () => {
    expect(await probeFile(`${base()}/sumdb/sum.golang.org/supported`)).toMatchObject({ status: 404 })
  })
})
