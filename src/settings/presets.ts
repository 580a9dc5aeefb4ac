import type { Preset } from './types.js'

/**
 * What each `preset` sets when the goproxy / gosumdb inputs are left empty.
 *
 * `china`: goproxy.cn proxies the checksum database at <proxy>/sumdb/<name>, the path of the sumdb design's
 * "proxying a checksum database" (golang/proposal design/25530-sumdb.md); its README says "Goproxy China has
 * supported proxying checksum databases" (github.com/goproxy/goproxy.cn README.md, FAQ "Is it safe to use Goproxy
 * China?"), and goproxy/goproxy's README configures exactly `sum.golang.org https://goproxy.cn/sumdb/sum.golang.org`.
 * The key stays sum.golang.org's, so every answer from the mirror is still verified against Google's key.
 */
export const PRESETS: Record<Preset, { goproxy: string; gosumdb: string }> = {
  official: {
    goproxy: 'https://proxy.golang.org,direct',
    gosumdb: 'sum.golang.org',
  },
  china: {
    goproxy: 'https://goproxy.cn,https://mirrors.aliyun.com/goproxy/,direct',
    gosumdb: 'sum.golang.org https://goproxy.cn/sumdb/sum.golang.org',
  },
}
