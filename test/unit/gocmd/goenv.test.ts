import { describe, expect, it, test } from '@jest/globals'
import { GoCommandError, readGoEnv } from '../../../src/gocmd/goenv.js'
import type { GoResult, GoRunner } from '../../../src/gocmd/runner.js'

const answering = (result: Partial<GoResult>): GoRunner => ({
  run: async () => ({ exitCode: 0, stdout: '', stderr: '', durationMs: 1, ...result }),
})

async function failure(go: GoRunner): Promise<GoCommandError> {
  const error = await readGoEnv(go, {}, '/').then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(GoCommandError)
  return error as GoCommandError
}

describe('readGoEnv', () => {
  it('reads the values go prints, and leaves the ones it does not know empty', async () => {
    const env = await readGoEnv(answering({ stdout: '{"GOPROXY": "off", "GOVERSION": "go1.26.1"}\n' }), {}, '/')
    expect(env.GOPROXY).toBe('off')
    expect(env.GOVERSION).toBe('go1.26.1')
    expect(env.GOSUMDB).toBe('')
  })

  test.each([
    ['text', 'this is not go\nat all\n', 'first line: "this is not go"'],
    ['nothing', '', 'nothing at all'],
    ['a JSON list', '["GOPROXY"]', 'first line: "[\\"GOPROXY\\"]"'],
    ['a number as a value', '{"GOPROXY": 1}', 'first line: "{\\"GOPROXY\\": 1}"'],
    ['a control character', '\u001b[31mred\n', 'first line: "\\x1b[31mred"'],
  ])('says in one line that a go printing %s is not a Go toolchain, and what to do', async (_what, stdout, shown) => {
    const error = await failure(answering({ stdout }))
    expect(error.message).toContain("`go env -json` printed something that is not Go's JSON")
    expect(error.message).toContain(shown)
    expect(error.message).toContain('the go on PATH is not a working Go toolchain. Install Go before this step')
    expect(error.message).not.toContain('\n')
  })

  it('abbreviates a long first line', async () => {
    const error = await failure(answering({ stdout: 'x'.repeat(100_000) }))
    expect(error.message.length).toBeLessThan(1000)
  })

  it('says what go reported when it fails, on one line', async () => {
    const error = await failure(
      answering({ exitCode: 1, stderr: 'go: errors parsing go.work:\n\t/w/go.work:3: unknown directive: usee\n' }),
    )
    expect(error.message).toBe(
      '`go env -json` failed with exit code 1: go: errors parsing go.work: / /w/go.work:3: unknown directive: usee. ' +
        'Fix what it reports (a go.work or go env file it cannot read, say), or install a working Go before this step.',
    )
  })

  it('never repeats the user info of a URL go printed (a go env -w GOPROXY is not a registered secret yet)', async () => {
    const stderr = 'go: downloading go1.99.0: Get "https://bot:Tok3n-s3cret@proxy.corp.example/x": EOF\n'
    const failed = await failure(answering({ exitCode: 1, stderr }))
    expect(failed.message).toContain('https://***@proxy.corp.example/x')
    const garbage = await failure(answering({ stdout: 'see https://bot:Tok3n-s3cret@proxy.corp.example\n' }))
    for (const error of [failed, garbage]) expect(error.message).not.toMatch(/Tok3n|bot:/)
  })

  it('says how to install Go when there is no go to run', async () => {
    const go: GoRunner = {
      run: async () => {
        throw new Error('Unable to locate executable file: go.')
      },
    }
    const error = await failure(go)
    expect(error.message).toBe(
      'could not run the go command (Unable to locate executable file: go.). Install Go before this step, e.g. with ' +
        'actions/setup-go, and make sure `go` on PATH is that toolchain.',
    )
  })

  it('passes go-timeout to go, and says what to do when go env ran out of it', async () => {
    const limits: Array<number | undefined> = []
    const go: GoRunner = {
      run: async (_args, options) => {
        limits.push(options.timeoutMs)
        return {
          exitCode: -1,
          stdout: '',
          stderr: 'go: downloading go1.99.0 (linux/amd64)\n',
          durationMs: 90_000,
          timedOut: true,
        }
      },
    }
    const error = await readGoEnv(go, {}, '/', 90_000).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(limits).toEqual([90_000])
    expect(error).toBeInstanceOf(GoCommandError)
    expect((error as Error).message).toBe(
      '`go env -json` did not finish within go-timeout (90 s) and was stopped. When GOTOOLCHAIN names a newer Go than ' +
        'the one installed, this command downloads it through GOPROXY: check that the proxy answers, install that Go ' +
        'before this step, or raise go-timeout.',
    )
  })
})
