import { AsyncLocalStorage } from 'node:async_hooks'
import diagnosticsChannel from 'node:diagnostics_channel'
import type { ClientRequest, IncomingMessage } from 'node:http'
import * as cache from '@actions/cache'
import type { CacheStore } from './store.js'

/** A cache operation that did not complete: the service failed, refused, or did not answer. One line. */
export class CacheServiceError extends Error {
  override readonly name = 'CacheServiceError'
}

export interface ActionsCacheStoreOptions {
  /** a whole restore or save is abandoned after this long */
  timeoutMs?: number
  /** a call to the cache service (Twirp) unanswered for this long is abandoned; it carries no bulk data */
  callTimeoutMs?: number
}

const DEFAULT_TIMEOUT_MS = 10 * 60_000
const DEFAULT_CALL_TIMEOUT_MS = 30_000
/** after an abandoned operation, how long to let the library unwind (delete its archive, stop its tar) */
const UNWIND_MS = 15_000

/**
 * The GitHub Actions cache through @actions/cache. Operations may run at the same time.
 *
 * The library never throws for a service failure: it logs a warning or an error annotation and reports a miss
 * (`undefined`) or `-1`. This store listens to what it logs during the call, keeps those lines out of the job's
 * annotations, and turns a failure into a CacheServiceError with a one-line reason, so the caller can tell a miss
 * from an outage and say why. A plain miss stays `undefined`; an entry another job saved first stays `-1`.
 *
 * The library also waits minutes on a service that accepts connections and never answers (five attempts of a
 * three-minute socket timeout per call). The store abandons such calls itself, by destroying the library's HTTP
 * requests, which the library then handles as a network error: nothing keeps running behind the caller's back.
 */
export function createActionsCacheStore(options: ActionsCacheStoreOptions = {}): CacheStore {
  const limits = {
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    callTimeoutMs: options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
  }
  return {
    available: () => cache.isFeatureAvailable(),
    restore: async (paths, primaryKey, restoreKeys) => {
      const outcome = await supervise(() => cache.restoreCache(paths, primaryKey, restoreKeys), limits)
      if (outcome.value !== undefined) return outcome.value
      const problem = outcome.timeout ?? restoreFailure(outcome.log)
      if (problem !== undefined) throw new CacheServiceError(problem)
      return undefined
    },
    save: async (paths, key) => {
      const outcome = await supervise(() => cache.saveCache(paths, key), limits)
      if (outcome.value !== undefined && outcome.value !== -1) return outcome.value
      if (outcome.timeout !== undefined) throw new CacheServiceError(outcome.timeout)
      if (outcome.log.reserveDetail?.includes('(409)')) return -1 // another job saved this key first: normal
      const problem = saveFailure(outcome.log)
      if (problem !== undefined) throw new CacheServiceError(problem)
      return -1
    },
  }
}

/** What the library said while it ran. */
interface LibraryLog {
  /** warnings, errors and `Failed to …` lines, unescaped, in order */
  problems: string[]
  /** the cause of a refused reservation, which the library logs only at debug level */
  reserveDetail?: string
  /** archive uploads or downloads the storage refused (the library reports only what failed next, e.g. tar) */
  transferRefusals: string[]
}

interface Outcome<T> {
  value?: T
  log: LibraryLog
  /** why the operation was abandoned, if it was */
  timeout?: string
}

/**
 * The operation whose code is running: the library writes its log lines and starts its requests inside the async
 * context of the call that asked, so two operations at once (the module and the build cache restored together) each
 * get their own lines and their own requests.
 */
const currentOperation = new AsyncLocalStorage<LibraryLog>()

