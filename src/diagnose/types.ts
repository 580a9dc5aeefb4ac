/**
 * What went wrong, why, and what to change. `kind` decides the exit code:
 * proxy → 3 (a proxy, the checksum database or credentials failed), drift and security → 1, config → 2.
 */
export interface Diagnosis {
  /** stable identifier, e.g. `proxy-http-403`, `sumdb-gone-private-module`, `checksum-mismatch` */
  code: string
  kind: 'proxy' | 'drift' | 'security' | 'config'
  severity: 'error' | 'warning'
  /** one line */
  title: string
  /** what happened and what Go does because of it */
  detail: string
  /** the change to make */
  fix: string
  /** the URL concerned, without credentials */
  url?: string
  module?: string
}
