import { spawn } from 'node:child_process'

export interface GoResult {
  exitCode: number
  stdout: string
  stderr: string
  durationMs: number
  /** the command ran out of its time limit and its process tree was killed */
  timedOut?: boolean
}

export interface GoRunOptions {
  cwd: string
  /** the complete environment of the child process */
  env: Record<string, string>
  /** kill the command and everything it started after this long */
  timeoutMs?: number
}

/** Runs the `go` command. Output is captured, never echoed: callers print it through the Redactor. */
export interface GoRunner {
  run(args: string[], options: GoRunOptions): Promise<GoResult>
}

/** How every stage runs `go`: through the runner, with a complete environment. */
export interface GoAccess {
  go: GoRunner
  env: Record<string, string>
}

/** How long the command may take: every run through the returned runner gets this limit unless it sets its own. */
export function limitGoRunner(go: GoRunner, timeoutMs: number): GoRunner {
  return { run: (args, options) => go.run(args, { timeoutMs, ...options }) }
}

/**
 * The real `go`, without a shell. A command past its time limit is killed with everything it started (git, the
 * toolchain it switched to): on POSIX the child leads a process group of its own and the whole group gets SIGKILL;
 * on Windows `taskkill /T` ends the tree. Go sets no limit on proxy responses, so without this a proxy that accepts
 * a request and never answers would hold the job until the CI system's own timeout.
 */
export function createGoRunner(goBinary = 'go'): GoRunner {
  return {
    run: (args, options) =>
      new Promise((resolve, reject) => {
        const started = performance.now()
        const windows = process.platform === 'win32'
        const child = spawn(goBinary, args, {
          cwd: options.cwd,
          env: options.env,
          stdio: ['ignore', 'pipe', 'pipe'],
          detached: !windows,
          windowsHide: true,
        })
        const stdout: Buffer[] = []
        const stderr: Buffer[] = []
        child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk))
        child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))
        let timedOut = false
        const kill = (): void => killTree(child.pid, windows)
        running.add(kill)
        watchExit()
        const timer =
          options.timeoutMs === undefined
            ? undefined
            : setTimeout(() => {
                timedOut = true
                kill()
              }, options.timeoutMs)
        const done = (): void => {
          clearTimeout(timer)
          running.delete(kill)
        }
        child.on('error', (error) => {
          done()
          reject(error)
        })
        child.on('close', (code, signal) => {
          done()
          resolve({
            exitCode: code ?? (signal === null ? 1 : 128 + 9),
            stdout: Buffer.concat(stdout).toString('utf8'),
            stderr: Buffer.concat(stderr).toString('utf8'),
            durationMs: Math.round(performance.now() - started),
            ...(timedOut ? { timedOut } : {}),
          })
        })
      }),
  }
}

/** Kills of the commands running now: a process that ends (or is interrupted) while go runs leaves no go behind. */
const running = new Set<() => void>()
let watching = false

function watchExit(): void {
  if (watching) return
  watching = true
  process.once('exit', () => {
    for (const kill of running) kill()
  })
}

function killTree(pid: number | undefined, windows: boolean): void {
  if (pid === undefined) return
  try {
    if (windows) spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true })
    else process.kill(-pid, 'SIGKILL')
  } catch {
    // already gone
  }
}
