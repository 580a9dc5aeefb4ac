#!/usr/bin/env node
import { runCli } from './cli/main.js'
import { styleFor } from './report/terminal.js'
import { VERSION } from './version.js'

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
  version: VERSION,
  stdoutStyle: styleFor(process.stdout, process.env),
  stderrStyle: styleFor(process.stderr, process.env),
})
