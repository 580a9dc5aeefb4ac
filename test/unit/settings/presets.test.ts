import { describe, expect, it } from '@jest/globals'
import { parseGoproxy } from '../../../src/settings/goproxy.js'
import { parseGosumdb, SUM_GOLANG_ORG_KEY } from '../../../src/settings/gosumdb.js'
import { PRESETS } from '../../../src/settings/presets.js'

describe('PRESETS', () => {
  it('official: proxy.golang.org then direct, checked by sum.golang.org', () => {
    expect(PRESETS.official).toEqual({ goproxy: 'https://proxy.golang.org,direct', gosumdb: 'sum.golang.org' })
  })

  it('china: goproxy.cn, then the Aliyun mirror, then direct; sum.golang.org reached through goproxy.cn', () => {
    const proxy = parseGoproxy(PRESETS.china.goproxy)
    expect(proxy.value.entries.map((e) => e.url ?? e.kind)).toEqual([
      'https://goproxy.cn',
      'https://mirrors.aliyun.com/goproxy/',
      'direct',
    ])
    const sumdb = parseGosumdb(PRESETS.china.gosumdb)
    // still verified with sum.golang.org's own key: the mirror cannot forge answers
    expect(sumdb.value).toMatchObject({
      name: 'sum.golang.org',
      verifierKey: SUM_GOLANG_ORG_KEY,
      url: 'https://goproxy.cn/sumdb/sum.golang.org',
    })
  })

  it('every preset is valid as Go reads it, with nothing to warn about', () => {
    for (const preset of Object.values(PRESETS)) {
      expect(parseGoproxy(preset.goproxy).warnings).toEqual([])
      expect(parseGosumdb(preset.gosumdb).warnings).toEqual([])
      expect(parseGoproxy(preset.goproxy).value.value).toBe(preset.goproxy)
    }
  })
})
