import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { runDriftChecks } from '../../../src/drift/check.js'
import type { GoResult, GoRunner } from '../../../src/gocmd/runner.js'
import { removeTempDirs, tempDir } from '../../helpers/temp-dir.js'

afterAll(removeTempDirs)

const MODULES = ['.', 'svc/a', 'svc/b']

async function repo(): Promise<string> {
  const root = await tempDir('check-unit-')
  await mkdir(path.join(root, '.git'))
  for (const m of MODULES) {
    await mkdir(path.join(root, m), { recursive: true })
    await writeFile(path.join(root, m, 'go.mod'), `module example.com/${m}\n\ngo 1.21\n`)
  }
  return root
}

type Answer = (
  args: string[],
  cwd: string,
  env: Record<string, string>,
) => Partial<GoResult> | Promise<Partial<GoResult>>

/** A go command that answers from a function and records every call and how many ran at once. */
function scriptedGo(
  answer: Answer,
): GoRunner & { calls: Array<{ args: string[]; cwd: string }>; maxConcurrent: number } {
  let running = 0
  const go = {
    calls: [] as Array<{ args: string[]; cwd: string }>,
    maxConcurrent: 0,
    async run(args: string[], options: { cwd: string; env: Record<string, string> }): Promise<GoResult> {
      go.calls.push({ args, cwd: options.cwd })
      running++
      go.maxConcurrent = Math.max(go.maxConcurrent, running)
      try {
        await new Promise((resolve) => setTimeout(resolve, 5))
        return { exitCode: 0, stdout: '', stderr: '', durationMs: 5, ...(await answer(args, options.cwd, options.env)) }
      } finally {
        running--
      }
    },
  }
  return go
}

const base = { env: {}, allowExternalReplace: false }

describe('runDriftChecks', () => {
  it('runs tidy -diff once per module on Go ≥ 1.23 and nothing that loads the module graph again', async () => {
    const root = await repo()
    const go = scriptedGo(() => ({}))
    const report = await runDriftChecks({ ...base, go, workingDirectory: root, goVersion: 'go1.26.8' })
    expect(go.calls.map((c) => [c.args.join(' '), path.relative(root, c.cwd) || '.']).sort()).toEqual([
      ['mod tidy -diff', '.'],
      ['mod tidy -diff', 'svc/a'],
      ['mod tidy -diff', 'svc/b'],
    ])
    expect(report.findings).toEqual([])
    expect(report.modules).toEqual(MODULES)
    expect(report.checks.map((c) => `${c.module}:${c.check}:${c.outcome}`)).toEqual([
      '.:tidy:passed',
      '.:go.sum:passed',
      '.:replace:passed',
      'svc/a:tidy:passed',
      'svc/a:go.sum:passed',
      'svc/a:replace:passed',
      'svc/b:tidy:passed',
      'svc/b:go.sum:passed',
      'svc/b:replace:passed',
    ])
  })

  it('reads GOVERSION once when not given, and on old Go skips tidy with a notice and checks go.sum with go list', async () => {
    const root = await repo()
    const go = scriptedGo((args) => (args[0] === 'env' ? { stdout: 'go1.22.12\n' } : {}))
    const report = await runDriftChecks({ ...base, go, workingDirectory: root })
    const commands = go.calls.map((c) => c.args.slice(0, 2).join(' '))
    expect(commands.filter((c) => c === 'env GOVERSION')).toHaveLength(1)
    expect(commands.filter((c) => c === 'list -e')).toHaveLength(3)
    expect(commands).not.toContain('mod tidy')
    expect(report.notices).toEqual([expect.stringMatching(/^go1\.22\.12 has no go mod tidy -diff \(Go 1\.23\+\)/)])
    expect(report.checks.filter((c) => c.check === 'tidy').map((c) => c.outcome)).toEqual([
      'skipped',
      'skipped',
      'skipped',
    ])
  })

  it('keeps at most `concurrency` go commands running', async () => {
    const root = await repo()
    const go = scriptedGo(() => ({}))
    await runDriftChecks({ ...base, go, workingDirectory: root, goVersion: 'go1.26.8', verify: true, concurrency: 2 })
    expect(go.calls).toHaveLength(6)
    expect(go.maxConcurrent).toBe(2)
  })

  it('reports one proxy diagnosis for a proxy that fails every module, and no drift', async () => {
    const root = await repo()
    const stderr =
      'go: example.com/util@v0.1.0: reading https://proxy.corp/example.com/util/@v/v0.1.0.mod: 502 Bad Gateway\n'
    const go = scriptedGo(() => ({ exitCode: 1, stderr }))
    const report = await runDriftChecks({ ...base, go, workingDirectory: root, goVersion: 'go1.26.8' })
    expect(report.findings).toEqual([])
    expect(report.diagnoses.map((d) => [d.kind, d.code])).toEqual([['proxy', 'proxy-http-5xx']])
    expect(report.checks.filter((c) => c.check === 'tidy').map((c) => c.outcome)).toEqual(['error', 'error', 'error'])
  })

  it('says so loudly if a module file changes while it runs', async () => {
    const root = await repo()
    const go = scriptedGo(async (args, cwd) => {
      if (args[1] === 'tidy' && cwd === path.join(root, 'svc/a'))
        await writeFile(path.join(cwd, 'go.sum'), 'x v1 h1:y\n')
      return {}
    })
    const report = await runDriftChecks({ ...base, go, workingDirectory: root, goVersion: 'go1.26.8' })
    expect(report.diagnoses.map((d) => [d.code, d.title])).toEqual([
      ['drift-check-wrote-module-file', 'A module file changed while the drift checks ran: svc/a/go.sum'],
    ])
  })

  it('gives a notice when there is no module', async () => {
    const root = await tempDir('check-empty-')
    const go = scriptedGo(() => ({}))
    const report = await runDriftChecks({ ...base, go, workingDirectory: root, goVersion: 'go1.26.8' })
    expect(report).toMatchObject({
      findings: [],
      modules: [],
      checks: [],
      notices: [`No Go module found below ${root}: nothing to check for drift.`],
    })
    expect(go.calls).toEqual([])
  })
})
