import { randomBytes } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A GitHub Actions cache service (v2) on 127.0.0.1, for driving the real @actions/cache library in tests:
 * the three Twirp calls of `github.actions.results.api.v1.CacheService` (JSON, proto field names, int64 as strings)
 * and an Azure-blob-shaped upload/download endpoint at `/devstoreaccount1/<container>/<blob>`, which is the path form
 * the Azure SDK insists on for IP hosts.
 */

/** How the service misbehaves, for fault tests. */
export type CacheServiceMode =
  | 'normal'
  /** every call, Twirp and blob, answers 500 */
  | 'fail-500'
  /** every call is accepted and never answered */
  | 'hang'
  /** every Twirp call answers 429 with Retry-After */
  | 'rate-limit'
  /** CreateCacheEntry answers that the repository's cache storage is used up */
  | 'quota'
  /** CreateCacheEntry refuses with `cache write denied: …` (a read-only token, e.g. a fork's pull request) */
  | 'write-denied'
  /** blob downloads answer 403, as an expired signature does */
  | 'download-403'

export interface CacheServiceOptions {
  mode?: CacheServiceMode
  /** seconds sent in Retry-After in `rate-limit` mode */
  retryAfterSeconds?: number
}

export interface CacheEntry {
  id: number
  key: string
  version: string
  sizeBytes: number
  /** the archive as uploaded */
  data: Buffer
  /** order of finalization: larger is newer */
  sequence: number
}

export interface RecordedRequest {
  method: string
  /** path without the query */
  path: string
  query: string
  /** `CreateCacheEntry`, `FinalizeCacheEntryUpload`, `GetCacheEntryDownloadURL`, or undefined for blob traffic */
  twirp?: string
  /** the parsed JSON body of a Twirp call */
  body?: Record<string, unknown>
  /** bytes received */
  bytes: number
  status: number
}

export interface CacheService {
  /** base URL with a trailing slash, as ACTIONS_RESULTS_URL holds it */
  url: string
  /** what a client needs: v2 on, the results URL, the runtime token (GITHUB_SERVER_URL must stay unset) */
  env: Record<'ACTIONS_CACHE_SERVICE_V2' | 'ACTIONS_RESULTS_URL' | 'ACTIONS_RUNTIME_TOKEN', string>
  /** finalized entries, oldest first */
  entries(): CacheEntry[]
  requests: RecordedRequest[]
  setMode(mode: CacheServiceMode): void
  close(): Promise<void>
}

const TWIRP_PREFIX = '/twirp/github.actions.results.api.v1.CacheService/'
const CONTAINER = 'actions-cache'
const BLOB_PATH = /^\/devstoreaccount1\/([^/]+)\/([^/]+)$/

interface PendingEntry {
  id: number
  key: string
  version: string
  blob?: Buffer
  blocks: Map<string, Buffer>
}

class TwirpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

