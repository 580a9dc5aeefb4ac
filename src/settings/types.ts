/** A credential for one host, moved out of a URL or read from the `auth` input. Never printed. */
export interface Credential {
  /** `example.com` or `example.com:8443`, lower-case */
  host: string
  username: string
  secret: string
  /** where it came from, for messages: `auth line 2`, `goproxy`, `gosumdb` */
  origin: string
}

/** One element of GOPROXY, after Go's own parsing. */
export interface ProxyEntry {
  kind: 'url' | 'direct' | 'off'
  /** kind `url`: the URL as Go uses it (implicit https:// added), userinfo removed */
  url?: string
  /** the separator written after this entry (`,`: next only on 404/410; `|`: next on any error); none after the last */
  separator?: ',' | '|'
}

export interface GoproxySetting {
  entries: ProxyEntry[]
  /** the credential-free value to export */
  value: string
}

export interface PatternSetting {
  patterns: string[]
  /** comma-joined, as exported */
  value: string
}

export interface GosumdbSetting {
  /** the credential-free value to export */
  value: string
  off: boolean
  /** database name, host[/path], e.g. `sum.golang.org` (empty when off) */
  name: string
  /** full verifier key `name+hash+key` (empty when off) */
  verifierKey: string
  /** explicit URL given after the key, credential-free */
  url?: string
}

export interface GoflagsSetting {
  value: string
  flags: string[]
}

export interface GoauthSetting {
  value: string
  commands: string[]
}

export interface ParseResult<T> {
  value: T
  warnings: string[]
}

/** A parse result that may also have lifted credentials out of URLs. */
export interface CredentialParseResult<T> extends ParseResult<T> {
  credentials: Credential[]
}

export type Preset = 'official' | 'china'

export const ON_PROXY_FAILURE = ['fail', 'strict', 'warn'] as const
export type OnProxyFailure = (typeof ON_PROXY_FAILURE)[number]

export const BUILD_CACHE_SAVE = ['default-branch', 'always', 'never'] as const
export type BuildCacheSave = (typeof BUILD_CACHE_SAVE)[number]

/** Everything the tool was asked to do, validated. Built once from the inputs; never mutated. */
export interface Settings {
  /** absolute */
  workingDirectory: string
  /** module directories relative to workingDirectory; empty = discover */
  modules: string[]
  preset?: Preset
  goproxy?: GoproxySetting
  goprivate?: PatternSetting
  gonoproxy?: PatternSetting
  gonosumdb?: PatternSetting
  goinsecure?: PatternSetting
  gosumdb?: GosumdbSetting
  goflags?: GoflagsSetting
  gotoolchain?: string
  goauth?: GoauthSetting
  credentials: Credential[]
  probe: boolean
  probeTimeoutMs: number
  /** `fail` when a fetch this job needs cannot succeed, `strict` on any unhealthy entry, `warn` never */
  onProxyFailure: OnProxyFailure
  selectFastest: boolean
  cache: boolean
  /** globs; empty = the go.sum and go.work.sum of the modules */
  cacheDependencyPath: string[]
  cacheKeyPrefix: string
  cacheSave: boolean
  buildCache: boolean
  buildCacheSave: BuildCacheSave
  /** bounds every go command the tool runs */
  goTimeoutMs: number
  download: boolean
  checkDrift: boolean
  checkPost: boolean
  allowExternalReplace: boolean
}
