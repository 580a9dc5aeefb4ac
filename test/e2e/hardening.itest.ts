import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { chmod, mkdir, writeFile } from 'node:fs/promises'
import { createServer, type AddressInfo, type Socket } from 'node:net'
import path from 'node:path'
import { NODE24, runAction, type JobRun } from '../helpers/action-runner.js'
import { runCliBundle } from '../helpers/cli-runner.js'
import { removeTempDirs, tempDir } from '../helpers/temp-dir.js'
import { makeModule, treeHashes } from '../helpers/workspace.js'
import { isolatedGoEnv } from '../servers/testserver.js'

// Hostile and broken surroundings, through the bundles as a runner or a person runs them: every failure ends in one
// clear line that names the cause and the fix, with no stack trace, nothing exported and nothing written in the
// checkout. No test here reaches a network: every value is refused before anything would be fetched.

/** what Node prints for each frame of a stack trace */
const STACK_FRAME = '    at '

let root: string
let workspace: string
let goEnv: Record<string, string>

beforeAll(async () => {
  root = await tempDir('gpg-hardening-')
  workspace = path.join(root, 'ws')
  await makeModule(workspace, { requires: {}, goSum: '', imports: [] })
  goEnv = await isolatedGoEnv(path.join(root, 'go'))
})

afterAll(removeTempDirs)

/** The ::error:: lines of a step: each one a single line of text by construction; returned unescaped. */
function errorLines(job: JobRun): string[] {
  return [...job.main.stdout.matchAll(/^::error::(.*)$/gm)].map((m) => (m[1] as string).replace(/%0A/g, '\n'))
}

describe('a value as long as the OS allows is answered at once', () => {
  // 120 KB (one environment value may hold 128 KB): shapes that took a former version minutes
  const LONG: Array<[string, string]> = [
    ['one long host with a bad port', `https://${'a'.repeat(120_000)}:99999`],
    ['ten thousand entries and a bad scheme', `${'https://a.example,'.repeat(6_660)}ftp://b.example`],
    ['a long run of user info', `https://${'u:p'.repeat(40_000)}`],
  ]

  it.each(LONG)(
    'CLI flag --goproxy: %s',
    async (_shape, goproxy) => {
      const run = await runCliBundle(['setup', '--goproxy', goproxy], { cwd: workspace, env: goEnv })
      expect(run.code).toBe(2)
      expect(run.stdout).toBe('')
      expect(run.stderr).toMatch(/^goproxy-guard: Input 'goproxy': /)
      // the value is quoted shortened, so the message stays readable
      expect(run.stderr.length).toBeLessThan(4_000)
      expect(run.stderr).not.toContain(STACK_FRAME)
    },
    60_000,
  )

  it.each(LONG)(
    'GOPROXY_GUARD_GOPROXY: %s',
    async (_shape, goproxy) => {
      const run = await runCliBundle(['setup'], { cwd: workspace, env: { ...goEnv, GOPROXY_GUARD_GOPROXY: goproxy } })
      expect(run.code).toBe(2)
      expect(run.stderr).toMatch(/^goproxy-guard: Input 'goproxy': /)
      expect(run.stderr.length).toBeLessThan(4_000)
      expect(run.stderr).not.toContain(STACK_FRAME)
    },
    60_000,
  )
})

