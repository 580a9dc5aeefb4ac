// The templates' scripts under dash (Debian's /bin/sh, with Debian's tools) and busybox ash (Alpine's /bin/sh, with
// busybox's tools only), with the variables GitLab would give them: inputs interpolated into the template's
// `variables:`. gitlab-ci-local runs bash; this catches bashisms and GNU-only options, and covers presets, GOFLAGS,
// the netrc's host:port lines, Go's checks of goflags and patterns, verify, the build cache's pruning and the
// check job's flags and dotenv.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { createHash } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { PRESETS } from '../../../src/settings/presets.js'
import { exportFileProxy, fixtureModulesDir, goSumFor, isolatedGoEnv, runGo } from '../../servers/testserver.js'
import { jobVariables, loadTemplate, shells, type Shell, type Template } from './shells.js'

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex')
const DECOY_NETRC = 'machine decoy.example login someone password decoy-password\n'

let scratch: string
/** where the busybox applet links live: made at load time, since describe.each needs the shells before beforeAll */
const shellsDir = mkdtempSync(path.join(tmpdir(), 'gitlab-posix-shells-'))
const SHELLS = shells(shellsDir).map((shell) => [shell.name, shell] as const)
let setup: Template
let check: Template
/** one GOCACHE for the Go programs the checks build, so each is compiled once per run */
let sharedGoCache: string

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'gitlab-posix-itest-'))
  sharedGoCache = path.join(scratch, 'shared-gocache')
  setup = await loadTemplate('setup')
  check = await loadTemplate('check')
})

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 })
  await rm(shellsDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 })
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
    PATH: '',
    HOME: home,
    GOTELEMETRY: 'off',
    GOENV: path.join(home, 'go.env'),
    CI_PROJECT_DIR: project,
    RUNNER_TEMP_PROJECT_DIR: runnerTemp,
    CI_SERVER_HOST: 'gitlab.example.com',
    CI_SERVER_FQDN: 'gitlab.example.com',
    CI_COMMIT_REF_NAME: 'main',
    CI_DEFAULT_BRANCH: 'main',
  }
  return { env, project, runnerTemp }
}

interface SetupRun {
  code: number | null
  stdout: string
  stderr: string
  project: string
  runnerTemp: string
  env: Record<string, string>
}

/** Runs the setup before_script, then `after` in the same shell (as a job's script would). */
async function runSetup(
  shell: Shell,
  inputs: Record<string, unknown>,
  extraEnv: Record<string, string>,
  after: string,
  prepare?: (project: string) => Promise<void>,
): Promise<SetupRun> {
  const { env, project, runnerTemp } = await jobDirs()
  await prepare?.(project)
  const script = (setup.job.before_script as string[]).join('\n')
  const jobEnv = { ...env, ...jobVariables(setup, inputs, project), ...extraEnv }
  // a umask other than the usual 0022, to see the script restore it
  const run = await shell.run(`umask 0027\n${script}\n${after}`, jobEnv, project)
  return { ...run, project, runnerTemp, env: jobEnv }
}

/** The after_script, in a shell of its own, as GitLab runs it. */
function runAfter(shell: Shell, env: Record<string, string>, project: string) {
  return shell.run((setup.job.after_script as string[]).join('\n'), env, project)
}

const SHOW_GO = `printf 'GOPROXY=%s\\nGOSUMDB=%s\\nGOFLAGS=%s\\nGOMODCACHE=%s\\nGOCACHE=%s\\nNETRC=%s\\nGIT_CONFIG_COUNT=%s\\numask=%s\\n' \
  "\${GOPROXY-unset}" "\${GOSUMDB-unset}" "\${GOFLAGS-unset}" "\${GOMODCACHE-unset}" "\${GOCACHE-unset}" "\${NETRC-unset}" \
  "\${GIT_CONFIG_COUNT-unset}" "$(umask)"`

