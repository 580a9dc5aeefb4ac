import type { Platform } from '../platform/platform.js'
import { diagnosisAnnotation, findingAnnotation, type AnnotationLine } from '../report/annotations.js'
import type { ExitCode, MainReport, PostReport } from '../report/model.js'
import {
  diagnosesOf,
  findingsOf,
  mainExitCode,
  mainHeadline,
  postExitCode,
  postHeadline,
  type Headline,
} from '../report/outcome.js'
import { outputsOf } from '../report/outputs.js'
import { renderMainSummary, renderPostSummary } from '../report/summary.js'
import { cacheWarnings } from '../report/caches.js'

/**
 * The main step's report on GitHub: outputs, one annotation per diagnosis and finding (the one the verdict speaks
 * for is the failure message itself), the job summary, and the verdict as the step's last line or its failure.
 */
export async function publishMain(platform: Platform, report: MainReport, repositoryRoot: string): Promise<ExitCode> {
  for (const [name, value] of Object.entries(outputsOf(report))) platform.setOutput(name, value)
  const headline = mainHeadline(report)
  const annotations: AnnotationLine[] = [
    ...(report.configuration?.warnings ?? []).map((message): AnnotationLine => ({
      level: 'warning',
      message,
      annotation: {},
    })),
    ...cacheWarnings(report).map((message): AnnotationLine => ({ level: 'warning', message, annotation: {} })),
    ...diagnosesOf(report)
      .filter((d) => d !== headline.diagnosis)
      .map(diagnosisAnnotation),
    ...findingsOf(report).map((f) =>
      findingAnnotation(f, report.layout?.workingDirectory ?? repositoryRoot, repositoryRoot),
    ),
  ]
  emit(platform, annotations)
  await platform.appendSummary(renderMainSummary(report))
  const exitCode = mainExitCode(report)
  finish(platform, headline, exitCode)
  return exitCode
}

/** The post step's report on GitHub: the module files' findings, the saves, the verdict. */
export async function publishPost(platform: Platform, report: PostReport, repositoryRoot: string): Promise<ExitCode> {
  if (!report.ran) {
    platform.info('Nothing to do: the main step stopped before it wrote anything.')
    return 0
  }
  const changed = report.moduleFiles
  const annotations: AnnotationLine[] = [
    ...(
      [
        ['Module cache', report.moduleCacheSave?.problem],
        ['Build cache', report.buildCacheSave?.problem],
      ] as const
    ).flatMap(([cache, problem]): AnnotationLine[] =>
      problem === undefined ? [] : [{ level: 'warning', message: `${cache} not saved: ${problem}.`, annotation: {} }],
    ),
    ...(changed?.findings ?? []).map((f) =>
      findingAnnotation(f, changed?.workingDirectory ?? repositoryRoot, repositoryRoot),
    ),
  ]
  emit(platform, annotations)
  if ((changed?.findings.length ?? 0) > 0 || report.moduleCacheSave || report.buildCacheSave) {
    await platform.appendSummary(renderPostSummary(report))
  }
  if (report.credentials.removed) platform.info('Removed the credential files.')
  const exitCode = postExitCode(report)
  finish(platform, postHeadline(report), exitCode)
  return exitCode
}

function emit(platform: Platform, annotations: AnnotationLine[]): void {
  for (const a of annotations) platform[a.level](a.message, a.annotation)
}

function finish(platform: Platform, headline: Headline, exitCode: ExitCode): void {
  if (exitCode === 0) {
    platform.info(headline.sentence)
    return
  }
  const detail = headline.diagnosis === undefined ? '' : `\n${headline.diagnosis.detail}`
  platform.setFailed(`${headline.sentence}${detail}${headline.fix === undefined ? '' : `\nFix: ${headline.fix}`}`)
}
