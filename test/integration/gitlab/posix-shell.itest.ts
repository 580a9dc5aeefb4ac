// The templates' scripts under dash (a strict POSIX shell, like the /bin/sh of Debian and, for these purposes,
// Alpine's ash), with the variables GitLab would give them: inputs interpolated into the template's `variables:`.
// gitlab-ci-local runs bash; this catches bashisms, and covers presets, GOFLAGS merging and the check job's --auth-file.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { chmod, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { parseAllDocuments } from 'yaml'
import { PRESETS } from '../../../src/settings/presets.js'
import { templatesDir } from './gitlab-ci-local.js'
import { removeTempDirs, tempDir } from '../../helpers/temp-dir.js'

type Yaml = Record<string, unknown>

interface Template {
  inputs: Record<string, { default?: unknown }>
  job: Yaml
}

async function loadTemplate(name: 'setup' | 'check'): Promise<Template> {
  const [header, body] = parseAllDocuments(await readFile(path.join(templatesDir, `${name}.yml`), 'utf8')).map(
    (doc) => doc.toJS() as Yaml,
  )
  const inputs = ((header as Yaml).spec as Yaml).inputs as Template['inputs']
  const job = Object.values(body as Yaml)[0] as Yaml
  return { inputs, job }
}

/** The job's variables as GitLab would set them: inputs (or their defaults) interpolated, then $CI_PROJECT_DIR. */
function jobVariables(template: Template, given: Record<string, string>, projectDir: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, raw] of Object.entries(template.job.variables as Record<string, string>)) {
    out[name] = String(raw)
      .replace(/\$\[\[\s*inputs\.([A-Za-z0-9_-]+)\s*\]\]/g, (_m, input: string) =>
        String(given[input] ?? template.inputs[input]?.default ?? ''),
      )
      .replace(/\$\[\[\s*component\.version\s*\]\]/g, '1.0.0')
      .replace(/\$CI_PROJECT_DIR/g, projectDir)
  }
  return out
}

interface ShellRun {
  code: number | null
  stdout: string
  stderr: string
}

function dash(script: string, env: Record<string, string>, cwd: string): Promise<ShellRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('dash', ['-e', '-c', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex')
const DECOY_NETRC = 'machine decoy.example login someone password decoy-password\n'

let scratch: string
let setup: Template
let check: Template

beforeAll(async () => {
  scratch = await tempDir('gitlab-posix-itest-')
  setup = await loadTemplate('setup')
  check = await loadTemplate('check')
})

afterAll(async () => {
  await removeTempDirs()
})

/** A fresh project dir, HOME (with a ~/.netrc) and runner temp dir; the base environment of a job. */
async function jobDirs(): Promise<{ env: Record<string, string>; project: string; runnerTemp: string }> {
  const root = await mkdtemp(path.join(scratch, 'job-'))
  const project = path.join(root, 'project')
  const home = path.join(root, 'home')
  const runnerTemp = path.join(root, 'project.tmp')
  await mkdir(project, { recursive: true })
  await mkdir(home, { recursive: true })
  await writeFile(path.join(home, '.netrc'), DECOY_NETRC, { mode: 0o600 })
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    CI_PROJECT_DIR: project,
    RUNNER_TEMP_PROJECT_DIR: runnerTemp,
    CI_SERVER_HOST: 'gitlab.example.com',
    CI_SERVER_FQDN: 'gitlab.example.com',
  }
  return { env, project, runnerTemp }
}

/** Runs the setup before_script, then `after` in the same shell (as a job's script would). */
async function runSetup(inputs: Record<string, string>, extraEnv: Record<string, string>, after: string) {
  const { env, project, runnerTemp } = await jobDirs()
  const script = (setup.job.before_script as string[]).join('\n')
  // a umask other than the usual 0022, to see the script restore it
  const run = await dash(
    `umask 0027\n${script}\n${after}`,
    { ...env, ...jobVariables(setup, inputs, project), ...extraEnv },
    project,
  )
  return { ...run, project, runnerTemp, home: env.HOME }
}

const SHOW_GO = `printf 'GOPROXY=%s\\nGOSUMDB=%s\\nGOFLAGS=%s\\nGOMODCACHE=%s\\nNETRC=%s\\nGIT_CONFIG_COUNT=%s\\numask=%s\\n' \
  "\${GOPROXY-unset}" "\${GOSUMDB-unset}" "\${GOFLAGS-unset}" "\${GOMODCACHE-unset}" "\${NETRC-unset}" \
  "\${GIT_CONFIG_COUNT-unset}" "$(umask)"`

function shown(stdout: string): Record<string, string> {
  return Object.fromEntries(
    stdout
      .split('\n')
      .filter((line) => /^[A-Za-z_-]+=/.test(line) && !line.startsWith('goproxy-guard'))
      .map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]),
  )
}

