import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { classifyGoFailure } from '../diagnose/classify.js'
import type { Diagnosis } from '../diagnose/types.js'
import { runDriftChecks, verifyModules } from '../drift/check.js'
import { discoverModules, ModuleLayoutError, type ModuleLayout } from '../drift/modules.js'
import { snapshotModuleFiles } from '../drift/snapshot.js'
import { GoCommandError } from '../gocmd/goenv.js'
import { renderDriftMarkdown, renderDriftText } from '../report/drift-markdown.js'
import { emptyReport, exitCodeOf, type ExitCode, type Report } from '../report/model.js'
import { renderSummary } from '../report/summary.js'
import { TempDirError } from '../secrets/credential-dir.js'
import { InputError } from '../settings/errors.js'
import { parseGoproxy } from '../settings/goproxy.js'
import { annotateFindings, announceDiagnoses } from './announce.js'
import { configure } from './configure.js'
import { effectiveGo } from './effective.js'
import type { Engine } from './engine.js'
import { restoreCache } from './stages/cache.js'
import { probeTargets } from './stages/modules.js'
import { runProbeStage } from './stages/probe.js'
import { warmModuleCache } from './stages/warm.js'
import { saveStepState, type StepState } from './state.js'

export interface StepOutcome {
  exitCode: ExitCode
  report: Report
  /** doctor's and the CLI's plain-text probe report */
  probeText?: string
}

