import type {
  Credential,
  GoauthSetting,
  GoproxySetting,
  GosumdbSetting,
  PatternSetting,
  ProxyEntry,
} from '../settings/types.js'

/**
 * Where a probe stopped. `ok` means an HTTP response arrived and its body was read, whatever the status; the
 * status then says what Go makes of it. `timeout` records the stage that was running in `timedOutDuring`.
 */
export type ProbeStage = 'ok' | 'config' | 'file' | 'dns' | 'tcp' | 'proxy' | 'tls' | 'http' | 'body' | 'timeout'

/** The stages a connection goes through, in order; a timeout names one of them. */
export type ConnectionStage = 'dns' | 'tcp' | 'proxy' | 'tls' | 'http' | 'body'

/** What a TLS failure was about, in the words people search for. */
export type TlsProblem = 'expired' | 'unknown-authority' | 'wrong-host' | 'handshake'

/**
 * How Go reads an HTTP status: 200 is success; 404/410 mean "not here" (the only errors `,` falls through on);
 * 401/403/407 are authentication or policy; 429 is rate limiting; 5xx is a broken server.
 */
export type StatusClass = 'success' | 'not-found' | 'auth' | 'rate-limited' | 'server-error' | 'redirect' | 'other'

export interface StageTimings {
  dnsMs?: number
  tcpMs?: number
  /** CONNECT through an HTTP proxy from the environment */
  proxyMs?: number
  tlsMs?: number
  /** request sent → response headers */
  httpMs?: number
  bodyMs?: number
  totalMs: number
}

/** One request, as the go command would make it. */
export interface ProbeRequest {
  /** full URL without userinfo */
  url: string
  /** credentials Go could send; the probe picks the one Go would (https only, host:port then host), per redirect hop */
  credentials: readonly Credential[]
  timeoutMs: number
}

/** The result of one request (or one file-system check for a file:// proxy). */
export interface ProbeOutcome {
  /** the URL asked, without userinfo */
  url: string
  stage: ProbeStage
  /** the stage that was running when the time ran out */
  timedOutDuring?: ConnectionStage
  tlsProblem?: TlsProblem
  status?: number
  statusClass?: StatusClass
  /** the first lines of a text/plain error body, as Go appends them after `server response:` */
  serverMessage?: string
  /** the low-level error, without userinfo */
  error?: string
  /** whether an Authorization header was sent */
  authSent: boolean
  timings: StageTimings
}

/** Sends one probe. The real one uses undici with a timed connector; tests may pass their own. */
export type HttpProbe = (request: ProbeRequest) => Promise<ProbeOutcome>

/** The module a probe asks for: a path, optionally with a version (`path@version` asks for `.info`). */
export interface ProbeModule {
  path: string
  version?: string
}

export interface ProbeInput {
  /** effective GOPROXY entries (Go's default `https://proxy.golang.org,direct` when the user gave none) */
  goproxy: ProxyEntry[]
  /** undefined → Go's default, sum.golang.org */
  gosumdb?: GosumdbSetting
  /** the default for gonoproxy and gonosumdb when those are unset, as in Go */
  goprivate?: PatternSetting
  gonoproxy?: PatternSetting
  gonosumdb?: PatternSetting
  /** the netrc credentials; sent only when GOAUTH (default `netrc`) includes netrc, as Go would */
  credentials: Credential[]
  goauth?: GoauthSetting
  /** `path` or `path@version`: the first requirement not matched by GONOPROXY */
  publicModule?: string
  /** `path` or `path@version`: a private requirement, to check the route Go takes for it */
  privateModule?: string
  timeoutMs: number
  selectFastest?: boolean
  /** latency samples per proxy when selectFastest is on (default 3) */
  samples?: number
  /** PEM certificates to trust besides what Go trusts */
  extraCaCertificates?: string[]
  /** the environment Go runs with: SSL_CERT_FILE, SSL_CERT_DIR, HTTPS_PROXY, HTTP_PROXY, NO_PROXY */
  env?: Readonly<Record<string, string | undefined>>
  /** injected request function (tests); default: the undici probe */
  http?: HttpProbe
}

/** What one GOPROXY entry answered. */
export interface EntryProbe {
  /** index in ProbeInput.goproxy */
  index: number
  entry: ProxyEntry
  /** the entry as shown to people: URL without userinfo, or `direct` / `off` */
  label: string
  /** not probed, and why (direct, off) */
  skipped?: string
  /** the answer for the public module (or, with no module known, for the checksum-database `supported` endpoint) */
  publicModule?: ProbeOutcome
  /** the answer for the private module, when it goes through the proxies */
  privateModule?: ProbeOutcome
  /** `<proxy>/sumdb/<name>/supported` */
  sumdbSupported?: ProbeOutcome
  /** latency samples, when select-fastest asked for them */
  latencySamplesMs?: number[]
}

/** How the checksum database is reached, following Go's rules. */
export interface SumdbRoute {
  /** `proxy`: through GOPROXY entry `viaEntry`; `direct`: https://<name>; `url`: the explicit GOSUMDB URL */
  via: 'proxy' | 'direct' | 'url'
  viaEntry?: number
  /** base URL the client will use, without userinfo */
  baseUrl: string
}

export interface SumdbProbe {
  /** database name, e.g. sum.golang.org */
  name: string
  off: boolean
  /** not probed because Go will not use it, and why */
  skipped?: string
  /** the route Go takes, or undefined when a proxy answered `supported` with an error Go does not fall through on */
  route?: SumdbRoute
  /** the `supported` answer that stopped the walk (Go: "checksum database unavailable") */
  unavailableAt?: { entryIndex: number; outcome: ProbeOutcome }
  /** `<route>/latest` */
  latest?: ProbeOutcome
}

export interface ProbeReport {
  entries: EntryProbe[]
  sumdb: SumdbProbe
  publicModule?: ProbeModule
  privateModule?: ProbeModule
  /** true when the private module matches GONOPROXY: Go fetches it from its VCS, which is not probed */
  privateModuleDirect: boolean
  /** true when the private module matches GONOSUMDB (or GOSUMDB is off) */
  privateModuleSkipsSumdb: boolean
  /** the GOPROXY order by measured latency, when select-fastest asked for it */
  fastest?: FastestOrder
  /** things worth saying that are not faults (e.g. "GOPROXY=direct: nothing to probe") */
  notices: string[]
  /** wall time of the whole probe */
  durationMs: number
}

/** Latency of one HTTP proxy entry, from repeated probes on fresh connections. */
export interface EntryLatency {
  /** index in the original GOPROXY entries */
  index: number
  label: string
  /** answered the probe as a usable proxy (200 for the module; 200 or 404 for `supported` when no module is known) */
  healthy: boolean
  samplesMs: number[]
  medianMs?: number
}

export interface FastestOrder {
  /** the reordered GOPROXY, credential-free, ready to export */
  setting: GoproxySetting
  latencies: EntryLatency[]
  changed: boolean
  /** why nothing moved, when nothing did */
  unchangedBecause?: string
}
