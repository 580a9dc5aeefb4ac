// Runs this repository's GitLab component templates with gitlab-ci-local on fixture projects (no GitLab, no Docker).
// The workarounds come from /work/shared/reference/gitlab-ci-local.md: a git repo whose origin names the project, the
// templates copied in so `include: component: …@$CI_COMMIT_SHA` resolves locally, --force-shell-executor,
// --shell-isolation (cache emulation), GCL_VARIABLE_* for secrets (kept out of argv), and `image: null` in consumers.
// And one more, for its file copies (rsync), which GitLab's runner does not make: see RSYNC_WRAPPER.
import { execFile, execFileSync, spawn } from 'node:child_process'
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs'
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { repoRoot } from '../../servers/testserver.js'

const execFileAsync = promisify(execFile)

export const fixturesDir = path.join(repoRoot, 'test', 'fixtures', 'gitlab')
export const templatesDir = path.join(repoRoot, 'templates')
const binDir = path.join(repoRoot, 'node_modules', '.bin')

/** The origin every fixture project gets: CI_SERVER_HOST gitlab.example.com, CI_PROJECT_PATH acme/go-service. */
export const ORIGIN = 'https://gitlab.example.com/acme/go-service.git'

/**
 * Copies a fixture project to `dir`, fills its `{{NAME}}` placeholders in .gitlab-ci.yml, adds the templates
 * and commits everything, so gitlab-ci-local treats `$CI_SERVER_FQDN/$CI_PROJECT_PATH/<name>@$CI_COMMIT_SHA` as local.
 */
export async function createProject(
  fixture: string,
  dir: string,
  placeholders: Record<string, string> = {},
  extraFiles: Record<string, string> = {},
): Promise<string> {
  await cp(path.join(fixturesDir, fixture), dir, { recursive: true })
  await cp(templatesDir, path.join(dir, 'templates'), { recursive: true })
  const pipelineFile = path.join(dir, '.gitlab-ci.yml')
  let pipeline = await readFile(pipelineFile, 'utf8')
  for (const [name, value] of Object.entries(placeholders)) pipeline = pipeline.replaceAll(`{{${name}}}`, value)
  const left = pipeline.match(/\{\{[A-Z_]+\}\}/)
  if (left) throw new Error(`fixture ${fixture}: placeholder ${left[0]} has no value`)
  await writeFile(pipelineFile, pipeline)
  for (const [name, text] of Object.entries(extraFiles)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true })
    await writeFile(path.join(dir, name), text)
  }
  await commitAll(dir, true)
  return dir
}

/** Commits the working tree (gitlab-ci-local's includes and isolated builds see only tracked files). */
export async function commitAll(dir: string, init = false): Promise<void> {
  const git = (...args: string[]) => execFileAsync('git', args, { cwd: dir, env: gitEnv() })
  if (init) {
    await git('init', '-q', '-b', 'main')
    await git('remote', 'add', 'origin', ORIGIN)
    await git('symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main')
  }
  await git('add', '-A')
  await git(
    '-c',
    'user.name=fixture',
    '-c',
    'user.email=fixture@example.invalid',
    'commit',
    '-q',
    '--allow-empty',
    '-m',
    'fixture',
  )
}

function gitEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/nonexistent', GIT_CONFIG_NOSYSTEM: '1' }
}

/*
 * gitlab-ci-local 4.75.1 with --shell-isolation copies files with rsync where GitLab's runner keeps one project
 * directory per job: before after_script it copies the project in again with --delete (so after_script no longer sees
 * what the script wrote: .go/ is gone) and imports the pull caches again (overwriting what the job changed), and it
 * saves a cache by copying into the previous copy (so files left out of the entry stay in it). This wrapper, first on
 * PATH, makes those copies behave as the runner does: no deletion when the project is copied into the job's directory
 * (runPipeline starts every run from an empty one), cache imports that never overwrite, and cache saves that replace.
 */
const RSYNC_WRAPPER = `#!/bin/sh
set -e
real='${execFileSync('sh', ['-c', 'command -v rsync'], { encoding: 'utf8' }).trim()}'
case " $* " in
  # the project copied into .gitlab-ci-local/builds/<job>, before the script and again before after_script
  *' --delete-excluded '*)
    for arg; do
      shift
      case "$arg" in --delete | --delete-excluded) ;; *) set -- "$@" "$arg" ;; esac
    done
    exec "$real" "$@" ;;
esac
case "$1" in
  # a cache (or artifacts) imported into the job's directory
  -a) if [ $# -eq 3 ]; then exec "$real" --ignore-existing "$@"; fi ;;
  # a cache saved: the entry is what the paths hold now
  -Ra) exec "$real" --delete "$@" ;;
esac
exec "$real" "$@"
`
const wrapperDir = (() => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gcl-rsync-'))
  writeFileSync(path.join(dir, 'rsync'), RSYNC_WRAPPER)
  chmodSync(path.join(dir, 'rsync'), 0o755)
  return dir
})()