function shown(stdout: string): Record<string, string> {
  return Object.fromEntries(
    stdout
      .split('\n')
      .filter((line) => /^[A-Za-z_-]+=/.test(line) && !line.startsWith('goproxy-guard'))
      .map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]),
  )
}

describe.each(SHELLS)('setup before_script under %s', (_name, shell) => {
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
  ])('preset %s', async (_preset, inputs, goproxy, gosumdb) => {
    const run = await runSetup(shell, inputs, {}, SHOW_GO)
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const values = shown(run.stdout)
    expect(values.GOPROXY).toBe(goproxy)
    expect(values.GOSUMDB).toBe(gosumdb)
    expect(values.GOFLAGS).toBe('-modcacherw')
    expect(values.GOMODCACHE).toBe(path.join(run.project, '.go/pkg/mod'))
    expect(values.GOCACHE).toBe(path.join(run.project, '.go/cache'))
    // no credentials: no credential file and nothing pointing at one
    expect(values.NETRC).toBe('unset')
    expect(values.GIT_CONFIG_COUNT).toBe('unset')
    expect(values.umask).toBe('0027')
    // and the private directory of the checks is gone already
    expect(await readdir(run.runnerTemp)).toEqual([])
  })

  test("empty inputs keep what the job has; goflags go after the job's GOFLAGS and go env -w's", async () => {
    const kept = await runSetup(shell, {}, { GOPROXY: 'https://mine.example', GOFLAGS: '-mod=mod' }, SHOW_GO)
    expect(kept.stderr).toBe('')
    expect(shown(kept.stdout)).toMatchObject({
      GOPROXY: 'https://mine.example',
      GOSUMDB: 'unset',
      GOFLAGS: '-mod=mod -modcacherw',
    })
    const written = await runSetup(shell, { goflags: '-trimpath -modcacherw' }, {}, SHOW_GO)
    expect(shown(written.stdout).GOFLAGS).toBe('-trimpath -modcacherw')
    // GOFLAGS set with go env -w (the go env file) is kept too
    const envFile = await jobDirs()
    await writeFile(envFile.env.GOENV as string, 'GOFLAGS=-buildvcs=false\n')
    const withEnvFile = await shell.run(
      `${(setup.job.before_script as string[]).join('\n')}\n${SHOW_GO}`,
      { ...envFile.env, ...jobVariables(setup, { goflags: '-trimpath' }, envFile.project) },
      envFile.project,
    )
    expect(withEnvFile.stderr).toBe('')
    expect(shown(withEnvFile.stdout).GOFLAGS).toBe('-buildvcs=false -trimpath -modcacherw')
    const off = await runSetup(shell, { modcacherw: false }, {}, SHOW_GO)
    expect(shown(off.stdout).GOFLAGS).toBe('unset')
  })

  test('goflags that Go refuses fail before_script, naming goflags, in Go words', async () => {
    const typo = await runSetup(shell, { goflags: '-trimpth' }, {}, 'echo after')
    expect(typo.code).toBe(1)
    expect(typo.stderr).toContain("goflags '-trimpth' is refused by Go: go: parsing $GOFLAGS: unknown flag -trimpth")
    expect(typo.stdout).not.toContain('after')
    const value = await runSetup(shell, { goflags: '-mod=foo' }, {}, 'echo after')
    expect(value.code).toBe(1)
    expect(value.stderr).toContain("goflags: Go refuses GOFLAGS '-mod=foo -modcacherw'")
    expect(value.stderr).toContain("-mod=foo not supported (can be '', 'mod', 'readonly', or 'vendor')")
    // the job's own GOFLAGS is named as such
    const job = await runSetup(shell, {}, { GOFLAGS: '-trimpth' }, 'echo after')
    expect(job.code).toBe(1)
    expect(job.stderr).toContain("the job's GOFLAGS '-trimpth' (from the environment or go env -w) is refused by Go")
  })

  test('a module path pattern Go cannot parse fails before_script with Go words', async () => {
    const noBuildCache = { 'build-cache': false }
    const env = { GOCACHE: sharedGoCache }
    const bad = await runSetup(shell, { ...noBuildCache, goprivate: 'corp.example/*,[acme' }, env, 'echo after')
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('goprivate: pattern "[acme": syntax error in pattern')
    const good = await runSetup(shell, { ...noBuildCache, gonosumdb: 'corp.example/[ab]*' }, env, 'echo after')
    expect(good.stderr).toBe('')
    expect(good.stdout).toContain('after')
  }, 120_000)

  test('credentials: one netrc line per host and per host:port of GOPROXY and GOSUMDB, mode 0600, ours first', async () => {
    const token = 'T0ken-under-the-shell.value'
    const fileSecret = 'f1le-Secret.value'
    const jobToken = 'job-t0ken.value'
    const run = await runSetup(
      shell,
      {
        goproxy: 'https://proxy.example:8443/go,https://proxy.example:10443|files.example:7443,direct',
        gosumdb: 'sum.golang.org https://proxy.example:9443/sumdb/sum.golang.org',
        'auth-host': 'proxy.example',
        'auth-username': 'ci-bot',
        'auth-netrc-variable': 'CORP_NETRC',
        'auth-job-token': true,
      },
      {
        GOPROXY_GUARD_TOKEN: token,
        CORP_NETRC: `machine files.example\n  login file-user\n  password ${fileSecret}\n`,
        CI_JOB_TOKEN: jobToken,
        CI_SERVER_FQDN: 'gitlab.example.com:8929',
      },
      `${SHOW_GO}\nprintf 'mode=%s\\n' "$(stat -c %a "$NETRC")"\nprintf 'netrc-sha=%s\\n' "$(sha256sum < "$NETRC" | cut -d' ' -f1)"\nprintf 'git-sha=%s\\n' "$(sha256sum < "$GIT_CONFIG_VALUE_0" | cut -d' ' -f1)"`,
    )
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const values = shown(run.stdout)
    expect(path.dirname(path.dirname(values.NETRC as string))).toBe(run.runnerTemp)
    expect(values.mode).toBe('600')
    expect(values.umask).toBe('0027')
    const line = (machine: string, login: string, secret: string) =>
      `machine ${machine} login ${login} password ${secret}\n`
    // the action's order (src/secrets/netrc.ts): each credential, then its ports sorted as strings
    expect(values['netrc-sha']).toBe(
      sha256(
        line('proxy.example', 'ci-bot', token) +
          line('proxy.example:10443', 'ci-bot', token) +
          line('proxy.example:8443', 'ci-bot', token) +
          line('proxy.example:9443', 'ci-bot', token) +
          line('files.example', 'file-user', fileSecret) +
          line('files.example:7443', 'file-user', fileSecret) +
          line('gitlab.example.com', 'gitlab-ci-token', jobToken) +
          line('gitlab.example.com:8929', 'gitlab-ci-token', jobToken) +
          `\n${DECOY_NETRC}`,
      ),
    )
    const header = (host: string, user: string, secret: string) =>
      `[http "https://${host}/"]\n\textraheader = Authorization: Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}\n`
    expect(values['git-sha']).toBe(
      sha256(
        header('proxy.example', 'ci-bot', token) +
          header('files.example', 'file-user', fileSecret) +
          header('gitlab.example.com', 'gitlab-ci-token', jobToken) +
          header('gitlab.example.com:8929', 'gitlab-ci-token', jobToken),
      ),
    )
    for (const secret of [token, fileSecret, jobToken]) expect(run.stdout + run.stderr).not.toContain(secret)
    // the EXIT trap removed the directory with the shell
    await expect(readFile(values.NETRC as string)).rejects.toThrow()
  })

  test('a host:port auth-host keeps its bare host for Go before 1.24; the job GOPROXY counts when the input is empty', async () => {
    const run = await runSetup(
      shell,
      { 'auth-host': 'proxy.example:8443', 'auth-username': 'ci-bot' },
      { GOPROXY_GUARD_TOKEN: 'tok.value', GOPROXY: 'https://other.example:7443,https://proxy.example:6443' },
      `printf 'machines=%s\\n' "$(awk '$1 == "machine" { printf "%s ", $2 }' "$NETRC")"`,
    )
    expect(run.stderr).toBe('')
    expect(shown(run.stdout).machines).toBe('proxy.example:8443 proxy.example decoy.example ')
    const bare = await runSetup(
      shell,
      { 'auth-host': 'proxy.example', 'auth-username': 'ci-bot' },
      { GOPROXY_GUARD_TOKEN: 'tok.value', GOPROXY: 'https://other.example:7443,https://proxy.example:6443' },
      `printf 'machines=%s\\n' "$(awk '$1 == "machine" { printf "%s ", $2 }' "$NETRC")"`,
    )
    expect(shown(bare.stdout).machines).toBe('proxy.example proxy.example:6443 decoy.example ')
  })

  test('a variable-named auth-host that expands to something else fails, and so does a token with a space', async () => {
    const host = await runSetup(
      shell,
      { 'auth-host': '$WHERE', 'auth-username': 'u' },
      { WHERE: 'a b', GOPROXY_GUARD_TOKEN: 'tok' },
      '',
    )
    expect(host.code).toBe(1)
    expect(host.stderr).toContain("auth-host '$WHERE' is not a host or host:port")
    const spaced = await runSetup(
      shell,
      { 'auth-host': 'h.example', 'auth-username': 'u' },
      { GOPROXY_GUARD_TOKEN: 'to ken' },
      '',
    )
    expect(spaced.code).toBe(1)
    expect(spaced.stderr).toContain('holds whitespace; it must hold only the token')
    expect(spaced.stderr).not.toContain('to ken')
  })
})

