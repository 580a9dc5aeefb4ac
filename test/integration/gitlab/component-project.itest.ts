// The component project's own pipeline (.gitlab-ci.yml → .gitlab-ci-component/) parsed and listed by gitlab-ci-local
// on a copy of this repository, and the check job's image (Dockerfile) checked against the files it needs.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { execFile } from 'node:child_process'
import { access, cp, readFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { parse as parseYaml } from 'yaml'
import { repoRoot } from '../../servers/testserver.js'
import { removeTempDirs, tempDir } from '../../helpers/temp-dir.js'

const execFileAsync = promisify(execFile)
const gitlabCiLocal = path.join(repoRoot, 'node_modules', '.bin', 'gitlab-ci-local')
const COMPONENT_ORIGIN = 'https://gitlab.example.com/example-org/goproxy-guard.git'

let scratch: string
let project: string

beforeAll(async () => {
  scratch = await tempDir('gitlab-component-itest-')
  project = path.join(scratch, 'goproxy-guard')
  for (const item of [
    '.gitlab-ci.yml',
    '.gitlab-ci-component',
    'templates',
    'Dockerfile',
    '.dockerignore',
    'LICENSE',
  ]) {
    await cp(path.join(repoRoot, item), path.join(project, item), { recursive: true })
  }
  await cp(
    path.join(repoRoot, 'test', 'fixtures', 'gitlab', 'selftest'),
    path.join(project, 'test/fixtures/gitlab/selftest'),
    {
      recursive: true,
    },
  )
  const git = (...args: string[]) => execFileAsync('git', args, { cwd: project })
  await git('init', '-q', '-b', 'main')
  await git('remote', 'add', 'origin', COMPONENT_ORIGIN)
  await git('symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main')
  await git('add', '-A')
  await git('-c', 'user.name=fixture', '-c', 'user.email=fixture@example.invalid', 'commit', '-q', '-m', 'component')
}, 60_000)

afterAll(async () => {
  await removeTempDirs()
})

interface ListedJob {
  name: string
  stage: string
  needs: string[]
}

interface ListJsonEntry {
  name: string
  stage: string
  when: string
  needs?: { job: string }[]
}

async function gcl(args: string[]): Promise<string> {
  const env = { ...process.env, PATH: `${path.dirname(gitlabCiLocal)}${path.delimiter}${process.env.PATH ?? ''}` }
  const { stdout } = await execFileAsync(gitlabCiLocal, ['--no-color', ...args], {
    cwd: project,
    env,
    maxBuffer: 16 << 20,
  })
  return stdout
}

async function listJobs(variables: Record<string, string>): Promise<ListedJob[]> {
  const args = Object.entries(variables).flatMap(([name, value]) => ['--variable', `${name}=${value}`])
  const jobs = JSON.parse(await gcl(['--list-json', ...args])) as ListJsonEntry[]
  // --list-json keeps the jobs whose rules say never; a pipeline would not have them
  return jobs
    .filter((job) => job.when !== 'never')
    .map(({ name, stage, needs }) => ({ name, stage, needs: (needs ?? []).map((need) => need.job) }))
}

describe('component project pipeline', () => {
  test('a branch pipeline builds the image and self-tests both templates at this commit', async () => {
    const jobs = await listJobs({})
    expect(jobs.map((job) => `${job.stage}:${job.name}`).sort()).toEqual([
      'build:build-image',
      'test:self-test-check',
      'test:self-test-dotenv',
      'test:self-test-setup',
      'test:self-test-setup-alpine',
    ])
    expect(jobs.find((job) => job.name === 'self-test-check')?.needs).toEqual(['build-image'])
  }, 60_000)

  test('a semver tag adds the catalog release, after the image and every self-test', async () => {
    const jobs = await listJobs({ CI_COMMIT_TAG: '1.2.3' })
    const release = jobs.find((job) => job.name === 'catalog-release')
    expect(release?.stage).toBe('release')
    expect(release?.needs.sort()).toEqual([
      'build-image',
      'self-test-check',
      'self-test-dotenv',
      'self-test-setup',
      'self-test-setup-alpine',
    ])
    expect((await listJobs({ CI_COMMIT_TAG: '1.3.0-rc.1' })).some((job) => job.name === 'catalog-release')).toBe(true)
    // the catalog wants plain semver: a v-prefixed or other tag releases nothing
    expect((await listJobs({ CI_COMMIT_TAG: 'v1.2.3' })).some((job) => job.name === 'catalog-release')).toBe(false)
    expect((await listJobs({ CI_COMMIT_TAG: 'nightly' })).some((job) => job.name === 'catalog-release')).toBe(false)
  }, 120_000)

  test('the self-test jobs are the templates: setup extended, check at this SHA with the image of this pipeline', async () => {
    await gcl(['--list'])
    const expanded = parseYaml(await readFile(path.join(project, '.gitlab-ci-local', 'expanded-gitlab-ci.yml'), 'utf8'))
    const setup = expanded['self-test-setup']
    expect(setup.before_script.join('\n')).toContain('# goproxy-guard setup')
    expect(setup.variables.GOPROXY_GUARD_PRESET).toBe('official')
    expect(setup.cache[0].key).toEqual({ files: ['test/fixtures/gitlab/selftest/go.sum'], prefix: 'selftest-setup' })
    expect(setup.after_script.join('\n')).toContain('# goproxy-guard setup: after_script')
    const alpine = expanded['self-test-setup-alpine']
    expect(alpine.image.name ?? alpine.image).toBe('golang:1.26-alpine')
    expect(alpine.before_script).toEqual(setup.before_script)
    const check = expanded['self-test-check']
    expect(check.image.name ?? check.image).toBe('$CI_REGISTRY_IMAGE:$CI_COMMIT_SHA')
    expect(check.variables.GOPROXY_GUARD_WORKING_DIRECTORY).toBe('test/fixtures/gitlab/selftest')
    expect(check.artifacts.reports).toEqual({
      codequality: 'goproxy-guard-report/codequality.json',
      junit: 'goproxy-guard-report/junit.xml',
      dotenv: 'goproxy-guard-report/goproxy-guard.env',
    })
    expect(check.artifacts.when).toBe('always')
    // the image is built with Buildah, never docker-in-docker
    const build = expanded['build-image']
    expect(build.services ?? []).toEqual([])
    expect(build.script.join('\n')).toContain('buildah build')
  }, 60_000)
})

describe('Dockerfile', () => {
  let dockerfile: string
  beforeAll(async () => {
    dockerfile = await readFile(path.join(repoRoot, 'Dockerfile'), 'utf8')
  })

  test('is the official Go image with Node 24 and the CLI bundle behind a goproxy-guard wrapper on PATH', () => {
    const froms = [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1])
    expect(froms).toEqual([
      'docker.io/library/node:${NODE_VERSION}-bookworm-slim',
      'docker.io/library/golang:${GO_VERSION}-bookworm',
    ])
    expect(dockerfile).toMatch(/^ARG NODE_VERSION=24$/m)
    expect(dockerfile).toMatch(/^COPY dist\/cli\/ \/opt\/goproxy-guard\/$/m)
    expect(dockerfile).toContain('exec /usr/local/bin/node /opt/goproxy-guard/index.js "$@"')
    expect(dockerfile).toContain('> /usr/local/bin/goproxy-guard')
  })

  test('copies only files that exist and that .dockerignore lets through', async () => {
    const ignore = (await readFile(path.join(repoRoot, '.dockerignore'), 'utf8'))
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
    expect(ignore[0]).toBe('*')
    const allowed = ignore.filter((line) => line.startsWith('!')).map((line) => line.slice(1))
    const sources = [...dockerfile.matchAll(/^COPY\s+(?!--from)(\S+)\s+\S+$/gm)].map((m) => m[1] as string)
    expect(sources).toEqual(['dist/cli/', 'LICENSE'])
    for (const source of sources) {
      expect(allowed).toContain(source)
      await access(path.join(repoRoot, source))
    }
    await access(path.join(repoRoot, 'dist', 'cli', 'index.js'))
  })

  test('its registry path and release tag are the default image of templates/check.yml', async () => {
    const check = await readFile(path.join(repoRoot, 'templates', 'check.yml'), 'utf8')
    const image = await readFile(path.join(repoRoot, '.gitlab-ci-component', 'image.yml'), 'utf8')
    const version = (JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string })
      .version
    // the project example-org/goproxy-guard pushes $CI_REGISTRY_IMAGE = $CI_REGISTRY/example-org/goproxy-guard, and
    // on a tag $CI_REGISTRY_IMAGE:$CI_COMMIT_TAG: the tag scripts/release.mjs wrote into the template
    expect(check).toContain(`default: '$CI_REGISTRY/example-org/goproxy-guard:${version}'`)
    expect(check).not.toContain('component.version')
    expect(image).toContain('buildah push "$CI_REGISTRY_IMAGE:$CI_COMMIT_TAG"')
    expect(COMPONENT_ORIGIN).toContain('/example-org/goproxy-guard.git')
  })
})
