import { probeChain } from '../../probe/chain.js'
import { probeReportJson, renderProbeMarkdown, renderProbeText } from '../../probe/render.js'
import type { ProbeReport } from '../../probe/types.js'
import { judgeChain, type ChainVerdict } from '../../probe/verdict.js'
import type { Settings } from '../../settings/types.js'
import type { Platform } from '../../platform/platform.js'
import type { Redactor } from '../../secrets/redactor.js'
import type { EffectiveGo } from '../effective.js'
import type { ProbeTargets } from './modules.js'

export interface ProbeStage {
  report: ProbeReport
  verdict: ChainVerdict
  markdown: string
  text: string
  json: string
  /** the new GOPROXY when select-fastest reordered it */
  fastestGoproxy?: string
}

/** Probes the chain Go will use and judges it by Go's fallback rules. */
export async function runProbeStage(
  settings: Settings,
  effective: EffectiveGo,
  targets: ProbeTargets,
  platform: Platform,
  redactor: Redactor,
  goSumComplete?: boolean,
): Promise<ProbeStage> {
  const report = await probeChain({
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
    env: platform.env,
  })
  const verdict = judgeChain(report, effective.goproxy, { onProxyFailure: settings.onProxyFailure, goSumComplete })
  const redact = (t: string): string => redactor.redact(t)
  const fastest = report.fastest?.changed ? report.fastest.setting.value : undefined
  return {
    report,
    verdict,
    markdown: renderProbeMarkdown(report, verdict, redact),
    text: renderProbeText(report, verdict, redact),
    json: JSON.stringify(probeReportJson(report, verdict, redact)),
    fastestGoproxy: fastest,
  }
}
