// The GitLab templates' shell lives in templates/src/*.sh and is rendered into templates/*.yml by the build
// (scripts/render-templates.mjs, part of npm run build), like dist/ from src/: the committed templates must be a fresh
// rendering, and each rendered block must be its source file, byte for byte.
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { appendFileSync, cpSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseAllDocuments } from 'yaml'

const root = path.resolve(import.meta.dirname, '..', '..')
const NODE = path.join(root, 'node_modules', '.bin', 'node')
const render = (...args: string[]) =>
  spawnSync(NODE, [path.join(root, 'scripts', 'render-templates.mjs'), ...args], { encoding: 'utf8' })

function scripts(dir: string, name: string): Record<string, unknown> {
  const [, body] = parseAllDocuments(readFileSync(path.join(dir, 'templates', `${name}.yml`), 'utf8'))
  const job = Object.values(body?.toJS() as Record<string, Record<string, unknown>>)[0] as Record<string, unknown>
  return { before_script: job.before_script, after_script: job.after_script, script: job.script }
}

describe('templates/*.yml', () => {
  it('are a fresh rendering of templates/src (run `npm run build` and commit templates/)', () => {
    const result = render('--check')
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
  })

  it('carry each source file as one script item, byte for byte', () => {
    const source = (name: string) => readFileSync(path.join(root, 'templates', 'src', name), 'utf8')
    expect(scripts(root, 'setup')).toEqual({
      before_script: [source('setup-before.sh')],
      after_script: [source('setup-after.sh')],
      script: undefined,
    })
    expect(scripts(root, 'check').script).toEqual([source('check.sh')])
  })

  it('a changed source makes the check fail, naming the template, until it is rendered again', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'render-'))
    cpSync(path.join(root, 'templates'), path.join(dir, 'templates'), { recursive: true })
    appendFileSync(path.join(dir, 'templates', 'src', 'setup-after.sh'), 'echo one more line\n')
    const stale = render('--root', dir, '--check')
    expect(stale.status).toBe(1)
    expect(stale.stderr).toContain('stale, run npm run build and commit: templates/setup.yml')
    expect(render('--root', dir).status).toBe(0)
    expect(render('--root', dir, '--check').status).toBe(0)
    expect(String((scripts(dir, 'setup').after_script as string[])[0])).toMatch(/\necho one more line\n$/)
    // the other template was not touched
    expect(readFileSync(path.join(dir, 'templates', 'check.yml'), 'utf8')).toBe(
      readFileSync(path.join(root, 'templates', 'check.yml'), 'utf8'),
    )
  })
})
