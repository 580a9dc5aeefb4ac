import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { problemMatcherJson } from '../../diagnose/problem-matcher.js'
import { GO_VARIABLES, buildEnvironment } from '../../goenv/environment.js'
import { GoCommandError, goProcessEnv, readGoEnv, type GoEnv } from '../../gocmd/goenv.js'
import type { ConfigurationResult, SettingRow } from '../../report/model.js'
import { createWorkDir, TempDirError, tempDirVariable } from '../../secrets/credential-dir.js'
import { findUrlSecrets } from '../../secrets/scan.js'
import { InputErrors } from '../../settings/errors.js'
import { readSettings, type SettingsResult } from '../../settings/read.js'
import type { Settings } from '../../settings/types.js'
import { effectiveGo, type EffectiveGo } from '../effective.js'
import type { Engine } from '../engine.js'
import { writeCredentialFiles } from '../credentials.js'
import { protectCredentials, protectRawInputs } from '../protect.js'

export interface Configured {
  settings: Settings
  /** what later steps get (exported) */
  exported: Record<string, string>
  /** the complete environment for our own go commands */
  goEnv: Record<string, string>
  /** `go env`, as Go resolves every variable for the job */
  goenv: GoEnv
  /** the same, parsed: the chain, the patterns and every credential Go will use */
  effective: EffectiveGo
  workDir: string
  configuration: ConfigurationResult
}

export type ConfigureResult = { configured: Configured } | { refused: string }

/**
 * Inputs → validated settings → credential files → Go's effective view → the exported environment. Every secret is
 * registered for masking before anything is printed. Invalid input, an unusable temp dir or a missing go command
 * stop here with nothing exported; `onWorkDir` learns of the directory as soon as it exists, so the post step can
 * remove it whatever happens next.
 */
export async function configure(engine: Engine, onWorkDir: (dir: string) => void): Promise<ConfigureResult> {
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
  let read: SettingsResult
  try {
    read = readSettings((name) => platform.input(name), { baseDirectory: engine.baseDirectory, env: platform.env })
  } catch (error) {
    if (error instanceof InputErrors) return { refused: error.message }
    throw error
  }
  const { settings } = read
  protectCredentials(platform, redactor, settings.credentials)

  let workDir: string
  try {
    workDir = await createWorkDir(platform.tempDir, tempDirVariable(platform.env, platform.tempDir))
  } catch (error) {
    if (error instanceof TempDirError) return { refused: error.message }
    throw error
  }
  onWorkDir(workDir)
  const files = await writeCredentialFiles(settings, platform, workDir)
  const exported = buildEnvironment(settings, files, platform.env)
  const goEnv = goProcessEnv(platform.env, exported)
  let goenv: GoEnv
  try {
    // read back before exporting: without a usable go command, later steps get nothing half-configured
    goenv = await readGoEnv(engine.go, goEnv, settings.workingDirectory, settings.goTimeoutMs)
  } catch (error) {
    if (error instanceof GoCommandError) return { refused: error.message }
    throw error
  }
  // a GOPROXY or GOSUMDB set with `go env -w` may carry credentials we have not seen yet
  for (const found of [...findUrlSecrets(goenv.GOPROXY), ...findUrlSecrets(goenv.GOSUMDB)]) {
    for (const form of found.username === undefined
      ? redactor.addSecret(found.secret)
      : redactor.addCredential(found.username, found.secret)) {
      platform.setSecret(form)
    }
  }
  const matcher = path.join(workDir, 'go-problem-matcher.json')
  await writeFile(matcher, problemMatcherJson())
  platform.addProblemMatcher(matcher)
  for (const [name, value] of Object.entries(exported)) platform.exportVariable(name, value)
  const effective = effectiveGo(goenv, settings.credentials)
  return {
    configured: {
      settings,
      exported,
      goEnv,
      goenv,
      effective,
      workDir,
      configuration: {
        settings: settingRows(goenv, exported, read.sources),
        credentialHosts: settings.credentials.map((c) => c.host),
        warnings: [...read.warnings, ...effective.notes],
      },
    },
  }
}

/** Go's own defaults (its go.env and cmd/go/internal/cfg): a variable left at them gets no row. */
function isGoDefault(variable: string, value: string, goenv: GoEnv): boolean {
  switch (variable) {
    case 'GOPROXY':
      return value === 'https://proxy.golang.org,direct'
    case 'GOSUMDB':
      return value === 'sum.golang.org'
    case 'GOTOOLCHAIN':
      return value === 'auto' || value === 'local+auto'
    case 'GOAUTH':
      return value === 'netrc' || value === ''
    case 'GONOPROXY':
    case 'GONOSUMDB':
      return value === goenv.GOPRIVATE
    default:
      return value === ''
  }
}

function settingRows(goenv: GoEnv, exported: Record<string, string>, sources: SettingsResult['sources']): SettingRow[] {
  return GO_VARIABLES.flatMap((variable): SettingRow[] => {
    const value = goenv[variable]
    if (variable in exported) return [{ variable, value, source: sources[variable] ?? 'input' }]
    return isGoDefault(variable, value, goenv) ? [] : [{ variable, value, source: 'environment or go env' }]
  })
}
