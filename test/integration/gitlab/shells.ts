// The POSIX shells the templates' scripts must run in, with the tools a stock image has: dash with Debian's tools
// (golang:*-bookworm), and busybox ash with nothing but busybox applets and Go (golang:*-alpine). gitlab-ci-local
// runs bash, so these catch what bash forgives.
import { execFileSync } from 'node:child_process'
import { mkdirSync, existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { parseAllDocuments } from 'yaml'
import { goBinary, runCaptured, type GoResult } from '../../servers/testserver.js'
import { templatesDir } from './gitlab-ci-local.js'

export type ShellRun = GoResult

export interface Shell {
  name: string
  /** runs `script` with `sh -e -c` semantics (GitLab stops a job at the first failing command) */
  run(script: string, env: Record<string, string>, cwd: string): Promise<ShellRun>
}

const goDir = path.dirname(goBinary())

function spawnShell(argv: string[], script: string, env: Record<string, string>, cwd: string): Promise<ShellRun> {
  return runCaptured(argv[0] as string, [...argv.slice(1), script], { cwd, env })
}

/** A directory of busybox applet links: the whole userland of an Alpine image. */
export function busyboxBin(scratch: string): string {
  const dir = path.join(scratch, 'busybox-bin')
  if (!existsSync(path.join(dir, 'find'))) {
    mkdirSync(dir, { recursive: true })
    execFileSync('busybox', ['--install', '-s', dir])
  }
  return dir
}

export function shells(scratch: string): Shell[] {
  return [
    {
      name: 'dash',
      run: (script, env, cwd) =>
        spawnShell(['dash', '-e', '-c'], script, { ...env, PATH: `${env.PATH ?? ''}:${goDir}:/usr/bin:/bin` }, cwd),
    },
    {
      name: 'busybox ash',
      // PATH: the test's own tools first (a fake CLI), then busybox applets and Go, nothing from Debian
      run: (script, env, cwd) =>
        spawnShell(
          [path.join(busyboxBin(scratch), 'sh'), '-e', '-c'],
          script,
          { ...env, PATH: `${env.PATH ? `${env.PATH}:` : ''}${busyboxBin(scratch)}:${goDir}` },
          cwd,
        ),
    },
  ]
}

type Yaml = Record<string, unknown>

export interface Template {
  inputs: Record<string, { default?: unknown; type?: string }>
  job: Yaml
}

export async function loadTemplate(name: 'setup' | 'check'): Promise<Template> {
  const [header, body] = parseAllDocuments(await readFile(path.join(templatesDir, `${name}.yml`), 'utf8')).map(
    (doc) => doc.toJS() as Yaml,
  )
  const inputs = ((header as Yaml).spec as Yaml).inputs as Template['inputs']
  const job = Object.values(body as Yaml)[0] as Yaml
  return { inputs, job }
}

/** The job's variables as GitLab would set them: inputs (or their defaults) interpolated, then $CI_PROJECT_DIR. */
export function jobVariables(
  template: Template,
  given: Record<string, unknown>,
  projectDir: string,
): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, raw] of Object.entries(template.job.variables as Record<string, string>)) {
    out[name] = String(raw)
      .replace(/\$\[\[\s*inputs\.([A-Za-z0-9_-]+)\s*\]\]/g, (_m, input: string) =>
        String(given[input] ?? template.inputs[input]?.default ?? ''),
      )
      .replace(/\$CI_PROJECT_DIR/g, projectDir)
  }
  return out
}