async function supervise<T>(run: () => Promise<T>, limits: Required<ActionsCacheStoreOptions>): Promise<Outcome<T>> {
  const log: LibraryLog = { problems: [], transferRefusals: [] }
  let timeout: string | undefined
  const requests = new RequestWatch(log, limits.callTimeoutMs, (request) => {
    timeout ??= `the cache service did not answer within ${seconds(limits.callTimeoutMs)}`
    abandon(request)
  })
  const stopCapture = captureLibraryLog(log)
  let deadline: NodeJS.Timeout | undefined
  try {
    const operation = currentOperation.run(log, run)
    const expired = new Promise<'expired'>((resolve) => {
      deadline = setTimeout(() => resolve('expired'), limits.timeoutMs)
    })
    const first = await Promise.race([operation, expired])
    if (first !== 'expired') return { value: first as T, log, timeout }
    timeout = `the cache operation did not finish within ${seconds(limits.timeoutMs)}`
    requests.abandonAll()
    // Abandoning ends its HTTP requests at once, but a tar already running is let finish: its result still counts.
    const settled = await Promise.race([
      operation.then(
        (value) => ({ value }),
        () => ({ value: undefined }),
      ),
      delay(UNWIND_MS),
    ])
    if (settled === false) operation.catch(() => undefined)
    return { value: settled === false ? undefined : settled.value, log, timeout }
  } finally {
    clearTimeout(deadline)
    requests.stop()
    stopCapture()
  }
}

/**
 * Watches every HTTP request started while a cache operation runs (the library's and the Azure SDK's both go through
 * node:http). Twirp calls that stay unanswered too long are handed to `onStall`; refused archive transfers are noted;
 * after `abandonAll`, every request in flight and every new one (the library retries) is destroyed at once.
 */
class RequestWatch {
  private readonly inFlight = new Set<ClientRequest>()
  private abandoned = false
  private readonly listener = (message: unknown): void => {
    const request = (message as { request?: ClientRequest }).request
    // a request of another operation running at the same time is that operation's to watch
    const owner = currentOperation.getStore()
    if (request !== undefined && (owner === undefined || owner === this.log)) this.track(request)
  }

  constructor(
    private readonly log: LibraryLog,
    private readonly callTimeoutMs: number,
    private readonly onStall: (request: ClientRequest) => void,
  ) {
    diagnosticsChannel.subscribe('http.client.request.start', this.listener)
  }

  private track(request: ClientRequest): void {
    if (this.abandoned) {
      process.nextTick(() => abandon(request))
      return
    }
    this.inFlight.add(request)
    const isServiceCall = request.path.includes('/twirp/')
    const timer = isServiceCall ? setTimeout(() => this.onStall(request), this.callTimeoutMs) : undefined
    const done = (): void => {
      clearTimeout(timer)
      this.inFlight.delete(request)
    }
    request.once('response', (response: IncomingMessage) => {
      clearTimeout(timer)
      const status = response.statusCode ?? 0
      if (!isServiceCall && status >= 400) {
        const transfer = request.method === 'GET' || request.method === 'HEAD' ? 'download' : 'upload'
        this.log.transferRefusals.push(
          `the cache archive ${transfer} was answered ${status} ${response.statusMessage ?? ''}`.trim(),
        )
      }
    })
    request.once('close', done)
  }

  abandonAll(): void {
    this.abandoned = true
    for (const request of this.inFlight) abandon(request)
  }

  stop(): void {
    diagnosticsChannel.unsubscribe('http.client.request.start', this.listener)
  }
}

function abandon(request: ClientRequest): void {
  // ETIMEDOUT is one of the codes the library treats as a network error: reported at once, not retried
  request.destroy(Object.assign(new Error('abandoned by goproxy-guard: no answer in time'), { code: 'ETIMEDOUT' }))
}

/** The logs of the operations running now; stdout is patched while there is at least one. */
const activeLogs = new Set<LibraryLog>()
let unpatchedWrite: typeof process.stdout.write | undefined

/**
 * Intercepts what @actions/core writes for the library (workflow commands on stdout). Warnings, error annotations
 * and `Failed to …` lines are kept for the reason and turned into debug lines; everything else (progress lines,
 * `::add-mask::` for signed URLs) passes through untouched.
 */