describe('setup before_script under dash', () => {
  // the shell's presets must stay the CLI's (src/settings/presets.ts)
  test.each([
    ['china', { preset: 'china' }, PRESETS.china.goproxy, PRESETS.china.gosumdb],
    ['official', { preset: 'official' }, PRESETS.official.goproxy, PRESETS.official.gosumdb],
    [
      'official with goproxy given',
      { preset: 'official' as string, goproxy: 'https://goproxy.example|direct' },
      'https://goproxy.example|direct',
      PRESETS.official.gosumdb,
    ],
  ])('preset %s', async (_name, inputs, goproxy, gosumdb) => {
    const run = await runSetup(inputs, {}, SHOW_GO)
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const values = shown(run.stdout)
    expect(values.GOPROXY).toBe(goproxy)
    expect(values.GOSUMDB).toBe(gosumdb)
    expect(values.GOFLAGS).toBe('-modcacherw')
    expect(values.GOMODCACHE).toBe(path.join(run.project, '.go/pkg/mod'))
    // no credentials: no credential file and nothing pointing at one
    expect(values.NETRC).toBe('unset')
    expect(values.GIT_CONFIG_COUNT).toBe('unset')
    expect(values.umask).toBe('0027')
  })

  test('empty inputs keep what the job already has; -modcacherw is added once', async () => {
    const kept = await runSetup({}, { GOPROXY: 'https://mine.example', GOFLAGS: '-mod=mod' }, SHOW_GO)
    expect(shown(kept.stdout)).toMatchObject({
      GOPROXY: 'https://mine.example',
      GOSUMDB: 'unset',
      GOFLAGS: '-mod=mod -modcacherw',
    })
    const once = await runSetup({ goflags: '-trimpath -modcacherw' }, {}, SHOW_GO)
    expect(shown(once.stdout).GOFLAGS).toBe('-trimpath -modcacherw')
    const off = await runSetup({ modcacherw: 'false' }, {}, SHOW_GO)
    expect(shown(off.stdout).GOFLAGS).toBe('unset')
  })

  test('credentials: the netrc under RUNNER_TEMP_PROJECT_DIR, mode 0600, ours before ~/.netrc; umask restored', async () => {
    const token = 'T0ken-under-dash.value'
    const run = await runSetup(
      { 'auth-host': 'proxy.example:8443', 'auth-username': 'ci-bot', 'auth-job-token': 'true' },
      { GOPROXY_GUARD_TOKEN: token, CI_JOB_TOKEN: 'job-t0ken.value' },
      `${SHOW_GO}\nprintf 'mode=%s\\n' "$(stat -c %a "$NETRC")"\nprintf 'netrc-sha=%s\\n' "$(sha256sum < "$NETRC" | cut -d' ' -f1)"`,
    )
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const values = shown(run.stdout)
    expect(path.dirname(path.dirname(values.NETRC as string))).toBe(run.runnerTemp)
    expect(values.mode).toBe('600')
    expect(values.umask).toBe('0027')
    expect(values['netrc-sha']).toBe(
      sha256(
        `machine proxy.example:8443 login ci-bot password ${token}\n` +
          `machine proxy.example login ci-bot password ${token}\n` +
          'machine gitlab.example.com login gitlab-ci-token password job-t0ken.value\n' +
          `\n${DECOY_NETRC}`,
      ),
    )
    expect(run.stdout).not.toContain(token)
    // the EXIT trap removed the directory with the shell
    await expect(readFile(values.NETRC as string)).rejects.toThrow()
  })

  test('a variable-named auth-host that expands to something else fails, and so does a token with a space', async () => {
    const host = await runSetup(
      { 'auth-host': '$WHERE', 'auth-username': 'u' },
      { WHERE: 'a b', GOPROXY_GUARD_TOKEN: 'tok' },
      '',
    )
    expect(host.code).toBe(1)
    expect(host.stderr).toContain("auth-host '$WHERE' is not a host or host:port")
    const spaced = await runSetup(
      { 'auth-host': 'h.example', 'auth-username': 'u' },
      { GOPROXY_GUARD_TOKEN: 'to ken' },
      '',
    )
    expect(spaced.code).toBe(1)
    expect(spaced.stderr).toContain('holds whitespace; it must hold only the token')
    expect(spaced.stderr).not.toContain('to ken')
  })
})

