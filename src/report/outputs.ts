import type { OutputName } from '../settings/inputs.js'
import type { MainReport } from './model.js'
import { findingsOf } from './outcome.js'
import { probeReportJson } from './probe.js'

/** The action's outputs (and the CLI's report.json `outputs`), from the report alone. */
export function outputsOf(report: MainReport): Partial<Record<OutputName, string>> {
  const outputs: Partial<Record<OutputName, string>> = {}
  if (report.effective !== undefined) {
    const probe = report.probe !== undefined && 'verdict' in report.probe ? report.probe : undefined
    outputs.goproxy = probe?.fastestGoproxy ?? report.effective.GOPROXY
    outputs.gosumdb = report.effective.GOSUMDB
    outputs.goprivate = report.effective.GOPRIVATE
    outputs.gonosumdb = report.effective.GONOSUMDB
    if (probe !== undefined) outputs['proxy-report'] = JSON.stringify(probeReportJson(probe.report, probe.verdict))
  }
  if (report.moduleCache !== undefined) {
    outputs['cache-hit'] = report.moduleCache.hit
    if (report.moduleCache.key !== undefined) outputs['cache-key'] = report.moduleCache.key
  }
  if (report.buildCache !== undefined) {
    outputs['build-cache-hit'] = report.buildCache.hit
    if (report.buildCache.key !== undefined) outputs['build-cache-key'] = report.buildCache.key
  }
  if (report.refused === undefined && report.layout !== undefined) {
    outputs.drift = String(findingsOf(report).length > 0)
  }
  return outputs
}