describe.each(SHELLS)('setup verify under %s', (_name, shell) => {
  /** A module cache holding example.com/greet@v1.0.0 (from a file:// proxy), and the project that requires it. */
  async function withCachedModule(tampered: boolean) {
    return async (project: string): Promise<void> => {
      const proxy = await exportFileProxy(path.join(project, '..', 'proxy'))
      await writeFile(
        path.join(project, 'go.mod'),
        'module example.com/app\n\ngo 1.22\n\nrequire example.com/greet v1.0.0\n',
      )
      await writeFile(path.join(project, 'go.sum'), goSumFor(proxy.goSum, 'example.com/greet@v1.0.0'))
      const env = await isolatedGoEnv(path.join(project, '..', 'download'), {
        GOPROXY: proxy.url,
        GOMODCACHE: path.join(project, '.go/pkg/mod'),
      })
      const download = await runGo(['mod', 'download'], { cwd: project, env })
      expect(download.stderr).toBe('')
      if (!tampered) return
      // the same file names, other content: a zip swapped under its .ziphash
      const modules = path.join(project, '..', 'modules')
      await cp(fixtureModulesDir, modules, { recursive: true })
      const greet = path.join(modules, 'example.com/greet@v1.0.0')
      const goFile = (await readdir(greet)).find((name) => name.endsWith('.go')) as string
      await writeFile(path.join(greet, goFile), `${await readFile(path.join(greet, goFile), 'utf8')}\n// changed\n`)
      await exportFileProxy(path.join(project, '..', 'evil'), modules)
      const zip = 'example.com/greet/@v/v1.0.0.zip'
      await cp(path.join(project, '..', 'evil', zip), path.join(project, '.go/pkg/mod/cache/download', zip))
    }
  }

  test('a module cache as downloaded passes', async () => {
    const run = await runSetup(shell, {}, { GOPROXY: 'off' }, 'echo after', await withCachedModule(false))
    expect(run.stderr).toBe('')
    expect(run.stdout).toContain('go mod verify: the restored module cache matches what was downloaded (1 module(s)')
    expect(run.stdout).toContain('after')
  }, 120_000)

  test('a zip swapped under its .ziphash fails the job naming the module, as a SECURITY problem', async () => {
    const run = await runSetup(shell, {}, { GOPROXY: 'off' }, 'echo after', await withCachedModule(true))
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('example.com/greet v1.0.0: zip has been modified')
    expect(run.stderr).toContain('goproxy-guard: SECURITY: example.com/greet@v1.0.0 in the restored module cache')
    expect(run.stderr).toContain('the restored module cache was altered')
    expect(run.stdout).not.toContain('after')
    // verify: false skips it (the job builds at its own risk); cache-unprotect then refuses to run
    const off = await runSetup(shell, { verify: false }, { GOPROXY: 'off' }, 'echo after', await withCachedModule(true))
    expect(off.stdout).toContain('after')
    const shared = await runSetup(shell, { verify: false, 'cache-unprotect': true }, {}, 'echo after')
    expect(shared.code).toBe(1)
    expect(shared.stderr).toContain('cache-unprotect shares the module cache with unprotected branches')
  }, 120_000)
})

