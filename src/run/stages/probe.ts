import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { ModuleLayout } from '../../modules/layout.js'
import { parseRequirements } from '../../modules/mod-file.js'
import { probeChain } from '../../probe/chain.js'
import { effectiveEntries } from '../../probe/defaults.js'
import type { ProbeReport } from '../../probe/types.js'
import { judgeChain, type RouteNeeds } from '../../probe/verdict.js'
import type { JudgedProbe } from '../../report/model.js'
import { matchPrefixPatterns } from '../../settings/patterns.js'
import type { OnProxyFailure, PatternSetting, Settings } from '../../settings/types.js'
import type { EffectiveGo } from '../effective.js'

/** A requirement, as `path@version`, for the probes to ask about. */
export interface ProbeTargets {
  publicModule?: string
  privateModule?: string
}

/**
 * Something real and cheap for the probes: the first requirement Go fetches through the proxies, and the first one
 * GOPRIVATE / GONOPROXY / GONOSUMDB singles out, taken from the modules' go.mod files (direct requirements first).
 */
export async function probeTargets(
  layout: ModuleLayout,
  patterns: { goprivate?: PatternSetting; gonoproxy?: PatternSetting; gonosumdb?: PatternSetting },
): Promise<ProbeTargets> {
  const requirements = []
  for (const module of layout.modules) {
    try {
      const text = await readFile(path.join(layout.workingDirectory, module, 'go.mod'), 'utf8')
      requirements.push(...parseRequirements(text))
    } catch {
      // an unreadable go.mod is the drift check's to report
    }
  }
  requirements.sort((a, b) => Number(a.indirect) - Number(b.indirect))
  const matches = (p: PatternSetting | undefined, module: string): boolean =>
    p !== undefined && matchPrefixPatterns(p.patterns, module)
  const isPrivate = (module: string): boolean =>
    matches(patterns.goprivate, module) || matches(patterns.gonoproxy, module) || matches(patterns.gonosumdb, module)
  const local = new Set(layout.modules)
  const candidates = requirements.filter((r) => !local.has(r.path))
  const pub = candidates.find((r) => !matches(patterns.gonoproxy ?? patterns.goprivate, r.path) && !isPrivate(r.path))
  const priv = candidates.find((r) => isPrivate(r.path))
  return {
    publicModule: pub ? `${pub.path}@${pub.version}` : undefined,
    privateModule: priv ? `${priv.path}@${priv.version}` : undefined,
  }
}

/** Why the chain is not probed, or undefined when it is. */
export function probeSkipped(settings: Settings, effective: EffectiveGo): string | undefined {
  if (!settings.probe) return 'probe is false'
  const entries = effectiveEntries(effective.goproxy)
  if (entries.length === 1 && entries[0]?.kind === 'off') {
    return 'GOPROXY=off: Go downloads nothing through a proxy (only GONOPROXY modules, from their VCS), so there is nothing to probe'
  }
  return undefined
}

/** Probes the chain Go will use: every entry and the checksum database, at once. */
export async function probeStage(
  settings: Settings,
  effective: EffectiveGo,
  layout: ModuleLayout,
  env: Readonly<Record<string, string | undefined>>,
): Promise<ProbeReport> {
  const targets = await probeTargets(layout, effective)
  return probeChain({
    goproxy: effective.goproxy,
    gosumdb: effective.gosumdb,
    goprivate: effective.goprivate,
    gonoproxy: effective.gonoproxy,
    gonosumdb: effective.gonosumdb,
    credentials: effective.credentials,
    goauth: settings.goauth,
    publicModule: targets.publicModule,
    privateModule: targets.privateModule,
    timeoutMs: settings.probeTimeoutMs,
    selectFastest: settings.selectFastest,
    env,
  })
}

/** The probes judged by Go's fallback rules, for what this job needs. */
export function judgeProbe(
  report: ProbeReport,
  effective: EffectiveGo,
  policy: OnProxyFailure,
  needs?: RouteNeeds,
): JudgedProbe {
  const verdict = judgeChain(report, effective.goproxy, { onProxyFailure: policy, ...(needs ? { needs } : {}) })
  const fastest = report.fastest?.changed ? report.fastest.setting.value : undefined
  return { report, verdict, ...(fastest === undefined ? {} : { fastestGoproxy: fastest }) }
}
