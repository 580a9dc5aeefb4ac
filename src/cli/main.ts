import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { unavailableCacheStore } from '../cache/unavailable-store.js'
import { classifyGoFailure } from '../diagnose/classify.js'
import { runDriftChecks } from '../drift/check.js'
import { createGoRunner, limitGoRunner, type GoRunner } from '../gocmd/runner.js'
import { createCliPlatform, type CliPlatform } from '../platform/cli.js'
import { exitCodeOf, mainExitCode, postExitCode } from '../report/outcome.js'
import { mainReportJson } from '../report/json.js'
import { renderProbeText, probeReportJson } from '../report/probe.js'
import { PLAIN, type TextStyle } from '../report/terminal.js'
import { diagnosisLines, renderDriftCommandText, renderHeadline, renderRunText } from '../report/text.js'
import { removeWorkDir } from '../secrets/credential-dir.js'
import { Redactor } from '../secrets/redactor.js'
import type { Engine } from '../run/engine.js'
import { runMainStep } from '../run/main-step.js'
import { runPostStep } from '../run/post-step.js'
import { accessStage } from '../run/stages/access.js'
import { configure, type Configured } from '../run/stages/configure.js'
import { layoutStage } from '../run/stages/layout.js'
import { judgeProbe, probeSkipped, probeStage } from '../run/stages/probe.js'
import type { ModuleLayout } from '../modules/layout.js'
import { parseArgs, USAGE, type CliArgs } from './args.js'
import { formatDotenv, formatJson, formatSh } from './env-format.js'
import { applyNamedCredentials } from './named-credentials.js'
import { writeDriftReports, writeRunReports } from './report-dir.js'

export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  env: Readonly<Record<string, string | undefined>>
  cwd: string
  version: string
  go?: GoRunner
  /** how the report looks on stdout, and progress on stderr (colours and width on a terminal) */
  stdoutStyle?: TextStyle
  stderrStyle?: TextStyle
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
  const credentialError = applyNamedCredentials(args.credentials, args.inputs, io.env, io.cwd)
  if (credentialError !== undefined) {
    io.stderr(`goproxy-guard: ${credentialError}\n`)
    return 2
  }
  const redactor = new Redactor()
  const platform = createCliPlatform(redactor, {
    inputs: args.inputs,
    env: io.env,
    log: (line) => io.stderr(`${line}\n`),
    style: io.stderrStyle ?? PLAIN,
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
    platform.debug(error instanceof Error ? (error.stack ?? error.message) : String(error))
    io.stderr(
      redactor.redact(`goproxy-guard: unexpected failure: ${error instanceof Error ? error.message : String(error)}\n`),
    )
    return 2
  }
}

/** What goes to stdout, redacted: the command's own output. */
function print(context: Context, text: string): void {
  context.io.stdout(context.engine.redactor.redact(text))
}

/** Validates and writes the credential files; undefined (after saying why) when that cannot be done. */
async function configured(context: Context): Promise<Configured | undefined> {
  const result = await configure(context.engine, () => undefined)
  if ('configured' in result) return result.configured
  context.io.stderr(context.engine.redactor.redact(`goproxy-guard: ${result.refused}\n`))
  return undefined
}