export async function startCacheService(options: CacheServiceOptions = {}): Promise<CacheService> {
  let mode: CacheServiceMode = options.mode ?? 'normal'
  const retryAfter = options.retryAfterSeconds ?? 60
  const token = randomBytes(16).toString('hex')
  const signature = randomBytes(16).toString('hex')
  const finalized: CacheEntry[] = []
  const pending = new Map<number, PendingEntry>()
  const requests: RecordedRequest[] = []
  let nextId = 1
  let sequence = 0
  let baseUrl = ''

  const blobUrl = (id: number, permissions: string): string =>
    `${baseUrl}devstoreaccount1/${CONTAINER}/${id}?sv=2025-01-05&sp=${permissions}&se=2099-01-01T00%3A00%3A00Z&sig=${signature}`

  const twirpCalls: Record<string, (body: Record<string, unknown>) => Record<string, unknown>> = {
    CreateCacheEntry(body) {
      const { key, version } = keyAndVersion(body)
      if (mode === 'quota') throw new TwirpError(429, 'resource_exhausted', 'insufficient usage to create cache entry')
      if (mode === 'write-denied') {
        return { ok: false, signed_upload_url: '', message: 'cache write denied: token has no writable scopes' }
      }
      const taken = finalized.some((e) => e.key === key && e.version === version)
      const reserved = [...pending.values()].some((e) => e.key === key && e.version === version)
      if (taken || reserved) {
        throw new TwirpError(409, 'already_exists', 'cache entry with the same key, version, and scope already exists')
      }
      const id = nextId++
      pending.set(id, { id, key, version, blocks: new Map() })
      return { ok: true, signed_upload_url: blobUrl(id, 'cw'), message: '' }
    },
    FinalizeCacheEntryUpload(body) {
      const { key, version } = keyAndVersion(body)
      const entry = [...pending.values()].find((e) => e.key === key && e.version === version)
      if (entry === undefined)
        throw new TwirpError(404, 'not_found', 'no cache entry is being uploaded for this key and version')
      const size = Number(body['size_bytes'])
      if (entry.blob === undefined || entry.blob.length !== size) {
        return {
          ok: false,
          entry_id: '0',
          message: `uploaded ${entry.blob?.length ?? 0} bytes, size_bytes says ${size}`,
        }
      }
      pending.delete(entry.id)
      finalized.push({ id: entry.id, key, version, sizeBytes: size, data: entry.blob, sequence: ++sequence })
      return { ok: true, entry_id: String(entry.id), message: '' }
    },
    GetCacheEntryDownloadURL(body) {
      const { key, version } = keyAndVersion(body)
      const restoreKeys = Array.isArray(body['restore_keys']) ? (body['restore_keys'] as unknown[]).map(String) : []
      const sameVersion = finalized.filter((e) => e.version === version).sort((a, b) => b.sequence - a.sequence)
      const match =
        sameVersion.find((e) => e.key === key) ??
        restoreKeys.map((prefix) => sameVersion.find((e) => e.key.startsWith(prefix))).find((e) => e !== undefined)
      if (match === undefined) return { ok: false, signed_download_url: '', matched_key: '' }
      return { ok: true, signed_download_url: blobUrl(match.id, 'r'), matched_key: match.key }
    },
  }

  const handle = async (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    record: RecordedRequest,
  ): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const body = await readBody(req)
    record.bytes = body.length
    if (mode === 'hang') return // never answered; close() ends the connection
    if (mode === 'fail-500') return send(res, record, 500, twirpErrorBody('internal', 'injected fault: internal error'))

    if (url.pathname.startsWith(TWIRP_PREFIX)) {
      const method = url.pathname.slice(TWIRP_PREFIX.length)
      if (req.method !== 'POST') return send(res, record, 405, twirpErrorBody('bad_route', 'Twirp needs POST'))
      if (req.headers.authorization !== `Bearer ${token}`) {
        return send(res, record, 401, twirpErrorBody('unauthenticated', 'missing or wrong runtime token'))
      }
      if (mode === 'rate-limit') {
        res.setHeader('Retry-After', String(retryAfter))
        return send(res, record, 429, twirpErrorBody('resource_exhausted', 'too many requests for this repository'))
      }
      const call = twirpCalls[method]
      if (call === undefined) return send(res, record, 404, twirpErrorBody('bad_route', `no method ${method}`))
      let parsed: Record<string, unknown>
      try {
        parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>
      } catch {
        return send(res, record, 400, twirpErrorBody('malformed', 'the body is not JSON'))
      }
      record.body = parsed
      try {
        return send(res, record, 200, JSON.stringify(call(parsed)), 'application/json')
      } catch (error) {
        if (error instanceof TwirpError)
          return send(res, record, error.status, twirpErrorBody(error.code, error.message))
        throw error
      }
    }

    const blob = BLOB_PATH.exec(url.pathname)
    if (blob !== null) return handleBlob(req, res, record, url, Number(blob[2]), body)
    send(res, record, 404, 'not found')
  }

  const handleBlob = (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    record: RecordedRequest,
    url: URL,
    id: number,
    body: Buffer,
  ): void => {
    if (url.searchParams.get('sig') !== signature) return sendAzureError(res, record, 403, 'AuthenticationFailed')
    if (req.method === 'PUT') {
      const entry = pending.get(id)
      if (entry === undefined || !url.searchParams.get('sp')?.includes('w')) {
        return sendAzureError(res, record, 403, 'AuthorizationPermissionMismatch')
      }
      const comp = url.searchParams.get('comp')
      if (comp === 'block') {
        entry.blocks.set(url.searchParams.get('blockid') ?? '', body)
      } else if (comp === 'blocklist') {
        // <BlockList><Latest>id</Latest>…</BlockList>: the blob is the listed blocks in order
        const ids = [...body.toString('utf8').matchAll(/<(?:Latest|Uncommitted|Committed)>([^<]*)<\//g)].map(
          (m) => m[1] ?? '',
        )
        const parts = ids.map((blockId) => entry.blocks.get(blockId))
        if (parts.some((part) => part === undefined)) return sendAzureError(res, record, 400, 'InvalidBlockList')
        entry.blob = Buffer.concat(parts as Buffer[])
        entry.blocks.clear()
      } else if (comp === null) {
        if (req.headers['x-ms-blob-type'] !== 'BlockBlob')
          return sendAzureError(res, record, 400, 'MissingRequiredHeader')
        entry.blob = body
      } else {
        return sendAzureError(res, record, 400, 'UnsupportedQueryParameter')
      }
      res.setHeader('ETag', `"0x${(++sequence).toString(16)}"`)
      res.setHeader('Last-Modified', new Date().toUTCString())
      res.setHeader('x-ms-request-server-encrypted', 'true')
      return send(res, record, 201, '')
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      if (mode === 'download-403') return sendAzureError(res, record, 403, 'AuthenticationFailed')
      const entry = finalized.find((e) => e.id === id)
      if (entry === undefined || !url.searchParams.get('sp')?.includes('r'))
        return sendAzureError(res, record, 404, 'BlobNotFound')
      res.setHeader('Content-Type', 'application/octet-stream')
      res.setHeader('Content-Length', String(entry.data.length))
      record.status = 200
      res.writeHead(200)
      res.end(req.method === 'GET' ? entry.data : undefined)
      return
    }
    sendAzureError(res, record, 405, 'UnsupportedHttpVerb')
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const record: RecordedRequest = {
      method: req.method ?? '',
      path: url.pathname,
      query: url.search,
      bytes: 0,
      status: 0,
    }
    if (url.pathname.startsWith(TWIRP_PREFIX)) record.twirp = url.pathname.slice(TWIRP_PREFIX.length)
    requests.push(record)
    handle(req, res, record).catch((error: unknown) => {
      send(res, record, 500, twirpErrorBody('internal', error instanceof Error ? error.message : String(error)))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`

  return {
    url: baseUrl,
    env: { ACTIONS_CACHE_SERVICE_V2: 'true', ACTIONS_RESULTS_URL: baseUrl, ACTIONS_RUNTIME_TOKEN: token },
    entries: () => [...finalized].sort((a, b) => a.sequence - b.sequence),
    requests,
    setMode: (next) => {
      mode = next
    },
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

function keyAndVersion(body: Record<string, unknown>): { key: string; version: string } {
  const key = body['key']
  const version = body['version']
  if (typeof key !== 'string' || key === '' || typeof version !== 'string' || version === '') {
    throw new TwirpError(400, 'invalid_argument', 'key and version are required')
  }
  return { key, version }
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function send(
  res: http.ServerResponse,
  record: RecordedRequest,
  status: number,
  body: string,
  type = 'application/json',
): void {
  record.status = status
  if (res.headersSent || res.destroyed) return
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) })
  res.end(body)
}

function twirpErrorBody(code: string, msg: string): string {
  return JSON.stringify({ code, msg })
}

function sendAzureError(res: http.ServerResponse, record: RecordedRequest, status: number, code: string): void {
  res.setHeader('x-ms-error-code', code)
  const body = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`
  send(res, record, status, body, 'application/xml')
}