/** The action's main step and the CLI's `run`: configure, probe, restore, check, warm, verify, report. */
export async function runMainStep(engine: Engine): Promise<StepOutcome> {
  const { platform } = engine
  const report = emptyReport()
  const state: StepState = {}
  const remember = (patch: Partial<StepState>): void => {
    Object.assign(state, patch)
    saveStepState(platform, state)
  }
  const fail = async (message: string, exitCode: ExitCode): Promise<StepOutcome> => {
    platform.setFailed(message)
    await platform.appendSummary(
      `## goproxy-guard\n\nNothing was exported and no file was written:\n\n\`\`\`text\n${message}\n\`\`\`\n`,
    )
    return { exitCode, report }
  }

  let configured
  try {
    configured = await configure(engine, report, (workDir) => remember({ workDir }))
  } catch (error) {
    if (error instanceof GoCommandError || error instanceof TempDirError) return await fail(error.message, 2)
    throw error
  }
  if (!configured.ok) return await fail(configured.message, 2)
  const c = configured.value
  const { settings } = c
  remember({ checkPost: settings.checkPost, cacheSave: settings.cacheSave })
  platform.setOutput('goproxy', c.effective.GOPROXY)
  platform.setOutput('gosumdb', c.effective.GOSUMDB)
  platform.setOutput('goprivate', c.effective.GOPRIVATE)
  platform.setOutput('gonosumdb', c.effective.GONOSUMDB)

  let layout: ModuleLayout
  try {
    layout = await discoverModules(settings.workingDirectory, settings.modules, { go: engine.go, env: c.goEnv })
  } catch (error) {
    if (error instanceof InputError || error instanceof ModuleLayoutError) return await fail(error.message, 2)
    throw error
  }
  if (settings.checkPost) {
    // before any go command that could write: the post step compares against this
    const snapshotDir = await snapshotModuleFiles(layout, path.join(c.workDir, 'snapshot'))
    remember({ snapshotDir })
  }

  let effective = effectiveGo(c.effective, settings.credentials)
  report.warnings.push(...effective.notes)
  const sections: string[] = []
  let probeText: string | undefined
  const finish = async (): Promise<StepOutcome> => {
    if (settings.onProxyFailure === 'warn') {
      // the user chose to go on whatever the proxies do: their failures, wherever seen, are warnings
      report.diagnoses = report.diagnoses.map((d) =>
        d.kind === 'proxy' && d.severity === 'error' ? { ...d, severity: 'warning' } : d,
      )
    }
    report.diagnoses = uniqueDiagnoses(report.diagnoses)
    announceDiagnoses(platform, report.diagnoses)
    const exitCode = exitCodeOf(report.diagnoses, report.drift)
    platform.setOutput('drift', String((report.drift?.findings.length ?? 0) > 0))
    remember({ mainSucceeded: exitCode === 0 })
    await platform.appendSummary(renderSummary(report, sections))
    if (exitCode !== 0) platform.setFailed(failureLine(report, exitCode))
    return { exitCode, report, probeText }
  }

  if (settings.probe) {
    const targets = await probeTargets(layout, effective)
    const probe = await platform.group('Probing proxies and the checksum database', () =>
      runProbeStage(settings, effective, targets, platform, engine.redactor),
    )
    probeText = probe.text
    platform.info(probe.text)
    sections.push(probe.markdown)
    report.probe = JSON.parse(probe.json) as unknown
    platform.setOutput('proxy-report', probe.json)
    report.diagnoses.push(...probe.verdict.diagnoses)
    if (probe.fastestGoproxy !== undefined) {
      platform.exportVariable('GOPROXY', probe.fastestGoproxy)
      platform.setOutput('goproxy', probe.fastestGoproxy)
      c.goEnv['GOPROXY'] = probe.fastestGoproxy
      effective = { ...effective, goproxy: parseGoproxy(probe.fastestGoproxy).value.entries }
    }
    // fail early: nothing later can fetch a module through a chain that cannot serve one
    if (!probe.verdict.ok && settings.onProxyFailure === 'fail') return finish()
  }

  // A cache restored by anything else (GitLab's cache:, a self-hosted runner's disk) is verified as ours is.
  const downloadDir = path.join(c.effective.GOMODCACHE, 'cache', 'download')
  const inherited = await readdir(downloadDir).then(
    (entries) => entries.some((name) => name !== 'cache' && name !== 'lock'),
    () => false,
  )
  let restored = false
  if (settings.cache) restored = await restoreCache(engine, c, layout, report, remember, downloadDir)

  const access = { go: engine.go, env: c.goEnv }
  const classify = (stderr: string) => classifyGoFailure(stderr, effective)
  if (settings.checkDrift) {
    const drift = await platform.group('Checking go.mod and go.sum drift', () =>
      runDriftChecks({
        ...access,
        workingDirectory: settings.workingDirectory,
        layout,
        goVersion: c.effective.GOVERSION,
        allowExternalReplace: settings.allowExternalReplace,
        classify,
        tempDirectory: c.workDir,
      }),
    )
    report.drift = drift
    report.diagnoses.push(...drift.diagnoses)
    annotateFindings(platform, drift.findings, settings.workingDirectory, engine.baseDirectory)
    sections.push(renderDriftMarkdown(drift))
    platform.info(renderDriftText(drift))
  }

  if (settings.download) {
    const warm = await platform.group('Downloading modules', () =>
      warmModuleCache(layout, access, effective, c.workDir),
    )
    report.download = warm
    report.diagnoses.push(...warm.diagnoses)
    if (warm.ok) platform.info(`Modules downloaded in ${warm.durationMs} ms.`)
  }

  // A restored cache is never trusted blindly: Go checks a cached module's .ziphash against go.sum, not the zip itself.
  if (restored || inherited || settings.checkDrift) {
    const started = performance.now()
    const verified = await platform.group('Verifying the module cache', () =>
      verifyModules(layout, { ...access, classify, tempDirectory: c.workDir }),
    )
    report.verify = {
      ok: verified.findings.length === 0 && !verified.diagnoses.some((d) => d.severity === 'error'),
      durationMs: Math.round(performance.now() - started),
    }
    report.diagnoses.push(...verified.diagnoses)
    if (verified.findings.length > 0) {
      report.drift = report.drift ?? {
        findings: [],
        modules: layout.modules,
        notices: [],
        diagnoses: [],
        durationMs: 0,
      }
      report.drift.findings.push(...verified.findings)
      annotateFindings(platform, verified.findings, settings.workingDirectory, engine.baseDirectory)
    }
    if (report.verify.ok) platform.info('go mod verify: all modules verified.')
  }
  return finish()
}

function failureLine(report: Report, exitCode: ExitCode): string {
  const first = report.diagnoses.find((d) => d.severity === 'error')
  if (exitCode === 1 && (report.drift?.findings.length ?? 0) > 0 && first === undefined) {
    const n = report.drift?.findings.length ?? 0
    return `go.mod / go.sum drift: ${n} finding${n === 1 ? '' : 's'}. See the annotations and the job summary.`
  }
  return first ? `${first.title}. ${first.fix}` : 'goproxy-guard found problems; see the job summary.'
}

/** The same failure seen by the drift check, the download and the verification is said once. */
function uniqueDiagnoses(diagnoses: Diagnosis[]): Diagnosis[] {
  const seen = new Set<string>()
  return diagnoses.filter((d) => {
    const key = `${d.severity}\u0000${d.code}\u0000${d.title}\u0000${d.module ?? ''}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}