describe.each(SHELLS)('setup build cache under %s', (_name, shell) => {
  const HOUR = 3600
  /** A GOCACHE as GitLab restores it: entries in the 256 hex directories, plus Go's own top-level files. */
  async function restoredCache(project: string): Promise<void> {
    const cache = path.join(project, '.go/cache')
    for (const [dir, file] of [
      ['00', 'used-a'],
      ['01', 'unused-a'],
      ['01', 'unused-d'],
      // a cached executable is a directory holding it; Go marks the directory when it uses one
      ['03/used-exe-d', 'prog'],
      ['03/unused-exe-d', 'prog'],
      ['fuzz/example.com/pkg/FuzzX', 'corpus'],
    ] as const) {
      await mkdir(path.join(cache, dir), { recursive: true })
      await writeFile(path.join(cache, dir, file), dir)
    }
    await writeFile(path.join(cache, 'trim.txt'), '1700000000\n')
  }
  const mtime = async (file: string): Promise<number> => (await stat(file)).mtimeMs / 1000

  test('before_script ages what was restored by two hours; after_script saves only what the job used or built', async () => {
    // the job: Go refreshes a used entry's mtime (it is older than an hour) and writes a new one
    const job =
      'touch .go/cache/00/used-a .go/cache/03/used-exe-d && mkdir -p .go/cache/02 && echo new > .go/cache/02/new-d'
    const run = await runSetup(shell, {}, {}, job, restoredCache)
    expect(run.stderr).toBe('')
    expect(run.stdout).toContain('GOCACHE=' + path.join(run.project, '.go/cache') + ' (5 entries restored)')
    const now = Date.now() / 1000
    const aged = await mtime(path.join(run.project, '.go/cache/01/unused-a'))
    expect(now - aged).toBeGreaterThan(2 * HOUR - 120)
    expect(now - aged).toBeLessThan(2 * HOUR + 120)
    // not newer than the marker: after_script tells them apart by it alone
    expect(await mtime(path.join(run.project, '.go/cache/goproxy-guard.marker'))).toBeGreaterThan(aged)

    const after = await runAfter(shell, run.env, run.project)
    expect(after.stderr).toBe('')
    // the checks' own go commands add entries too (Go's index of the standard library): they count as built
    const saving =
      /build cache: saving (\d+) entries this job used or built; left out 3 restored entries it did not use/
    expect(after.stdout).toMatch(saving)
    const left = async (dir: string) => (await readdir(path.join(run.project, '.go/cache', dir))).sort()
    expect(await left('00')).toContain('used-a')
    expect(await left('01')).not.toContain('unused-a')
    expect(await left('01')).not.toContain('unused-d')
    expect(await left('02')).toContain('new-d')
    expect(await left('03')).toContain('used-exe-d')
    expect(await left('03')).not.toContain('unused-exe-d')
    let entries = 0
    for (const dir of await left('.')) if (/^[0-9a-f]{2}$/.test(dir)) entries += (await left(dir)).length
    expect(Number(saving.exec(after.stdout)?.[1])).toBe(entries)
    // Go's own files and the fuzz corpus are not cache entries: kept; the marker is not saved
    expect(await left('.')).toEqual(expect.arrayContaining(['fuzz', 'trim.txt']))
    expect(await left('.')).not.toContain('goproxy-guard.marker')
  })

  test.each([
    ['a branch that is not the default one', {}, { CI_COMMIT_REF_NAME: 'feature/x' }, /feature\/x is not main/],
    ['build-cache-save: never', { 'build-cache-save': 'never' }, {}, /build-cache-save is never/],
    ['build-cache: false', { 'build-cache': false }, {}, /build-cache is false/],
  ])('%s saves nothing: the path GitLab caches is emptied', async (_title, inputs, env, why) => {
    const run = await runSetup(shell, inputs, env, '', restoredCache)
    expect(run.stderr).toBe('')
    const after = await runAfter(shell, run.env, run.project)
    expect(after.stdout).toMatch(why)
    await expect(stat(path.join(run.project, '.go/cache'))).rejects.toThrow()
  })

  test('build-cache-save: always saves on any branch; a failed job or a missing marker is handled', async () => {
    const always = await runSetup(
      shell,
      { 'build-cache-save': 'always' },
      { CI_COMMIT_REF_NAME: 'feature' },
      '',
      restoredCache,
    )
    const saved = await runAfter(shell, always.env, always.project)
    expect(saved.stdout).toMatch(/build cache: saving \d+ entries this job used or built; left out 5 restored/)

    const failed = await runSetup(shell, {}, {}, '', restoredCache)
    const untouched = await runAfter(shell, { ...failed.env, CI_JOB_STATUS: 'failed' }, failed.project)
    expect(untouched.stdout).toBe('')
    expect(await readdir(path.join(failed.project, '.go/cache/01'))).toEqual(
      expect.arrayContaining(['unused-a', 'unused-d']),
    )

    const noMarker = await runSetup(shell, {}, {}, 'rm .go/cache/goproxy-guard.marker', restoredCache)
    const refused = await runAfter(shell, noMarker.env, noMarker.project)
    expect(refused.stdout).toContain('the marker of before_script is missing')
    await expect(stat(path.join(noMarker.project, '.go/cache'))).rejects.toThrow()
  })

  test('after_script leaves alone a GOCACHE outside the project', async () => {
    const run = await runSetup(shell, {}, {}, '', restoredCache)
    const outside = path.join(run.project, '..', 'elsewhere')
    await mkdir(outside)
    await utimes(outside, new Date(), new Date())
    const after = await runAfter(shell, { ...run.env, GOPROXY_GUARD_GOCACHE: outside }, run.project)
    expect(after.stdout).toContain('is not inside the project directory; left alone')
    await stat(outside)
  })
})

