import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { unavailableCacheStore } from '../cache/unavailable-store.js'
import { classifyGoFailure } from '../diagnose/classify.js'
import { runDriftChecks } from '../drift/check.js'
import { discoverModules, ModuleLayoutError, type ModuleLayout } from '../drift/modules.js'
import { GoCommandError } from '../gocmd/goenv.js'
import { createGoRunner, type GoRunner } from '../gocmd/runner.js'
import { createCliPlatform, type CliPlatform } from '../platform/cli.js'
import { renderDriftText } from '../report/drift-markdown.js'
import { emptyReport, exitCodeOf } from '../report/model.js'
import { removeWorkDir, TempDirError } from '../secrets/credential-dir.js'
import { Redactor } from '../secrets/redactor.js'
import { InputError } from '../settings/errors.js'
import { configure, type Configured } from '../run/configure.js'
import { effectiveGo, type EffectiveGo } from '../run/effective.js'
import type { Engine } from '../run/engine.js'
import { runMainStep } from '../run/main-step.js'
import { runPostStep } from '../run/post-step.js'
import { probeTargets } from '../run/stages/modules.js'
import { runProbeStage } from '../run/stages/probe.js'
import { parseArgs, USAGE, type CliArgs } from './args.js'
import { formatDotenv, formatJson, formatSh } from './env-format.js'
import { writeDriftReports, writeRunReports } from './report-dir.js'

export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  env: Readonly<Record<string, string | undefined>>
  cwd: string
  version: string
  go?: GoRunner
}

interface Context {
  engine: Engine
  platform: CliPlatform
  args: CliArgs
  io: CliIo
}

/** Runs one CLI command; returns its exit code (0 ok, 1 drift or verification, 2 invalid input, 3 proxy failure). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(argv)
  if (parsed.kind === 'help') {
    io.stdout(USAGE)
    return 0
  }
  if (parsed.kind === 'version') {
    io.stdout(`goproxy-guard ${io.version}\n`)
    return 0
  }
  if (parsed.kind === 'error') {
    io.stderr(`goproxy-guard: ${parsed.message}\n`)
    return 2
  }
  const args = parsed.args
  if (args.authFile !== undefined) {
    try {
      args.inputs.set('auth', await readFile(path.resolve(io.cwd, args.authFile), 'utf8'))
    } catch (error) {
      io.stderr(
        `goproxy-guard: --auth-file: cannot read ${args.authFile}: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`,
      )
      return 2
    }
  }
  const redactor = new Redactor()
  const platform = createCliPlatform(redactor, {
    inputs: args.inputs,
    env: io.env,
    log: (line) => io.stderr(`${line}\n`),
  })
  const engine: Engine = {
    platform,
    redactor,
    go: io.go ?? createGoRunner(),
    cache: unavailableCacheStore,
    baseDirectory: io.cwd,
  }
  const context: Context = { engine, platform, args, io }
  try {
    switch (args.command) {
      case 'setup':
        return await setupCommand(context)
      case 'doctor':
        return await doctorCommand(context)
      case 'drift':
        return await driftCommand(context)
      case 'run':
        return await runCommand(context)
    }
  } catch (error) {
    io.stderr(
      redactor.redact(
        `goproxy-guard: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      ),
    )
    return 2
  }
}

/** Validates and writes the credential files; undefined (after reporting) when the input is invalid. */
async function configured(context: Context): Promise<Configured | undefined> {
  try {
    const result = await configure(context.engine, emptyReport(), () => undefined)
    if (result.ok) return result.value
    context.platform.setFailed(result.message)
  } catch (error) {
    if (!(error instanceof GoCommandError || error instanceof TempDirError)) throw error
    context.platform.setFailed(error.message)
  }
  return undefined
}

