import { describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { parse as parseYaml } from 'yaml'
import { tempDir } from '../helpers/temp-dir.js'

const ROOT = path.resolve(import.meta.dirname, '../..')
const run = promisify(execFile)
const ENTRIES = ['main', 'post', 'cli'] as const

async function filesOf(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const name of (await readdir(dir)).sort()) out[name] = await readFile(path.join(dir, name), 'utf8')
  return out
}

describe('dist/', () => {
  it('matches a fresh build of src/ (rebuild with `npm run build` and commit dist/)', async () => {
    const out = await tempDir('gpg-dist-')
    const ncc = path.join(ROOT, 'node_modules/.bin/ncc')
    await Promise.all(
      ENTRIES.map((entry) =>
        run(
          ncc,
          [
            'build',
            `src/${entry}.ts`,
            '-o',
            path.join(out, entry),
            '--no-source-map-register',
            '--license',
            'licenses.txt',
            '-q',
          ],
          {
            cwd: ROOT,
            env: { ...process.env, PATH: `${path.join(ROOT, 'node_modules/.bin')}:${process.env['PATH'] ?? ''}` },
            maxBuffer: 64 * 1024 * 1024,
          },
        ),
      ),
    )
    for (const entry of ENTRIES) {
      const fresh = await filesOf(path.join(out, entry))
      const committed = await filesOf(path.join(ROOT, 'dist', entry))
      expect(Object.keys(committed)).toEqual(Object.keys(fresh))
      for (const name of Object.keys(fresh)) {
        if (committed[name] !== fresh[name])
          throw new Error(`dist/${entry}/${name} is stale: run \`npm run build\` and commit dist/`)
      }
    }
    // three bundles at once take about a minute and a half on 2 idle cores; a loaded machine may take many times that
  }, 900_000)

  it('holds only the bundles: no file the bundler copied in by mistake', async () => {
    // ncc copies files it believes a path expression reads at run time, and rewrites that expression to point at
    // the copy — which would make the code read the bundle's copy instead of the user's file
    for (const entry of ENTRIES) {
      expect((await readdir(path.join(ROOT, 'dist', entry))).sort()).toEqual([
        'index.js',
        'licenses.txt',
        'package.json',
      ])
      expect(await readFile(path.join(ROOT, 'dist', entry, 'index.js'), 'utf8')).not.toMatch(
        /__nccwpck_require__\.ab \+/,
      )
    }
  })

  it('is what action.yml runs, on node24, with a post step that always runs', async () => {
    const action = parseYaml(await readFile(path.join(ROOT, 'action.yml'), 'utf8')) as { runs: Record<string, string> }
    expect(action.runs).toEqual({
      using: 'node24',
      main: 'dist/main/index.js',
      post: 'dist/post/index.js',
      'post-if': 'always()',
    })
    const pkg = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> }
    expect(pkg.bin['goproxy-guard']).toBe('dist/cli/index.js')
  })
})