async function setupCommand(context: Context): Promise<number> {
  const { platform, args } = context
  const c = await configured(context)
  if (c === undefined) return 2
  const format = args.format ?? 'sh'
  print(
    context,
    format === 'dotenv'
      ? formatDotenv(platform.exported)
      : format === 'json'
        ? formatJson(platform.exported)
        : formatSh(platform.exported),
  )
  if (c.settings.credentials.length > 0) {
    context.io.stderr(`goproxy-guard: credential files are in ${c.workDir}; remove the directory when you are done.\n`)
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
  body: (c: Configured, layout: ModuleLayout) => Promise<number>,
): Promise<number> {
  const { engine, platform } = context
  const c = await configured(context)
  if (c === undefined) return 2
  try {
    const go = { go: limitGoRunner(engine.go, c.settings.goTimeoutMs), env: c.goEnv }
    const found = await layoutStage(c.settings, go)
    if ('refused' in found) {
      context.io.stderr(engine.redactor.redact(`goproxy-guard: ${found.refused}\n`))
      return 2
    }
    return await body(c, found.layout)
  } finally {
    await removeWorkDir(c.workDir, platform.tempDir)
  }
}

/** `doctor`: the chain probed and judged for what the modules here need, with the module cache of this machine. */
async function doctorCommand(context: Context): Promise<number> {
  const { args, io } = context
  const style = io.stdoutStyle ?? PLAIN
  return withModules(context, async (c, layout) => {
    const access = await accessStage(c, layout)
    const skipped = probeSkipped(c.settings, c.effective)
    const probed =
      skipped === undefined
        ? judgeProbe(
            await probeStage(c.settings, c.effective, layout, context.platform.env),
            c.effective,
            c.settings.onProxyFailure,
            access.routes,
          )
        : undefined
    const diagnoses = [...(probed?.verdict.diagnoses ?? []), ...access.diagnoses].map((d) =>
      c.settings.onProxyFailure === 'warn' && d.kind === 'proxy' ? { ...d, severity: 'warning' as const } : d,
    )
    const exitCode = exitCodeOf(diagnoses) === 3 ? 3 : 0
    if (args.format === 'json') {
      print(
        context,
        `${JSON.stringify(probed ? probeReportJson(probed.report, probed.verdict) : { skipped, diagnoses })}\n`,
      )
      return exitCode
    }
    const errors = diagnoses.filter((d) => d.severity === 'error')
    const [first] = errors
    const lines = [
      first !== undefined
        ? renderHeadline({ status: 'failed', sentence: first.title, fix: first.fix, diagnosis: first }, style)
        : renderHeadline(
            diagnoses.length > 0
              ? { status: 'warnings', sentence: `The chain serves this job, with ${diagnoses.length} warning(s)` }
              : { status: 'passed', sentence: 'The chain serves this job' },
            style,
          ),
      ...diagnoses.filter((d) => d !== first).flatMap((d) => ['', ...diagnosisLines(d, style)]),
      '',
      probed ? renderProbeText(probed.report, probed.verdict) : `Not probed: ${skipped ?? ''}\n`,
    ]
    print(context, `${lines.join('\n').replace(/\n+$/, '')}\n`)
    return exitCode
  })
}

async function driftCommand(context: Context): Promise<number> {
  const { engine, args, io } = context
  return withModules(context, async (c, layout) => {
    const access = await accessStage(c, layout)
    const drift = await runDriftChecks({
      go: limitGoRunner(engine.go, c.settings.goTimeoutMs),
      env: c.goEnv,
      workingDirectory: c.settings.workingDirectory,
      layout,
      goVersion: c.goenv.GOVERSION,
      allowExternalReplace: c.settings.allowExternalReplace,
      verify: true,
      classify: (stderr) => classifyGoFailure(stderr, c.effective),
      tempDirectory: c.workDir,
      vendored: access.needs.vendored,
    })
    if (args.reportDir !== undefined) {
      await writeDriftReports(path.resolve(io.cwd, args.reportDir), engine.redactor, {
        drift,
        diagnoses: drift.diagnoses,
        pathPrefix: relativePosix(io.cwd, c.settings.workingDirectory),
      })
    }
    print(
      context,
      args.format === 'json'
        ? `${JSON.stringify(drift, null, 2)}\n`
        : renderDriftCommandText(drift, io.stdoutStyle ?? PLAIN),
    )
    return exitCodeOf(drift.diagnoses, drift.findings)
  })
}

async function runCommand(context: Context): Promise<number> {
  const { engine, platform, args, io } = context
  const main = await runMainStep(engine)
  // no later steps run inside one CLI call, but the post check still compares the files and cleans up
  const post = await runPostStep(engine)
  const mainCode = mainExitCode(main)
  const exitCode = mainCode !== 0 ? mainCode : postExitCode(post)
  if (args.reportDir !== undefined) {
    const workingDirectory =
      main.layout?.workingDirectory ?? path.resolve(io.cwd, platform.input('working-directory') || '.')
    await writeRunReports(path.resolve(io.cwd, args.reportDir), platform, engine.redactor, {
      main,
      post,
      pathPrefix: relativePosix(io.cwd, workingDirectory),
    })
  }
  print(
    context,
    args.format === 'json'
      ? `${JSON.stringify(mainReportJson(main, post), null, 2)}\n`
      : renderRunText(main, post, io.stdoutStyle ?? PLAIN),
  )
  return exitCode
}

function relativePosix(from: string, to: string): string {
  return path.relative(from, to).split(path.sep).join('/') || '.'
}
