import * as exec from '@actions/exec'

export interface GoResult {
  exitCode: number
  stdout: string
  stderr: string
  durationMs: number
}

export interface GoRunOptions {
  cwd: string
  /** the complete environment of the child process */
  env: Record<string, string>
}

/** Runs the `go` command. Output is captured, never echoed: callers print it through the Redactor. */
export interface GoRunner {
  run(args: string[], options: GoRunOptions): Promise<GoResult>
}

export function createGoRunner(goBinary = 'go'): GoRunner {
  return {
    async run(args, options) {
      const started = performance.now()
      const result = await exec.getExecOutput(goBinary, args, {
        cwd: options.cwd,
        env: options.env,
        silent: true,
        ignoreReturnCode: true,
      })
      return {
        exitCode: result.exitCode,
        stdout: result.stdout,
        stderr: result.stderr,
        durationMs: Math.round(performance.now() - started),
      }
    },
  }
}
