// shellcheck (Debian's package, installed by scripts/setup.sh) over every script the templates carry
// (templates/src/*.sh, rendered into the templates byte for byte: test/unit/templates-rendered.test.ts), for POSIX sh
// and dash. Debian bookworm's shellcheck 0.9.0 has no busybox dialect (it came in 0.10.0): busybox ash runs the
// scripts in posix-shell.itest.ts instead, with busybox's own tools.
import { describe, expect, test } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { templatesDir } from './gitlab-ci-local.js'

const sources = readdirSync(path.join(templatesDir, 'src'))
  .filter((name) => name.endsWith('.sh'))
  .sort()

function shellcheck(shell: string, file: string) {
  const result = spawnSync('shellcheck', [`--shell=${shell}`, '--severity=style', '--format=gcc', file], {
    encoding: 'utf8',
  })
  if (result.error) throw new Error(`shellcheck is not installed: run bash scripts/setup.sh (${result.error.message})`)
  return result
}

describe('shellcheck', () => {
  test('there are the three scripts of the templates', () => {
    expect(sources).toEqual(['check.sh', 'setup-after.sh', 'setup-before.sh'])
  })

  test.each(sources.flatMap((name) => ['sh', 'dash'].map((shell) => [name, shell])))(
    '%s is clean for %s',
    (name, shell) => {
      const result = shellcheck(shell, path.join(templatesDir, 'src', name))
      expect(result.stdout).toBe('')
      expect(result.status).toBe(0)
    },
  )

  test('reports what it should, so a clean run means something', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'shellcheck-'))
    const file = path.join(dir, 'bad.sh')
    writeFileSync(file, 'x=$1\nif [[ -n $x ]]; then echo $x; fi\n')
    const result = shellcheck('dash', file)
    expect(result.status).toBe(1)
    expect(result.stdout).toContain('SC3010') // [[ ]] is not POSIX
    expect(result.stdout).toContain('SC2086') // unquoted expansion
  })
})