async function setupCommand({ engine, platform, args, io }: Context): Promise<number> {
  const c = await configured({ engine, platform, args, io })
  if (c === undefined) return 2
  const format = args.format ?? 'sh'
  const text =
    format === 'dotenv'
      ? formatDotenv(platform.exported)
      : format === 'json'
        ? formatJson(platform.exported)
        : formatSh(platform.exported)
  io.stdout(engine.redactor.redact(text))
  if (c.settings.credentials.length > 0) {
    platform.info(`Credential files are in ${c.workDir}; remove the directory when the job is done.`)
  } else {
    await removeWorkDir(c.workDir, platform.tempDir)
  }
  return 0
}

/**
 * Configures, finds the modules, runs `body`, and always removes the credential files: doctor and drift leave nothing
 * behind. Invalid input (including a `modules` entry without go.mod) is exit 2.
 */
async function withModules(
  context: Context,
  body: (c: Configured, layout: ModuleLayout, effective: EffectiveGo) => Promise<number>,
): Promise<number> {
  const { engine, platform } = context
  const c = await configured(context)
  if (c === undefined) return 2
  try {
    const layout = await discoverModules(c.settings.workingDirectory, c.settings.modules, {
      go: engine.go,
      env: c.goEnv,
    })
    return await body(c, layout, effectiveGo(c.effective, c.settings.credentials))
  } catch (error) {
    if (error instanceof InputError || error instanceof ModuleLayoutError) {
      platform.setFailed(error.message)
      return 2
    }
    throw error
  } finally {
    await removeWorkDir(c.workDir, platform.tempDir)
  }
}

async function doctorCommand(context: Context): Promise<number> {
  const { engine, platform, args, io } = context
  return withModules(context, async (c, layout, effective) => {
    const probe = await runProbeStage(
      c.settings,
      effective,
      await probeTargets(layout, effective),
      platform,
      engine.redactor,
    )
    io.stdout(args.format === 'json' ? `${probe.json}\n` : probe.text)
    return probe.verdict.ok ? 0 : 3
  })
}

async function driftCommand(context: Context): Promise<number> {
  const { engine, platform, args, io } = context
  return withModules(context, async (c, layout, effective) => {
    const drift = await runDriftChecks({
      go: engine.go,
      env: c.goEnv,
      workingDirectory: c.settings.workingDirectory,
      layout,
      goVersion: c.effective.GOVERSION,
      allowExternalReplace: c.settings.allowExternalReplace,
      verify: true,
      classify: (stderr) => classifyGoFailure(stderr, effective),
      tempDirectory: c.workDir,
    })
    if (args.reportDir !== undefined) {
      await writeDriftReports(path.resolve(io.cwd, args.reportDir), engine.redactor, {
        drift,
        diagnoses: drift.diagnoses,
        pathPrefix: relativePosix(io.cwd, c.settings.workingDirectory),
      })
    }
    io.stdout(
      engine.redactor.redact(args.format === 'json' ? `${JSON.stringify(drift, null, 2)}\n` : renderDriftText(drift)),
    )
    for (const d of drift.diagnoses) platform.error(`${d.title}\n${d.detail}\nFix: ${d.fix}`)
    return exitCodeOf(drift.diagnoses, drift)
  })
}

async function runCommand({ engine, platform, args, io }: Context): Promise<number> {
  const main = await runMainStep(engine)
  // no later steps run inside one CLI call, but the post step still checks the files and cleans up
  const post = await runPostStep(engine)
  const exitCode = main.exitCode !== 0 ? main.exitCode : post.exitCode
  if (args.reportDir !== undefined) {
    const report = main.report
    if (post.findings.length > 0) {
      report.drift = report.drift ?? { findings: [], modules: [], notices: [], diagnoses: [], durationMs: 0 }
      report.drift.findings.push(...post.findings)
    }
    const workingDirectory = path.resolve(io.cwd, platform.input('working-directory') || '.')
    await writeRunReports(
      path.resolve(io.cwd, args.reportDir),
      platform,
      engine.redactor,
      report,
      relativePosix(io.cwd, workingDirectory),
    )
  }
  io.stdout(exitCode === 0 ? 'goproxy-guard: ok\n' : `goproxy-guard: failed (exit ${exitCode})\n`)
  return exitCode
}

function relativePosix(from: string, to: string): string {
  return path.relative(from, to).split(path.sep).join('/') || '.'
}