describe.each(SHELLS)('check script under %s', (_name, shell) => {
  /** A fake goproxy-guard that reports how it was called, writes a dotenv unless told not to, exits $FAKE_EXIT. */
  async function fakeCli(binDir: string): Promise<void> {
    await mkdir(binDir, { recursive: true })
    const fake = path.join(binDir, 'goproxy-guard')
    await writeFile(
      fake,
      [
        '#!/bin/sh',
        'printf "argv=%s\\n" "$*"',
        'for v in GOFLAGS PROBE PROBE_TIMEOUT GO_TIMEOUT SELECT_FASTEST DOWNLOAD CHECK_DRIFT CHECK_POST ALLOW_EXTERNAL_REPLACE ON_PROXY_FAILURE; do',
        '  printf "%s=%s\\n" "$v" "$(awk -v n="GOPROXY_GUARD_$v" \'BEGIN { print ENVIRON[n] }\')"',
        'done',
        'if [ -z "${FAKE_NO_DOTENV:-}" ]; then mkdir -p "$GOPROXY_GUARD_REPORT_DIR" && printf "GOPROXY=https://p.example\\n" > "$GOPROXY_GUARD_REPORT_DIR/goproxy-guard.env"; fi',
        'exit "${FAKE_EXIT:-0}"',
        '',
      ].join('\n'),
    )
    await chmod(fake, 0o755)
  }

  async function runCheck(inputs: Record<string, unknown>, extraEnv: Record<string, string>) {
    const { env, project } = await jobDirs()
    const bin = path.join(project, '..', 'bin')
    await fakeCli(bin)
    const script = (check.job.script as string[]).join('\n')
    const variables = jobVariables(check, inputs, project)
    const run = await shell.run(script, { ...env, ...variables, ...extraEnv, PATH: bin }, project)
    const dotenv = await readFile(
      path.join(project, String(variables.GOPROXY_GUARD_REPORT_DIR), 'goproxy-guard.env'),
      'utf8',
    ).catch(() => undefined)
    return { ...run, values: shown(run.stdout), dotenv }
  }

  test('names where the credentials are, never what they are, and hands the CLI plain typed values', async () => {
    const run = await runCheck(
      {
        'auth-host': 'proxy.example:8443',
        'auth-username': 'ci-bot',
        'auth-netrc-variable': 'CORP_NETRC',
        'auth-job-token': true,
        goflags: '-trimpath',
        'probe-timeout': 2.5,
        'on-proxy-failure': 'strict',
        download: false,
      },
      {
        GOPROXY_GUARD_TOKEN: 'proxy-t0ken.value',
        CORP_NETRC: 'machine f.example login u password f-s3cret',
        CI_JOB_TOKEN: 'job-t0ken.value',
      },
    )
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.values.argv).toBe(
      'run --report-dir goproxy-guard-report --auth-host proxy.example:8443 --auth-username ci-bot ' +
        '--auth-token-variable GOPROXY_GUARD_TOKEN --auth-netrc-variable CORP_NETRC --auth-job-token',
    )
    expect(run.values).toMatchObject({
      GOFLAGS: '-trimpath -modcacherw',
      PROBE: 'true',
      PROBE_TIMEOUT: '2.5',
      GO_TIMEOUT: '600',
      SELECT_FASTEST: 'false',
      DOWNLOAD: 'false',
      CHECK_DRIFT: 'true',
      CHECK_POST: 'true',
      ALLOW_EXTERNAL_REPLACE: 'false',
      ON_PROXY_FAILURE: 'strict',
    })
    for (const secret of ['proxy-t0ken.value', 'f-s3cret', 'job-t0ken.value']) expect(run.stdout).not.toContain(secret)
    expect(run.dotenv).toBe('GOPROXY=https://p.example\nGOPROXY_GUARD_EXIT_CODE=0\n')
  })

  test('without credentials only the netrc variable is named; the CLI exit code is the job exit code', async () => {
    const run = await runCheck({ 'report-dir': 'out/reports' }, { FAKE_EXIT: '3' })
    expect(run.code).toBe(3)
    expect(run.values.argv).toBe('run --report-dir out/reports --auth-netrc-variable GOPROXY_GUARD_NETRC')
    expect(run.dotenv).toBe('GOPROXY=https://p.example\nGOPROXY_GUARD_EXIT_CODE=3\n')
  })

  test('the dotenv report exists after a failure before the CLI wrote one', async () => {
    const early = await runCheck({}, { FAKE_EXIT: '2', FAKE_NO_DOTENV: '1' })
    expect(early.code).toBe(2)
    expect(early.dotenv).toBe('GOPROXY_GUARD_EXIT_CODE=2\n')
    // no CLI on PATH at all (a wrong image)
    const { env, project } = await jobDirs()
    const missing = await shell.run(
      (check.job.script as string[]).join('\n'),
      { ...env, ...jobVariables(check, {}, project), PATH: path.join(project, 'nothing-here') },
      project,
    )
    expect(missing.code).toBe(127)
    expect(await readFile(path.join(project, 'goproxy-guard-report', 'goproxy-guard.env'), 'utf8')).toBe(
      'GOPROXY_GUARD_EXIT_CODE=127\n',
    )
  })
})
