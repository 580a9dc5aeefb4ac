import { lookup } from 'node:dns/promises'
import net from 'node:net'
import tls from 'node:tls'
import type { buildConnector } from 'undici'
import type { ConnectionStage, StageTimings } from './types.js'

/** What one probe's connections went through; filled in by the connector, read by the probe. */
export interface ConnectionRecorder {
  /** the stage running now */
  stage: ConnectionStage
  /** the stage an error came from, set before the error is handed to undici */
  failedStage?: ConnectionStage
  timings: Omit<StageTimings, 'totalMs'>
  /** sockets to destroy when the probe gives up */
  sockets: net.Socket[]
  /** when the last connection was handed to undici, so request time excludes connecting */
  connectedAt?: number
}

export function newRecorder(): ConnectionRecorder {
  return { stage: 'dns', timings: {}, sockets: [] }
}

function add(recorder: ConnectionRecorder, key: keyof ConnectionRecorder['timings'], ms: number): void {
  recorder.timings[key] = Math.round(((recorder.timings[key] ?? 0) + ms) * 10) / 10
}

function waitFor(socket: net.Socket, event: string, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      socket.off(event, onDone)
      socket.off('error', onError)
      signal.removeEventListener('abort', onAbort)
    }
    const onDone = (): void => {
      cleanup()
      resolve()
    }
    const onError = (error: Error): void => {
      cleanup()
      reject(error)
    }
    const onAbort = (): void => {
      cleanup()
      reject(new Error('aborted'))
    }
    if (signal.aborted) return onAbort()
    socket.once(event, onDone)
    socket.once('error', onError)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(new Error('aborted'))
    if (signal.aborted) return onAbort()
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      },
    )
  })
}

/**
 * An undici connector that does DNS, TCP and TLS one after the other itself, so each stage gets its own timing and
 * a failure is pinned to the stage it happened in (undici's own connector reports only the end result).
 */
export type HostLookup = (hostname: string) => Promise<{ address: string }>

export function timedConnector(
  recorder: ConnectionRecorder,
  secureContext: tls.SecureContext,
  signal: AbortSignal,
  resolve: HostLookup = (hostname) => lookup(hostname),
): buildConnector.connector {
  return (options, callback) => {
    const connect = async (): Promise<net.Socket> => {
      const host = options.hostname.replace(/^\[|\]$/g, '')
      const port = Number(options.port || (options.protocol === 'https:' ? 443 : 80))

      recorder.stage = 'dns'
      let started = performance.now()
      const address = net.isIP(host) !== 0 ? host : (await abortable(resolve(host), signal)).address
      add(recorder, 'dnsMs', performance.now() - started)

      recorder.stage = 'tcp'
      started = performance.now()
      const socket = net.connect({ host: address, port })
      recorder.sockets.push(socket)
      await waitFor(socket, 'connect', signal)
      add(recorder, 'tcpMs', performance.now() - started)

      if (options.protocol !== 'https:') {
        recorder.stage = 'http'
        return socket
      }
      recorder.stage = 'tls'
      started = performance.now()
      const secure = tls.connect({
        socket,
        host,
        // SNI carries names only; an IP address is still checked against the certificate's IP SANs.
        servername: net.isIP(host) !== 0 ? undefined : (options.servername ?? host),
        secureContext,
        ALPNProtocols: ['http/1.1'],
      })
      recorder.sockets.push(secure)
      await waitFor(secure, 'secureConnect', signal)
      add(recorder, 'tlsMs', performance.now() - started)
      recorder.stage = 'http'
      return secure
    }
    connect().then(
      (socket) => {
        recorder.connectedAt = performance.now()
        callback(null, socket)
      },
      (error: unknown) => {
        recorder.failedStage = recorder.stage
        // Errors from Node may come from another realm (test sandboxes): keep the object, with its `code`, as it is.
        callback(isErrorLike(error) ? (error as Error) : new Error(String(error)), null)
      },
    )
  }
}

function isErrorLike(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'message' in value
}

export { add as addTiming }