describe('a go on PATH that prints garbage', () => {
  let fakeBin: string
  beforeAll(async () => {
    fakeBin = path.join(root, 'fake-go-bin')
    await mkdir(fakeBin)
    await writeFile(
      path.join(fakeBin, 'go'),
      '#!/bin/sh\necho "garbage from a go that is not Go"\necho "{ not json"\nexit 0\n',
    )
    await chmod(path.join(fakeBin, 'go'), 0o755)
  })
  const path_ = (): string => `${fakeBin}:${path.dirname(NODE24)}:/usr/bin:/bin`
  const said =
    '`go env -json` printed something that is not Go\'s JSON (first line: "garbage from a go that is not Go")'

  it('CLI: exit 2, one clear line, no stack trace, nothing printed to export', async () => {
    const run = await runCliBundle(['setup', '--format', 'dotenv'], {
      cwd: workspace,
      env: { ...goEnv, PATH: path_() },
    })
    expect(run.code).toBe(2)
    expect(run.stdout).toBe('')
    expect(run.stderr.trim().split('\n')).toEqual([
      `goproxy-guard: ${said}: the go on PATH is not a working Go toolchain. Install Go before this step, e.g. with ` +
        'actions/setup-go, and make sure `go` on PATH is that toolchain.',
    ])
  }, 60_000)

  it('action: the step fails with that line, no stack trace, nothing exported, the checkout untouched', async () => {
    const before = await treeHashes(workspace)
    const job = await runAction({ workspace, env: { ...goEnv, PATH: path_() }, inputs: { goproxy: 'off' } })
    expect(job.main.code).not.toBe(0)
    expect(errorLines(job)).toEqual([expect.stringContaining(said)])
    expect(job.main.files.env).toBe('')
    expect(job.emitted()).not.toContain(STACK_FRAME)
    expect(job.post?.code).toBe(0)
    expect(await treeHashes(workspace)).toEqual(before)
  }, 60_000)
})

describe('a RUNNER_TEMP the tool cannot use', () => {
  it.each([
    ['missing', () => path.join(root, 'no-such-dir'), 'cannot be used: it does not exist'],
    ['a file', () => path.join(workspace, 'go.mod'), 'is not a directory'],
    ['relative', () => 'runner-temp', 'is not an absolute path'],
  ])(
    '%s: the step fails naming RUNNER_TEMP, no stack trace, nothing written in the checkout',
    async (_what, dir, why) => {
      const before = await treeHashes(workspace)
      const job = await runAction({
        workspace,
        env: { ...goEnv, RUNNER_TEMP: dir() },
        inputs: { goproxy: 'off', auth: 'corp.example ci s3cret-for-runner-temp' },
      })
      expect(job.main.code).not.toBe(0)
      const errors = errorLines(job)
      expect(errors).toHaveLength(1)
      expect(errors[0]).toMatch(
        new RegExp(`^Nothing was exported and no file was written: RUNNER_TEMP \\(.*\\) ${why}`),
      )
      expect(errors[0]).toContain('Point RUNNER_TEMP at an absolute path to a directory private to this job')
      expect(errors[0]).not.toContain('\n')
      expect(job.main.files.env).toBe('')
      expect(job.emitted()).not.toContain(STACK_FRAME)
      expect(job.emitted()).not.toContain('s3cret-for-runner-temp')
      expect(await treeHashes(workspace)).toEqual(before)
    },
    60_000,
  )
})

describe('a toolchain download that never finishes', () => {
  it('CLI: go env is stopped at go-timeout, exit 2, one line naming go-timeout and what to check', async () => {
    // a proxy that accepts every connection and never answers: GOTOOLCHAIN sends `go env` to it for go1.99.0
    const sockets = new Set<Socket>()
    const silent = createServer((socket) => {
      sockets.add(socket)
      socket.on('error', () => undefined)
    })
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const { port } = silent.address() as AddressInfo
    try {
      const run = await runCliBundle(['setup', '--go-timeout', '3', '--format', 'dotenv'], {
        cwd: workspace,
        env: {
          ...goEnv,
          GOTOOLCHAIN: 'go1.99.0',
          GOPROXY_GUARD_GOPROXY: `http://127.0.0.1:${port}`,
          GOPROXY_GUARD_GOSUMDB: 'off',
        },
      })
      expect(run.code).toBe(2)
      expect(run.stdout).toBe('')
      expect(run.stderr.trim().split('\n')).toEqual([
        'goproxy-guard: `go env -json` did not finish within go-timeout (3 s) and was stopped. When GOTOOLCHAIN names a newer ' +
          'Go than the one installed, this command downloads it through GOPROXY: check that the proxy answers, ' +
          'install that Go before this step, or raise go-timeout.',
      ])
      expect(sockets.size).toBeGreaterThan(0)
    } finally {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => silent.close(resolve))
    }
  }, 60_000)
})
