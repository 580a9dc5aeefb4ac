import path from 'node:path'
import { findDependencyFiles, readDependencyFiles } from '../cache/key.js'
import { classifyGoFailure } from '../diagnose/classify.js'
import { runDriftChecks } from '../drift/check.js'
import { snapshotModuleFiles } from '../drift/snapshot.js'
import { limitGoRunner, type GoAccess, type GoResult } from '../gocmd/runner.js'
import { moduleOfRequest, reportingTimeouts, requestsInFlight, type TimedOutCommand } from '../gocmd/timeout.js'
import { stillMissing } from '../modules/needs.js'
import { effectiveEntries } from '../probe/defaults.js'
import { accessLog, downloadLog, driftLog, verifyLog } from '../report/log.js'
import type { AccessResult, MainReport, Place, ProbeResult } from '../report/model.js'
import { mainExitCode } from '../report/outcome.js'
import { parseGoproxy } from '../settings/goproxy.js'
import type { Platform } from '../platform/platform.js'
import type { Engine } from './engine.js'
import { accessStage } from './stages/access.js'
import { buildCacheStage } from './stages/build-cache.js'
import { configure, type Configured } from './stages/configure.js'
import { layoutStage } from './stages/layout.js'
import { moduleCacheStage } from './stages/module-cache.js'
import { judgeProbe, probeSkipped, probeStage } from './stages/probe.js'
import { verifyStage } from './stages/verify.js'
import { warmModuleCache } from './stages/warm.js'
import { stepStateRecorder } from './state.js'

/** Where the engine runs, for the words it uses. */
export function placeOf(platform: Platform): Place {
  if (platform.name === 'github') return 'github'
  return platform.env['GITLAB_CI'] === 'true' ? 'gitlab' : 'terminal'
}

/**
 * The action's main step and the CLI's `run`: configure; find the modules; probe the chain while the caches are
 * restored; judge the chain for what this job needs; check drift; warm and verify the cache. Each stage returns its
 * result into the report; nothing here prints a verdict, sets an output or writes a summary (see publish.ts).
 */
export async function runMainStep(engine: Engine): Promise<MainReport> {
  const { platform } = engine
  const remember = stepStateRecorder(platform)
  const report: MainReport = { place: placeOf(platform), policy: 'fail' }

  const configured = await platform.group('Configuring Go', async () => {
    const result = await configure(engine, (workDir) => remember({ workDir }))
    if ('configured' in result) platform.info(configurationLog(result.configured))
    return result
  })
  if ('refused' in configured) return { ...report, refused: configured.refused }
  const c = configured.configured
  const { settings } = c
  report.policy = settings.onProxyFailure
  report.configuration = c.configuration
  report.effective = {
    GOPROXY: c.goenv.GOPROXY,
    GOSUMDB: c.goenv.GOSUMDB,
    GOPRIVATE: c.goenv.GOPRIVATE,
    GONOSUMDB: c.goenv.GONOSUMDB,
  }
  remember({ checkPost: settings.checkPost, cacheSave: settings.cacheSave, goVersion: c.goenv.GOVERSION })

  let effective = c.effective
  let goEnv = c.goEnv
  // access.needs, once known, says which modules a go command stopped at go-timeout was still waiting for
  let access: AccessResult | undefined
  let probeResult: ProbeResult | undefined
  const go = limitGoRunner(
    reportingTimeouts(engine.go, (args, result) => stillFetching(c, effective, result, access, probeResult)),
    settings.goTimeoutMs,
  )
  const goAccess = (): GoAccess => ({ go, env: goEnv })

  const found = await layoutStage(settings, goAccess())
  if ('refused' in found) return { ...report, refused: found.refused, refusedAfterExport: true }
  const { layout } = found
  report.layout = {
    modules: layout.modules,
    workingDirectory: layout.workingDirectory,
    ...(layout.workspace ? { workspace: layout.workspace.file } : {}),
  }
  if (settings.checkPost) {
    // before any go command that could write: the post step compares against this
    remember({ snapshotDir: await snapshotModuleFiles(layout, path.join(c.workDir, 'snapshot')) })
  }

  const downloadDir = path.join(c.goenv.GOMODCACHE, 'cache', 'download')
  // the files both cache keys are derived from, and the go.sum files the module entry is pruned by
  const dependencyFiles = await readDependencyFiles(
    settings.workingDirectory,
    await findDependencyFiles(settings.workingDirectory, settings.cacheDependencyPath, layout.modules),
  )
  const goSumFiles = await findDependencyFiles(settings.workingDirectory, [], layout.modules)
  remember({ goSumFiles: goSumFiles.map((file) => path.resolve(settings.workingDirectory, file)) })
  const moduleCache = await platform.group('Probing proxies and restoring the caches', async () => {
    const skipped = probeSkipped(settings, effective)
    // three kinds of waiting at once: the proxies, and two archives
    const [probed, moduleCache, buildCache] = await Promise.all([
      skipped === undefined ? probeStage(settings, effective, layout, platform.env) : undefined,
      moduleCacheStage(engine, c, dependencyFiles, report.place, downloadDir),
      buildCacheStage(engine, c, dependencyFiles),
    ])
    report.moduleCache = moduleCache.result
    remember(moduleCache.state)
    if (buildCache !== undefined) {
      report.buildCache = buildCache.result
      remember(buildCache.state)
    }
    access = await accessStage(c, layout)
    report.access = access
    probeResult =
      probed === undefined
        ? { skipped: skipped ?? '' }
        : judgeProbe(probed, effective, settings.onProxyFailure, access.routes)
    report.probe = probeResult
    if ('fastestGoproxy' in probeResult && probeResult.fastestGoproxy !== undefined) {
      platform.exportVariable('GOPROXY', probeResult.fastestGoproxy)
      goEnv = { ...goEnv, GOPROXY: probeResult.fastestGoproxy }
      effective = { ...effective, goproxy: parseGoproxy(probeResult.fastestGoproxy).value.entries }
    }
    platform.info(
      accessLog({
        probe: probeResult,
        moduleCache: report.moduleCache,
        ...(report.buildCache ? { buildCache: report.buildCache } : {}),
        needs: access.needs,
      }),
    )
    return moduleCache
  })

  const classify = (stderr: string): ReturnType<typeof classifyGoFailure> => classifyGoFailure(stderr, effective)
  const vendored = access?.needs.vendored ?? []
  if (settings.onProxyFailure !== 'warn' && access !== undefined && neededFetchFails(access, probeResult)) {
    report.stoppedEarly =
      'The drift check and the download did not run: they need fetches that cannot succeed (see what failed).'
  } else {
    if (settings.checkDrift) {
      report.drift = await platform.group('Checking go.mod and go.sum', async () => {
        const drift = await runDriftChecks({
          ...goAccess(),
          workingDirectory: settings.workingDirectory,
          layout,
          goVersion: c.goenv.GOVERSION,
          allowExternalReplace: settings.allowExternalReplace,
          classify,
          tempDirectory: c.workDir,
          vendored,
        })
        platform.info(driftLog(drift))
        return drift
      })
    }
    const timedOut = report.drift?.diagnoses.some((d) => d.code === 'go-timeout') === true
    if (timedOut) {
      report.stoppedEarly =
        'The download did not run: the drift check already ran out of go-timeout waiting for the same modules.'
    } else if (settings.download) {
      report.download = await platform.group('Downloading modules', async () => {
        const download = await warmModuleCache(layout, goAccess(), effective, c.workDir, vendored)
        platform.info(downloadLog(download))
        return download
      })
    }
  }

  // A restored cache is never trusted blindly: Go checks a cached module's .ziphash against go.sum, not the zip itself.
  const reason =
    moduleCache.state.cacheMatchedKey !== undefined
      ? 'restored'
      : moduleCache.inherited
        ? 'inherited'
        : settings.checkDrift
          ? 'check-drift'
          : undefined
  if (reason !== undefined) {
    report.verify = await platform.group('Verifying the module cache', async () => {
      const verify = await verifyStage(layout, { ...goAccess(), classify, tempDirectory: c.workDir }, reason)
      platform.info(verifyLog(verify))
      return verify
    })
  }
  remember({ mainSucceeded: mainExitCode(report) === 0 })
  return report
}