describe('check script under dash', () => {
  /** A fake goproxy-guard that reports how it was called, then exits with $FAKE_EXIT. */
  async function fakeCli(binDir: string): Promise<void> {
    await mkdir(binDir, { recursive: true })
    const fake = path.join(binDir, 'goproxy-guard')
    await writeFile(
      fake,
      [
        '#!/bin/sh',
        'printf "argv=%s\\n" "$*"',
        'printf "goflags=%s\\n" "$GOPROXY_GUARD_GOFLAGS"',
        'while [ $# -gt 0 ]; do',
        '  if [ "$1" = --auth-file ]; then',
        '    printf "auth-mode=%s\\n" "$(stat -c %a "$2")"',
        '    printf "auth-sha=%s\\n" "$(sha256sum < "$2" | cut -d" " -f1)"',
        '    printf "auth-dir=%s\\n" "$(dirname "$(dirname "$2")")"',
        '  fi',
        '  shift',
        'done',
        'exit "${FAKE_EXIT:-0}"',
        '',
      ].join('\n'),
    )
    await chmod(fake, 0o755)
  }

  async function runCheck(inputs: Record<string, string>, extraEnv: Record<string, string>) {
    const { env, project, runnerTemp } = await jobDirs()
    const bin = path.join(project, '..', 'bin')
    await fakeCli(bin)
    const script = (check.job.script as string[]).join('\n')
    const variables = jobVariables(check, inputs, project)
    const run = await dash(script, { ...env, ...variables, ...extraEnv, PATH: `${bin}:${env.PATH}` }, project)
    return { ...run, runnerTemp, values: shown(run.stdout) }
  }

  test('collects every credential source into one 0600 auth file outside the project, passed with --auth-file', async () => {
    const netrcFile = path.join(scratch, 'check-netrc')
    await writeFile(netrcFile, 'machine files.example\n  login f-user\n  password f-secret.value\n')
    const run = await runCheck(
      { 'auth-host': 'proxy.example:8443', 'auth-username': 'ci-bot', 'auth-job-token': 'true', goflags: '-trimpath' },
      {
        GOPROXY_GUARD_TOKEN: 'proxy-t0ken.value',
        GOPROXY_GUARD_NETRC: netrcFile,
        CI_JOB_TOKEN: 'job-t0ken.value',
        GOPROXY_GUARD_AUTH: 'extra.example extra-user extra-s3cret',
      },
    )
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.values.argv).toMatch(/^run --report-dir goproxy-guard-report --auth-file \S+\/auth$/)
    expect(run.values.goflags).toBe('-trimpath -modcacherw')
    expect(run.values['auth-mode']).toBe('600')
    expect(run.values['auth-dir']).toBe(run.runnerTemp)
    expect(run.values['auth-sha']).toBe(
      sha256(
        'proxy.example:8443 ci-bot proxy-t0ken.value\n' +
          'files.example f-user f-secret.value\n' +
          'gitlab.example.com gitlab-ci-token job-t0ken.value\n' +
          'extra.example extra-user extra-s3cret\n',
      ),
    )
  })

  test('without credentials there is no --auth-file; the CLI exit code is the job exit code', async () => {
    const run = await runCheck({ 'report-dir': 'out/reports' }, { FAKE_EXIT: '3' })
    expect(run.code).toBe(3)
    expect(run.values.argv).toBe('run --report-dir out/reports')
  })
})
