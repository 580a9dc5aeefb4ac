import { GO_ENV_KEYS, type GoEnv } from '../../src/gocmd/goenv.js'
import type { GoResult, GoRunner, GoRunOptions } from '../../src/gocmd/runner.js'

export type GoHandler = (args: string[], options: GoRunOptions) => Partial<GoResult> | Promise<Partial<GoResult>>

export interface FakeGo extends GoRunner {
  /** every command run, as its arguments */
  readonly calls: string[][]
  /** the options of every command run */
  readonly options: GoRunOptions[]
}

/**
 * A go command that answers from a script: `go env -json` with `goenv` (every key the engine reads; the rest empty),
 * and each other command from the handler named by its first words (`mod tidy`, `mod download`, `mod verify`, …);
 * a command without a handler succeeds with no output.
 */
export function fakeGo(goenv: Partial<GoEnv>, handlers: Record<string, GoHandler> = {}): FakeGo {
  const calls: string[][] = []
  const options: GoRunOptions[] = []
  return {
    calls,
    options,
    async run(args, runOptions) {
      calls.push(args)
      options.push(runOptions)
      const words = args.filter((a) => !a.startsWith('-'))
      const handler = handlers[words.slice(0, 2).join(' ')] ?? handlers[words[0] ?? '']
      if (handler === undefined && args[0] === 'env') {
        const values = Object.fromEntries(GO_ENV_KEYS.map((key) => [key, goenv[key] ?? '']))
        return { exitCode: 0, stdout: JSON.stringify(values), stderr: '', durationMs: 1 }
      }
      const result = handler === undefined ? {} : await handler(args, runOptions)
      return { exitCode: 0, stdout: '', stderr: '', durationMs: 1, ...result }
    },
  }
}
