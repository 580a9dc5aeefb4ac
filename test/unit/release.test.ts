// The version a GitLab user gets: templates/check.yml's default image carries the release version (no spec:component,
// so it is set on every GitLab version and for every ref the component is included at). scripts/release.mjs writes it
// before the tag; these tests keep the template, package.json and CHANGELOG.md in agreement, and the tag pipeline
// checks the tag against them.
import { describe, expect, it } from '@jest/globals'
import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parse as parseYaml } from 'yaml'

const root = path.resolve(import.meta.dirname, '..', '..')
const NODE = path.join(root, 'node_modules', '.bin', 'node')
const IMAGE = /^ {6}default: '\$CI_REGISTRY\/example-org\/goproxy-guard:([^']*)'$/m

const read = (dir: string, file: string): string => readFileSync(path.join(dir, file), 'utf8')
const imageTag = (dir: string): string | undefined => IMAGE.exec(read(dir, 'templates/check.yml'))?.[1]
const packageVersion = (dir: string): string => (JSON.parse(read(dir, 'package.json')) as { version: string }).version
/** `## [X.Y.Z] - date` headings (Keep a Changelog), newest first; `## [Unreleased]` is not a version */
const released = (dir: string): string[] =>
  [...read(dir, 'CHANGELOG.md').matchAll(/^## \[?([0-9][^\]\s]*)\]?/gm)].map((m) => m[1] as string)

describe('the release version', () => {
  it('is the default image tag of the check template, and the package version', () => {
    expect(imageTag(root)).toBe(packageVersion(root))
  })

  it("is CHANGELOG.md's newest release once there is one (before the first, the package version stands)", () => {
    const versions = released(root)
    if (versions.length > 0) expect(versions[0]).toBe(packageVersion(root))
    else expect(read(root, 'CHANGELOG.md')).toMatch(/^## \[Unreleased\]/m)
  })

  it('the catalog release job refuses a tag the template and CHANGELOG.md do not carry', () => {
    const release = parseYaml(read(root, '.gitlab-ci-component/release.yml'))['catalog-release']
    const checks = (release.script as string[]).filter((line) => line.startsWith('grep '))
    expect(checks).toHaveLength(2)
    const passes = (dir: string, tag: string): boolean =>
      checks.every(
        (line) =>
          spawnSync('sh', ['-c', line], { cwd: dir, env: { PATH: process.env.PATH, CI_COMMIT_TAG: tag } }).status === 0,
      )
    // this tree: the version is unreleased, so no tag passes yet
    expect(passes(root, packageVersion(root))).toBe(released(root).includes(packageVersion(root)))
    const dir = copyOfReleasedFiles()
    writeFileSync(
      path.join(dir, 'CHANGELOG.md'),
      read(dir, 'CHANGELOG.md').replace('## [Unreleased]', '## [Unreleased]\n\n## [1.2.3] - 2026-01-02'),
    )
    expect(spawnSync(NODE, [path.join(root, 'scripts', 'release.mjs'), '1.2.3', '--root', dir]).status).toBe(0)
    expect(passes(dir, '1.2.3')).toBe(true)
    expect(passes(dir, '1.2.4')).toBe(false)
    expect(passes(dir, '1.2')).toBe(false)
  })
})

function copyOfReleasedFiles(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'release-'))
  mkdirSync(path.join(dir, 'templates'))
  for (const file of ['CHANGELOG.md', 'package.json', 'package-lock.json', 'templates/check.yml']) {
    cpSync(path.join(root, file), path.join(dir, file))
  }
  return dir
}

describe('scripts/release.mjs', () => {
  const copy = copyOfReleasedFiles
  const run = (dir: string, version: string) =>
    spawnSync(NODE, [path.join(root, 'scripts', 'release.mjs'), version, '--root', dir], { encoding: 'utf8' })

  it('writes the version into the template, package.json and package-lock.json when CHANGELOG.md has its section', () => {
    const dir = copy()
    const changelog = read(dir, 'CHANGELOG.md').replace('## [Unreleased]', '## [Unreleased]\n\n## [1.2.3] - 2026-01-02')
    writeFileSync(path.join(dir, 'CHANGELOG.md'), changelog)
    const result = run(dir, '1.2.3')
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    expect(imageTag(dir)).toBe('1.2.3')
    expect(packageVersion(dir)).toBe('1.2.3')
    const lock = JSON.parse(read(dir, 'package-lock.json')) as {
      version: string
      packages: Record<string, { version: string }>
    }
    expect([lock.version, lock.packages['']?.version]).toEqual(['1.2.3', '1.2.3'])
    expect(released(dir)[0]).toBe('1.2.3')
    // nothing else in the template changed
    expect(read(dir, 'templates/check.yml').replace(':1.2.3', `:${packageVersion(root)}`)).toBe(
      read(root, 'templates/check.yml'),
    )
    // package.json keeps its format, so the diff is one line
    expect(read(dir, 'package.json').replace('"version": "1.2.3"', `"version": "${packageVersion(root)}"`)).toBe(
      read(root, 'package.json'),
    )
  })

  it.each([
    ['1.2.3', /CHANGELOG.md has no '## \[1.2.3\]' section/],
    ['v1.2.3', /'v1.2.3' is not a version: write X.Y.Z/],
    ['1.2', /'1.2' is not a version/],
  ])('refuses %s and changes nothing', (version, message) => {
    const dir = copy()
    const before = execFileSync('sh', ['-c', 'cat templates/check.yml package.json package-lock.json'], { cwd: dir })
    const result = run(dir, version)
    expect(result.status).toBe(1)
    expect(result.stderr).toMatch(message)
    expect(execFileSync('sh', ['-c', 'cat templates/check.yml package.json package-lock.json'], { cwd: dir })).toEqual(
      before,
    )
  })
})
