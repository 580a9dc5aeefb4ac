import type { MainReport, PostReport } from './model.js'
import { diagnosesOf, findingsOf, mainExitCode, mainHeadline, postExitCode } from './outcome.js'
import { outputsOf } from './outputs.js'
import { probeReportJson } from './probe.js'

/** `run --format json` and report.json: the report as data, the verdict first. The caller redacts the text. */
export function mainReportJson(main: MainReport, post?: PostReport): unknown {
  const headline = mainHeadline(main)
  const probe = main.probe === undefined ? undefined : 'verdict' in main.probe ? main.probe : undefined
  return {
    exitCode: Math.max(mainExitCode(main), post === undefined ? 0 : postExitCode(post)),
    status: headline.status,
    headline: { sentence: headline.sentence, ...(headline.fix ? { fix: headline.fix } : {}) },
    ...(main.refused !== undefined ? { refused: main.refused } : {}),
    outputs: outputsOf(main),
    diagnoses: diagnosesOf(main),
    findings: [...findingsOf(main), ...(post?.moduleFiles?.findings ?? [])],
    diffs: [...(main.drift?.diffs ?? []), ...(post?.moduleFiles?.diffs ?? [])],
    ...(main.access ? { needs: main.access.needs } : {}),
    ...(main.moduleCache ? { moduleCache: main.moduleCache } : {}),
    ...(main.buildCache ? { buildCache: main.buildCache } : {}),
    ...(main.drift
      ? {
          drift: {
            modules: main.drift.modules,
            checks: main.drift.checks ?? [],
            notices: main.drift.notices,
            durationMs: main.drift.durationMs,
          },
        }
      : {}),
    ...(main.download ? { download: main.download } : {}),
    ...(main.verify ? { verify: { ...main.verify } } : {}),
    ...(probe ? { probe: probeReportJson(probe.report, probe.verdict) } : {}),
    ...(main.probe && 'skipped' in main.probe ? { probe: { skipped: main.probe.skipped } } : {}),
    ...(main.configuration ? { configuration: main.configuration } : {}),
    ...(post ? { post: { moduleCacheSave: post.moduleCacheSave, credentialsRemoved: post.credentials.removed } } : {}),
  }
}