export interface PipelineRun {
  code: number | null
  /** gitlab-ci-local's stdout and stderr, interleaved as received */
  output: string
  /** the job log gitlab-ci-local keeps in .gitlab-ci-local/output/<job>.log */
  jobLog(job: string): Promise<string>
  /** every file the run left in .gitlab-ci-local (logs, artifacts, caches, expanded config), for leak scans */
  allFiles(): Promise<Record<string, string>>
}

export interface PipelineOptions {
  /** the environment of gitlab-ci-local, which the shell executor hands to every job */
  env: Record<string, string>
  /** CI/CD variables, passed as GCL_VARIABLE_<NAME> so that no value appears on a command line */
  variables?: Record<string, string>
  args?: string[]
  timeoutMs?: number
}

/** Runs gitlab-ci-local in `dir` (async: loopback servers in this process keep answering). */
export async function runPipeline(dir: string, jobs: string[], options: PipelineOptions): Promise<PipelineRun> {
  const env: Record<string, string> = {
    ...options.env,
    PATH: `${wrapperDir}${path.delimiter}${binDir}${path.delimiter}${options.env.PATH ?? ''}`,
  }
  // every run starts from an empty job directory, as a fresh runner does (caches and artifacts are imported)
  await rm(path.join(dir, '.gitlab-ci-local', 'builds'), { recursive: true, force: true })
  for (const [name, value] of Object.entries(options.variables ?? {})) env[`GCL_VARIABLE_${name}`] = value
  const args = [
    '--force-shell-executor',
    '--shell-isolation',
    '--no-artifacts-to-source',
    '--concurrency',
    '1',
    '--no-color',
    '--ignore-schema-paths',
    '#/definitions/image/oneOf/0/type',
    ...(options.args ?? []),
    ...jobs,
  ]
  const { code, output } = await spawnCollect(
    path.join(binDir, 'gitlab-ci-local'),
    args,
    dir,
    env,
    options.timeoutMs ?? 120_000,
  )
  const stateDir = path.join(dir, '.gitlab-ci-local')
  return {
    code,
    output,
    jobLog: (job) => readFile(path.join(stateDir, 'output', `${job}.log`), 'utf8'),
    allFiles: () => readTree(stateDir),
  }
}

function spawnCollect(
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
  timeoutMs: number,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, output })
    })
  })
}

/** Text of every regular file below `dir` (binary files included as latin1, so a scan still sees ASCII secrets). */
export async function readTree(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {}
  const walk = async (current: string): Promise<void> => {
    let entries
    try {
      entries = await readdir(current, { withFileTypes: true })
    } catch {
      return
    }
    for (const entry of entries) {
      const full = path.join(current, entry.name)
      if (entry.isDirectory()) await walk(full)
      else if (entry.isFile()) files[path.relative(dir, full)] = (await readFile(full)).toString('latin1')
    }
  }
  await walk(dir)
  return files
}

/**
 * The forms a secret leaks in: raw, URL-encoded, base64 of the secret and of `user:secret` (what a Basic header or a
 * git extraheader carries), and the alignment-independent middle of the secret's base64 inside any longer text.
 */
export function secretForms(username: string, secret: string): string[] {
  const forms = new Set<string>([
    secret,
    encodeURIComponent(secret),
    Buffer.from(secret).toString('base64'),
    Buffer.from(`${username}:${secret}`).toString('base64'),
  ])
  const length = Buffer.byteLength(secret)
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.from('x'.repeat(shift) + secret).toString('base64')
    // only the 3-byte groups made of secret bytes alone encode the same whatever surrounds the secret
    forms.add(encoded.slice(Math.ceil(shift / 3) * 4, Math.floor((shift + length) / 3) * 4))
  }
  return [...forms].filter((form) => form.length >= 6)
}

/** The first secret form found in any of the texts, with where; undefined when clean. */
export function findLeak(texts: Record<string, string>, forms: string[]): string | undefined {
  for (const [where, text] of Object.entries(texts)) {
    for (const form of forms) if (text.includes(form)) return `${where} contains ${JSON.stringify(form)}`
  }
  return undefined
}
