import type { GoEnv } from '../gocmd/goenv.js'
import { InputError } from '../settings/errors.js'
import { parseGoproxy } from '../settings/goproxy.js'
import { parseGosumdb } from '../settings/gosumdb.js'
import { parsePatternList } from '../settings/patterns.js'
import type { ProbeInput } from '../probe/types.js'
import type { Credential, PatternSetting } from '../settings/types.js'

/** How Go will really run: the inputs combined with the job's environment, `go env -w` and Go's defaults. */
export type EffectiveGo = Pick<
  ProbeInput,
  'goproxy' | 'gosumdb' | 'goprivate' | 'gonoproxy' | 'gonosumdb' | 'credentials'
> & {
  /** values Go accepts but our stricter grammar does not (from the environment, not from inputs) */
  notes: string[]
}

/** Parses what `go env` reports. Values the user did not give us are read leniently: Go has the last word on them. */
export function effectiveGo(env: GoEnv, credentials: Credential[]): EffectiveGo {
  const notes: string[] = []
  const lenient = <T>(name: string, value: string, parse: () => T): T | undefined => {
    if (value.trim() === '') return undefined
    try {
      return parse()
    } catch (error) {
      if (error instanceof InputError) {
        notes.push(`${name} from the environment or go env: ${error.message.replace(/^Input '[^']+': /, '')}`)
        return undefined
      }
      throw error
    }
  }
  const proxy = lenient('GOPROXY', env.GOPROXY, () => parseGoproxy(env.GOPROXY, 'GOPROXY'))
  const sumdb = lenient('GOSUMDB', env.GOSUMDB, () => parseGosumdb(env.GOSUMDB, 'GOSUMDB'))
  const patterns = (name: string, value: string): PatternSetting | undefined =>
    lenient(name, value, () => parsePatternList(value, name).value)
  const inherited = [...(proxy?.credentials ?? []), ...(sumdb?.credentials ?? [])].filter(
    (c) => !credentials.some((own) => own.host === c.host),
  )
  return {
    goproxy: proxy?.value.entries ?? [],
    gosumdb: sumdb?.value,
    goprivate: patterns('GOPRIVATE', env.GOPRIVATE),
    gonoproxy: patterns('GONOPROXY', env.GONOPROXY),
    gonosumdb: patterns('GONOSUMDB', env.GONOSUMDB),
    credentials: [...credentials, ...inherited],
    notes,
  }
}
