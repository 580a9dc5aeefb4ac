import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { NODE24, runProcess, type ProcessRun } from './action-runner.js'
import { tempDir } from './temp-dir.js'

const ROOT = path.resolve(import.meta.dirname, '../..')

/**
 * Runs the bundled CLI (dist/cli) under Node 24, as a GitLab job or a person would: with Go's telemetry off and a
 * private HOME unless `options.env` gives its own.
 */
export async function runCliBundle(
  args: string[],
  options: { cwd: string; env: Record<string, string> },
): Promise<ProcessRun> {
  const env = {
    PATH: `${path.dirname(NODE24)}:/usr/local/go/bin:/usr/bin:/bin`,
    HOME: options.env['HOME'] ?? (await tempDir('gpg-cli-home-')),
    GOTELEMETRY: 'off',
    ...options.env,
  }
  return runProcess(NODE24, [path.join(ROOT, 'dist/cli/index.js'), ...args], env, options.cwd)
}

/** Every file below `dir`, as text, for leak scans of a report directory. */
export async function readTree(dir: string): Promise<string> {
  let text = ''
  const walk = async (d: string): Promise<void> => {
    let entries
    try {
      entries = await readdir(d, { withFileTypes: true })
    } catch {
      return
    }
    for (const e of entries) {
      const full = path.join(d, e.name)
      if (e.isDirectory()) await walk(full)
      else text += `\n${await readFile(full, 'utf8')}`
    }
  }
  await walk(dir)
  return text
}