function captureLibraryLog(log: LibraryLog): () => void {
  activeLogs.add(log)
  if (unpatchedWrite === undefined) {
    const stdout = process.stdout
    const original = stdout.write
    unpatchedWrite = original
    const write = original.bind(stdout) as (chunk: string | Uint8Array, ...rest: unknown[]) => boolean
    stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')
      let changed = false
      const lines = text.split('\n').map((line) => {
        const cr = line.endsWith('\r') ? '\r' : ''
        const replacement = holdBack(cr === '' ? line : line.slice(0, -1))
        if (replacement === undefined) return line
        changed = true
        return replacement + cr
      })
      return changed ? write(lines.join('\n'), ...rest) : write(chunk, ...rest)
    }) as typeof stdout.write
  }
  return () => {
    activeLogs.delete(log)
    if (activeLogs.size === 0 && unpatchedWrite !== undefined) {
      process.stdout.write = unpatchedWrite
      unpatchedWrite = undefined
    }
  }
}

/**
 * Records a line that explains a failure and returns the debug line that replaces it; undefined keeps the line. The
 * line belongs to the operation whose context wrote it (or, written from outside any, to every operation running).
 */
function holdBack(line: string): string | undefined {
  const owner = currentOperation.getStore()
  const logs = owner === undefined ? [...activeLogs] : [owner]
  const debug = /^::debug::(.*)$/.exec(line)
  if (debug !== null) {
    const reserve = /^Failed to reserve cache: (?:Error: )?(.*)$/s.exec(unescapeCommandData(debug[1] ?? ''))
    if (reserve !== null) for (const log of logs) log.reserveDetail = firstLine(reserve[1] ?? '')
    return undefined
  }
  const command = /^::(?:warning|error)(?: [^:]*)?::(.*)$/.exec(line)
  if (command === null && !/^Failed to (?:save|restore):/.test(line)) return undefined
  const message = command === null ? line : unescapeCommandData(command[1] ?? '')
  for (const log of logs) log.problems.push(firstLine(message))
  return `::debug::@actions/cache: ${escapeCommandData(message)}`
}

function restoreFailure(log: LibraryLog): string | undefined {
  if (log.problems.length === 0) return undefined
  const problems = mainFailureFirst(log.problems).map((p) => p.replace(/^Failed to restore: /, ''))
  return joinReasons([...log.transferRefusals, ...problems])
}

function saveFailure(log: LibraryLog): string | undefined {
  if (log.problems.length === 0) return log.reserveDetail
  const problems = mainFailureFirst(log.problems).map((p) => p.replace(/^Failed to save: /, ''))
  // "another job may be creating this cache" is the library's guess for every refused reservation; the debug
  // line says what really happened
  const generic = problems.findIndex((p) => p.includes('another job may be creating this cache'))
  if (generic !== -1 && log.reserveDetail !== undefined) problems[generic] = log.reserveDetail
  return joinReasons([...log.transferRefusals, ...problems])
}

/** The library's `Failed to …` line says what failed; side remarks (the rate-limit reset time) follow it. */
function mainFailureFirst(problems: string[]): string[] {
  const isMain = (p: string): boolean => /^Failed to (?:save|restore):/.test(p)
  return [...problems.filter(isMain), ...problems.filter((p) => !isMain(p))]
}

function joinReasons(reasons: string[]): string {
  return [...new Set(reasons)].join('; ')
}

function escapeCommandData(data: string): string {
  return data.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

function unescapeCommandData(data: string): string {
  return data.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
}

function firstLine(text: string): string {
  return (text.split(/\r?\n/)[0] ?? '').trim()
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`
}

function delay(ms: number): Promise<false> {
  return new Promise((resolve) => setTimeout(() => resolve(false), ms).unref())
}
