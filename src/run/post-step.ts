import { access, readFile } from 'node:fs/promises'
import path from 'node:path'
import { saveBuildCache } from '../cache/build-cache.js'
import { saveModuleCache } from '../cache/module-cache.js'
import { describeSave } from '../report/caches.js'
import { compareSnapshot } from '../drift/snapshot.js'
import type { CacheSaveResult, PostReport } from '../report/model.js'
import { removeWorkDir } from '../secrets/credential-dir.js'
import type { Engine } from './engine.js'
import { placeOf } from './main-step.js'
import { loadStepState, type StepState } from './state.js'

/**
 * The post step, which runs whatever happened before: the module files check, the cache saves, and — always, even
 * when the others fail — the removal of the credential files. It reports; it never restores or rewrites a file.
 */
export async function runPostStep(engine: Engine): Promise<PostReport> {
  const { platform } = engine
  const place = placeOf(platform)
  const state = loadStepState(platform)
  if (state === undefined) return { place, ran: false, credentials: { removed: false } }
  const report: PostReport = { place, ran: true, credentials: { removed: false } }
  try {
    if (state.checkPost && state.snapshotDir !== undefined) {
      const snapshotDir = state.snapshotDir
      report.moduleFiles = await platform.group('Checking the module files', async () => {
        const compared = await compareSnapshot(snapshotDir)
        platform.info(
          compared.findings.length === 0
            ? 'go.mod, go.sum, go.work and go.work.sum are as goproxy-guard found them.'
            : `Changed: ${[...new Set(compared.findings.map((f) => f.file))].join(', ')}.`,
        )
        return compared
      })
    }
    if (state.cachePrimaryKey !== undefined && state.cacheDownloadDir !== undefined) {
      report.moduleCacheSave = await platform.group('Saving the module cache', () => saveCache(engine, state))
    }
    if (state.buildCacheKey !== undefined && state.buildCacheDir !== undefined) {
      report.buildCacheSave = await platform.group('Saving the build cache', () => saveGoCache(engine, state))
    }
  } finally {
    report.credentials = await removeCredentials(platform.tempDir, state.workDir)
  }
  return report
}

async function saveCache(engine: Engine, state: StepState): Promise<CacheSaveResult> {
  const goSumTexts = await Promise.all((state.goSumFiles ?? []).map((file) => readFile(file, 'utf8').catch(() => '')))
  const result = await saveModuleCache(
    { store: engine.cache, env: engine.platform.env, downloadDir: state.cacheDownloadDir as string },
    {
      key: state.cachePrimaryKey as string,
      matchedKey: state.cacheMatchedKey,
      filesAtRestore: state.cacheFilesAtRestore ?? 0,
      mainSucceeded: state.mainSucceeded === true,
      cacheSave: state.cacheSave !== false,
      ...(state.goSumFiles === undefined ? {} : { goSumTexts }),
      ...(state.goVersion === undefined ? {} : { goVersions: [state.goVersion] }),
    },
  )
  engine.platform.info(`Module cache ${describeSave(result, 'module')}.`)
  return result
}

async function saveGoCache(engine: Engine, state: StepState): Promise<CacheSaveResult> {
  const result = await saveBuildCache(
    {
      store: engine.cache,
      env: engine.platform.env,
      gocache: state.buildCacheDir as string,
      inventory: state.buildCacheInventory ?? '',
    },
    {
      key: state.buildCacheKey as string,
      policy: state.buildCacheSave ?? 'default-branch',
      mainSucceeded: state.mainSucceeded === true,
      agedAt: state.buildCacheUsedSince ?? Date.now(),
    },
  )
  engine.platform.info(`Build cache ${describeSave(result, 'build')}.`)
  return result
}

const CREDENTIAL_FILES = ['netrc', 'git-credentials.config']

/** Removes the work directory; says the credential files were removed only when there were some. */
async function removeCredentials(tempDir: string, workDir: string | undefined): Promise<PostReport['credentials']> {
  if (workDir === undefined) return { removed: false }
  const held = await Promise.all(
    CREDENTIAL_FILES.map((name) =>
      access(path.join(workDir, name)).then(
        () => true,
        () => false,
      ),
    ),
  )
  try {
    await removeWorkDir(workDir, tempDir)
  } catch (error) {
    return { removed: false, failed: error instanceof Error ? error.message : String(error) }
  }
  return held.some(Boolean) ? { removed: true } : { removed: false }
}
