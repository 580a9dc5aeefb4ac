/** How a listener speaks TLS. Every certificate but `self-signed` is signed by the server set's throwaway CA. */
export type TlsMode =
  | 'http' // plain HTTP
  | 'https' // leaf for 127.0.0.1 (IP SAN) and localhost
  | 'self-signed' // leaf for 127.0.0.1, signed by itself
  | 'wrong-host' // leaf for wrong-host.invalid only
  | 'expired' // leaf for 127.0.0.1 that expired yesterday

/** What a listener does with every request (after `delayMs`). */
export type Behavior =
  | 'healthy' // serve (subject to `auth`)
  | 'not-found' // 404 for everything
  | 'gone' // 410 for everything
  | 'status' // `status` with a text/plain `body`
  | 'hang' // read the request, never answer until the client goes away
  | 'hang-zip' // answer everything but `.zip` requests, which hang like `hang`
  | 'reset' // read the request, then close the TCP connection with an RST

export interface BasicAuthOptions {
  username: string
  password: string
  /** Answer for missing or wrong credentials (default 401, with `WWW-Authenticate: Basic`). */
  failStatus?: 401 | 403 | 404
}

export interface ListenerOptions {
  tls?: TlsMode // default 'https'
  behavior?: Behavior // default 'healthy'
  status?: number // for behavior 'status'
  body?: string // for behavior 'status'; default the status text
  delayMs?: number // wait this long before anything else ("slow")
  auth?: BasicAuthOptions
}

export interface ProxyOptions extends ListenerOptions {
  /** Key of this proxy in `TestServer.proxies`: letters, digits, `_`, `.`, `-`. */
  name: string
  /**
   * Module path prefixes (GOPRIVATE-style patterns) this proxy serves; everything else is 404. Default: every
   * fixture module when `auth` is set, else every module outside `privatePrefixes`.
   */
  modules?: string[]
  /** Mirror the checksum database at `/sumdb/<name>/…` (default false: 404, as many proxies do). */
  sumdb?: boolean
  /** `path@version`s whose .zip is served with different content (checksum mismatch). */
  tamperedZips?: string[]
}

export interface SumDbOptions extends ListenerOptions {
  /**
   * Checksum database name (default `localhost/test-sumdb`: where no proxy mirrors it, the go command goes to
   * https://localhost/test-sumdb — loopback, never DNS).
   */
  name?: string
}

export interface GitOptions {
  username: string
  password: string
  /** Loopback address to listen on; the module paths become `<host>/private/<name>` (default 127.0.0.1). */
  host?: string
  port?: number // default 443: module paths cannot carry a port
}

export interface TestServerConfig {
  proxies?: ProxyOptions[]
  sumdb?: SumDbOptions
  git?: GitOptions
  /** Module path prefixes the checksum database answers 410 for (default `['corp.example']`). */
  privatePrefixes?: string[]
  modulesDir?: string // default test/fixtures/modules
  gitFixturesDir?: string // default test/fixtures/git
  workDir?: string // default a temporary directory removed at stop
}

export interface Endpoint {
  url: string // e.g. https://127.0.0.1:41234
  host: string // 127.0.0.1:41234
  port: number
}

export interface SumDbEndpoint extends Endpoint {
  name: string
  /** Verifier key `<name>+<hash>+<key>`: as GOSUMDB, the go command finds the database through GOPROXY's /sumdb/. */
  key: string
  /** `<key> <url>`: as GOSUMDB, the go command talks to the database directly. */
  gosumdb: string
}

export interface GitEndpoint extends Endpoint {
  modulePrefix: string // e.g. 127.0.0.1/private
  modules: Record<string, string[]> // module path → tagged versions
}

export interface TestServerInfo {
  caFile: string
  workDir: string
  proxies: Record<string, Endpoint>
  sumdb: SumDbEndpoint
  git?: GitEndpoint
  /** A 127.0.0.1 port nothing listens on. */
  refused: Endpoint
  /** go.sum lines of every fixture module, git modules included. */
  goSum: string[]
  /** Milliseconds from the server's start to its JSON line. */
  startupMs: number
}

export interface TestServer extends TestServerInfo {
  /** The endpoint of a configured proxy; throws for an unknown name. */
  proxy(name: string): Endpoint
  /** Stops every listener (hung requests included) and waits for the process to exit. */
  stop(): Promise<void>
}
