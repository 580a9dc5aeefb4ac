import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { unavailableCacheStore } from '../cache/unavailable-store.js'
import { createGoRunner, type GoRunner } from '../gocmd/runner.js'
import { createCliPlatform, type CliPlatform } from '../platform/cli.js'
import { Redactor } from '../secrets/redactor.js'
import { emptyReport } from '../report/model.js'
import { configure } from '../run/configure.js'
import type { Engine } from '../run/engine.js'
import { runMainStep } from '../run/main-step.js'
import { runPostStep } from '../run/post-step.js'
import { parseArgs, USAGE, type CliArgs } from './args.js'
import { formatDotenv, formatJson, formatSh } from './env-format.js'
import { writeReportDir } from './report-dir.js'
import { GoCommandError } from '../gocmd/goenv.js'

export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  env: Readonly<Record<string, string | undefined>>
  cwd: string
  version: string
  go?: GoRunner
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
      io.stderr(`goproxy-guard: --auth-file: cannot read ${args.authFile}: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`)
      return 2
    }
  }
  const redactor = new Redactor()
  const platform = createCliPlatform(redactor, { inputs: args.inputs, env: io.env, log: (line) => io.stderr(`${line}\n`) })
  const engine: Engine = {
    platform,
    redactor,
    go: io.go ?? createGoRunner(),
    cache: unavailableCacheStore,
    baseDirectory: io.cwd,
  }
  try {
    switch (args.command) {
      case 'setup':
        return await setupCommand(engine, platform, args, io)
      case 'run':
        return await runCommand(engine, platform, args)
      default:
        io.stderr(`goproxy-guard: ${args.command} is not available yet\n`)
        return 2
    }
  } catch (error) {
    io.stderr(redactor.redact(`goproxy-guard: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`))
    return 2
  }
}

async function setupCommand(engine: Engine, platform: CliPlatform, args: CliArgs, io: CliIo): Promise<number> {
  const report = emptyReport()
  let result
  try {
    result = await configure(engine, report, () => undefined)
  } catch (error) {
    if (error instanceof GoCommandError) {
      platform.setFailed(error.message)
      return 2
    }
    throw error
  }
  if (!result.ok) {
    platform.setFailed(result.message)
    return 2
  }
  const format = args.format ?? 'sh'
  const text = format === 'dotenv' ? formatDotenv(platform.exported) : format === 'json' ? formatJson(platform.exported) : formatSh(platform.exported)
  io.stdout(engine.redactor.redact(text))
  if (result.value.settings.credentials.length > 0) {
    platform.info(`Credential files are in ${result.value.workDir}; remove the directory when the job is done.`)
  }
  return 0
}

async function runCommand(engine: Engine, platform: CliPlatform, args: CliArgs): Promise<number> {
  const main = await runMainStep(engine)
  let exitCode: number = main.exitCode
  // the post check runs right away: there are no later steps inside one CLI call, but it still cleans up
  const post = await runPostStep(engine)
  if (exitCode === 0) exitCode = post
  if (args.reportDir !== undefined) await writeReportDir(path.resolve(args.reportDir), platform, engine.redactor, main.report)
  return exitCode
}
