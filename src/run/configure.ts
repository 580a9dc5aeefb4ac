import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { problemMatcherJson } from '../diagnose/problem-matcher.js'
import { buildEnvironment } from '../goenv/environment.js'
import { goProcessEnv, readGoEnv, type GoEnv } from '../gocmd/goenv.js'
import { InputErrors } from '../settings/errors.js'
import { readSettings } from '../settings/read.js'
import type { Settings } from '../settings/types.js'
import type { Report, SettingRow } from '../report/model.js'
import { createWorkDir, tempDirVariable } from '../secrets/credential-dir.js'
import { writeCredentialFiles } from './credentials.js'
import type { Engine } from './engine.js'
import { protectCredentials, protectRawInputs } from './protect.js'
import { findUrlSecrets } from '../secrets/scan.js'
import { GO_VARIABLES } from '../goenv/environment.js'

export interface Configured {
  settings: Settings
  /** what later steps get (exported) */
  exported: Record<string, string>
  /** the complete environment for our own go commands */
  goEnv: Record<string, string>
  effective: GoEnv
  workDir: string
}

export type ConfigureResult = { ok: true; value: Configured } | { ok: false; exitCode: 2; message: string }

/**
 * Inputs → validated settings → credential files → exported environment → Go's effective view of it.
 * Any invalid input stops here with nothing exported and no file written.
 */
export async function configure(
  engine: Engine,
  report: Report,
  onWorkDir: (dir: string) => void,
): Promise<ConfigureResult> {
  const { platform, redactor } = engine
  protectRawInputs(platform, redactor, {
    auth: platform.input('auth'),
    urls: [
      platform.input('goproxy'),
      platform.input('gosumdb'),
      platform.env['GOPROXY'] ?? '',
      platform.env['GOSUMDB'] ?? '',
    ],
  })
  let settings: Settings
  let sources
  try {
    const result = readSettings((name) => platform.input(name), {
      baseDirectory: engine.baseDirectory,
      env: platform.env,
    })
    settings = result.settings
    sources = result.sources
    report.warnings.push(...result.warnings)
  } catch (error) {
    if (error instanceof InputErrors) return { ok: false, exitCode: 2, message: error.message }
    throw error
  }
  protectCredentials(platform, redactor, settings.credentials)
  for (const warning of report.warnings) platform.warning(warning)

  const workDir = await createWorkDir(platform.tempDir, tempDirVariable(platform.env, platform.tempDir))
  onWorkDir(workDir)
  const files = await writeCredentialFiles(settings, platform, workDir)
  const matcher = path.join(workDir, 'go-problem-matcher.json')
  await writeFile(matcher, problemMatcherJson())
  platform.addProblemMatcher(matcher)
  const exported = buildEnvironment(settings, files, platform.env)
  const goEnv = goProcessEnv(platform.env, exported)
  // read back before exporting: without a usable go command, later steps get nothing half-configured
  const effective = await readGoEnv(engine.go, goEnv, settings.workingDirectory)
  for (const [name, value] of Object.entries(exported)) platform.exportVariable(name, value)
  report.credentialHosts = settings.credentials.map((c) => c.host)
  // a GOPROXY or GOSUMDB set with `go env -w` may carry credentials we have not seen yet
  for (const found of [...findUrlSecrets(effective.GOPROXY), ...findUrlSecrets(effective.GOSUMDB)]) {
    for (const form of found.username === undefined
      ? redactor.addSecret(found.secret)
      : redactor.addCredential(found.username, found.secret)) {
      platform.setSecret(form)
    }
  }
  report.settings = settingRows(effective, exported, sources)
  return { ok: true, value: { settings, exported, goEnv, effective, workDir } }
}

function settingRows(
  effective: GoEnv,
  exported: Record<string, string>,
  sources: Partial<Record<string, 'input' | 'preset'>>,
): SettingRow[] {
  return GO_VARIABLES.map((variable) => {
    const value = effective[variable]
    const source: SettingRow['source'] =
      variable in exported ? (sources[variable] ?? 'input') : value === '' ? 'Go default' : 'environment or go env'
    return { variable, value, source }
  })
}
