import { spawn } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { parse as parseYaml } from 'yaml'
import { tempDir } from './temp-dir.js'

const ROOT = path.resolve(import.meta.dirname, '../..')
/** Node 24 from the npm package `node`: the runtime action.yml names. */
export const NODE24 = path.join(ROOT, 'node_modules/.bin/node')

export interface StepRun {
  code: number | null
  stdout: string
  stderr: string
  env: Record<string, string>
  outputs: Record<string, string>
  state: Record<string, string>
  summary: string
  /** the raw bytes of every file the step wrote, for leak scans */
  files: Record<string, string>
  /** values registered with ::add-mask:: */
  masks: string[]
}

export interface JobRun {
  main: StepRun
  post?: StepRun
  runnerTemp: string
  /** every byte the tool emitted, except the ::add-mask:: commands the runner consumes */
  emitted(): string
}

export interface RunActionOptions {
  inputs?: Record<string, string>
  /** extra environment for the steps (e.g. HOME, PATH, SSL_CERT_FILE) */
  env?: Record<string, string>
  workspace: string
  runPost?: boolean
  /** runs between main and post, with the job environment (GITHUB_ENV applied), like a later step */
  between?: (jobEnv: Record<string, string>) => Promise<void>
}

/** Parses the `name<<delimiter` heredoc format the runner reads from GITHUB_ENV / GITHUB_OUTPUT / GITHUB_STATE. */
export function parseCommandFile(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string
    const heredoc = /^([^=]+?)<<(.+)$/.exec(line)
    if (heredoc) {
      const [, name, delimiter] = heredoc as unknown as [string, string, string]
      const body: string[] = []
      for (i++; i < lines.length && lines[i] !== delimiter; i++) body.push(lines[i] as string)
      if (i >= lines.length) throw new Error(`unterminated heredoc for ${name}`)
      out[name] = body.join('\n')
    } else if (line.includes('=')) {
      const eq = line.indexOf('=')
      out[line.slice(0, eq)] = line.slice(eq + 1)
    } else if (line.trim() !== '') {
      throw new Error(`malformed command file line: ${line}`)
    }
  }
  return out
}

function actionDefaults(): Record<string, string> {
  const action = parseYaml(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>
  }
  const out: Record<string, string> = {}
  for (const [name, spec] of Object.entries(action.inputs)) out[name] = spec.default ?? ''
  return out
}

function inputEnv(inputs: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  return env
}

/** The runner's environment: a private HOME and Go's telemetry off unless `extra` (the test's own) says otherwise. */
function baseEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  const keep = ['LANG', 'TMPDIR']
  const env: Record<string, string> = { HOME: home, GOTELEMETRY: 'off' }
  for (const k of keep) if (process.env[k] !== undefined) env[k] = process.env[k] as string
  env['PATH'] = `${path.dirname(NODE24)}:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`
  return { ...env, ...extra }
}

export interface ProcessRun {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs a command without a shell, asynchronously (servers in the same jest process keep answering). */
export async function runProcess(
  command: string,
  args: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<ProcessRun> {
  const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  return { code, stdout, stderr }
}

function readStep(dir: string, result: { code: number | null; stdout: string; stderr: string }): StepRun {
  const read = (name: string): string => readFileSync(path.join(dir, name), 'utf8')
  const files = { env: read('env'), output: read('output'), state: read('state'), summary: read('summary') }
  const masks = [...result.stdout.matchAll(/^::add-mask::(.*)$/gm)].map((m) => unescapeData(m[1] as string))
  return {
    ...result,
    env: parseCommandFile(files.env),
    outputs: parseCommandFile(files.output),
    state: parseCommandFile(files.state),
    summary: files.summary,
    files,
    masks,
  }
}

function unescapeData(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
}

function stepDir(root: string, name: string): string {
  const dir = path.join(root, name)
  mkdirSync(dir)
  for (const f of ['env', 'output', 'state', 'summary']) writeFileSync(path.join(dir, f), '')
  return dir
}

/**
 * Runs dist/main and then dist/post exactly as the Actions runner does: inputs as INPUT_* with action.yml's
 * defaults, GITHUB_ENV / GITHUB_OUTPUT / GITHUB_STATE / GITHUB_STEP_SUMMARY files, then the post step with the
 * exported environment and STATE_* variables.
 */
export async function runAction(options: RunActionOptions): Promise<JobRun> {
  const root = await tempDir('gpg-job-')
  const runnerTemp = path.join(root, 'runner-temp')
  mkdirSync(runnerTemp)
  mkdirSync(path.join(root, 'home'))
  const inputs = { ...actionDefaults(), ...options.inputs }
  const common = baseEnv(path.join(root, 'home'), {
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    RUNNER_TEMP: runnerTemp,
    RUNNER_OS: 'Linux',
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_EVENT_NAME: 'push',
    ...options.env,
  })

  const mainDir = stepDir(root, 'main')
  const mainEnv = {
    ...common,
    ...inputEnv(inputs),
    GITHUB_ENV: path.join(mainDir, 'env'),
    GITHUB_OUTPUT: path.join(mainDir, 'output'),
    GITHUB_STATE: path.join(mainDir, 'state'),
    GITHUB_STEP_SUMMARY: path.join(mainDir, 'summary'),
  }
  const main = readStep(
    mainDir,
    await runProcess(NODE24, [path.join(ROOT, 'dist/main/index.js')], mainEnv, options.workspace),
  )
  const jobEnv = { ...common, ...main.env }

  if (options.between) await options.between(jobEnv)

  let post: StepRun | undefined
  if (options.runPost !== false) {
    const postDir = stepDir(root, 'post')
    const stateEnv: Record<string, string> = {}
    for (const [k, v] of Object.entries(main.state)) stateEnv[`STATE_${k}`] = v
    const postEnv = {
      ...jobEnv,
      ...inputEnv(inputs),
      ...stateEnv,
      GITHUB_ENV: path.join(postDir, 'env'),
      GITHUB_OUTPUT: path.join(postDir, 'output'),
      GITHUB_STATE: path.join(postDir, 'state'),
      GITHUB_STEP_SUMMARY: path.join(postDir, 'summary'),
    }
    post = readStep(
      postDir,
      await runProcess(NODE24, [path.join(ROOT, 'dist/post/index.js')], postEnv, options.workspace),
    )
  }

  return {
    main,
    post,
    runnerTemp,
    emitted() {
      const steps = [main, post].filter((s): s is StepRun => s !== undefined)
      return steps
        .map((s) =>
          [
            s.stdout.replace(/^::add-mask::.*$/gm, ''),
            s.stderr,
            s.files.env,
            s.files.output,
            s.files.state,
            s.files.summary,
          ].join('\n'),
        )
        .join('\n')
    },
  }
}

/** Every form of a secret that must never appear in what the tool emits. */
export function secretVariants(secret: string, username?: string): string[] {
  const variants = [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64').replace(/=+$/, '')]
  if (username !== undefined) variants.push(Buffer.from(`${username}:${secret}`).toString('base64').replace(/=+$/, ''))
  return [...new Set(variants)]
}

/** The variants of `secrets` found in `text` (empty when clean). */
export function findLeaks(text: string, secrets: { secret: string; username?: string }[]): string[] {
  const leaks: string[] = []
  for (const s of secrets) for (const v of secretVariants(s.secret, s.username)) if (text.includes(v)) leaks.push(v)
  return leaks
}