/**
 * Whether a fetch this job needs cannot succeed: then the drift check and the download would only fail the same way.
 * (With `strict`, a failing route the job does not need fails the job too, but does not stop the checks.)
 */
function neededFetchFails(access: AccessResult, probe: ProbeResult | undefined): boolean {
  if (access.diagnoses.some((d) => d.severity === 'error')) return true
  if (probe === undefined || !('verdict' in probe)) return false
  const fails = (outcome: string | undefined): boolean => outcome === 'fails' || outcome === 'hangs'
  const { verdict } = probe
  return (
    (access.routes.public.needed && fails(verdict.publicModules.outcome)) ||
    (access.routes.private.needed && fails(verdict.privateModules?.outcome)) ||
    (access.routes.checksums.needed && fails(verdict.checksums.outcome))
  )
}

/** The exported variables, one per line, and which hosts got credentials. */
function configurationLog(c: Configured): string {
  const lines = Object.entries(c.exported).map(([name, value]) => `${name}=${value}`)
  if (c.configuration.credentialHosts.length > 0) {
    lines.push(`Credentials for ${c.configuration.credentialHosts.join(', ')} (netrc and git header files, mode 0600).`)
  }
  return lines.length > 0 ? lines.join('\n') : 'Nothing to export: every Go variable keeps its value.'
}

/**
 * What a go command stopped at go-timeout was still fetching: the requests its `-x` trace left open, or else the
 * module versions the cache still lacks, from the entry the chain serves them from.
 */
async function stillFetching(
  c: Configured,
  effective: Configured['effective'],
  result: GoResult,
  access: AccessResult | undefined,
  probe: ProbeResult | undefined,
): Promise<Omit<TimedOutCommand, 'command' | 'timeoutMs'>> {
  const entries = effectiveEntries(effective.goproxy)
  const open = requestsInFlight(result.stderr)
  if (open.length > 0) {
    const modules = [...new Set(open.flatMap((url) => moduleOfRequest(url, entries) ?? []))]
    const first = open[0] as string
    const base = entries.find(
      (e) => e.kind === 'url' && e.url !== undefined && first.startsWith(`${e.url.replace(/\/+$/, '')}/`),
    )
    return { fetching: modules, from: base?.url ?? new URL(first).origin }
  }
  if (access === undefined) return { fetching: [] }
  const still = (await stillMissing(c.goenv.GOMODCACHE, access.needs.missing))
    .filter((m) => m.route === 'proxy')
    .map((m) => `${m.path}@${m.version}`)
  const served = probe !== undefined && 'verdict' in probe ? probe.verdict.publicModules.entryIndex : undefined
  const entry = entries[served ?? entries.findIndex((e) => e.kind === 'url')]
  return { fetching: still, ...(entry?.url === undefined ? {} : { from: entry.url }) }
}
