// spec:inputs types, options and regexes reject a bad value when the pipeline is created, before any job runs, naming
// the input (checked with gitlab-ci-local, which validates inputs the way GitLab does; it uses JavaScript regexes, and
// the unit tests keep the patterns to what RE2 also supports). A number input has no range in GitLab: the CLI checks
// probe-timeout and go-timeout when the job runs.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { stringify } from 'yaml'
import { createProject, runPipeline } from './gitlab-ci-local.js'
import { removeTempDirs, tempDir } from '../../helpers/temp-dir.js'

let scratch: string
let project: string

beforeAll(async () => {
  scratch = await tempDir('gitlab-inputs-itest-')
  project = await createProject('sources', path.join(scratch, 'project'))
}, 60_000)

afterAll(async () => {
  await removeTempDirs()
})

/** Lists the jobs of a pipeline that includes one component with these inputs (nothing runs). */
async function listWith(component: 'setup' | 'check', inputs: Record<string, unknown>) {
  const job = component === 'setup' ? { probe: { extends: '.goproxy-guard-setup', script: ['go version'] } } : {}
  const pipeline = {
    include: [{ component: `$CI_SERVER_FQDN/$CI_PROJECT_PATH/${component}@$CI_COMMIT_SHA`, inputs }],
    stages: ['test', 'verify'],
    ...job,
  }
  // gitlab-ci-local reads .gitlab-ci.yml from the working tree; the component ref stays HEAD
  await writeFile(path.join(project, '.gitlab-ci.yml'), stringify(pipeline))
  return runPipeline(project, [], { env: { PATH: process.env.PATH ?? '', HOME: scratch }, args: ['--list'] })
}

const rejected: [string, 'setup' | 'check', string, unknown, string][] = [
  ['an unknown preset', 'setup', 'preset', 'fastest', 'not in the list of allowed options'],
  [
    'patterns with a space (Go would never match the second)',
    'setup',
    'goprivate',
    'a.example, b.example',
    'does not match',
  ],
  ['a GOPROXY URL carrying credentials', 'setup', 'goproxy', 'https://user:token@proxy.example', 'does not match'],
  ['a GOPROXY list with a space', 'setup', 'goproxy', 'https://proxy.example, direct', 'does not match'],
  ['a GOSUMDB with three fields', 'setup', 'gosumdb', 'sum.golang.org https://a.example extra', 'does not match'],
  ['GOFLAGS without a leading dash', 'setup', 'goflags', 'mod=readonly', 'does not match'],
  ['a GOTOOLCHAIN that is not a version', 'setup', 'gotoolchain', 'latest', 'does not match'],
  ['shell in a variable name', 'setup', 'auth-token-variable', 'TOKEN; echo pwned', 'does not match'],
  ['a path in auth-host', 'setup', 'auth-host', 'proxy.example/go', 'does not match'],
  ['a module cache outside the project', 'setup', 'gomodcache', '../outside', 'does not match'],
  ['an absolute module cache', 'setup', 'gomodcache', '/var/cache/go', 'does not match'],
  ['a cache policy GitLab lacks', 'setup', 'cache-policy', 'always', 'not in the list of allowed options'],
  ['a boolean spelled yes', 'setup', 'auth-job-token', 'yes', 'provided value is not a boolean'],
  ['a boolean spelled 1', 'setup', 'verify', 1, 'provided value is not a boolean'],
  ['an unknown build cache policy', 'setup', 'build-cache-save', 'on-main', 'not in the list of allowed options'],
  ['a build cache outside the project', 'setup', 'gocache', '../gocache', 'does not match'],
  ['an unknown proxy failure policy', 'check', 'on-proxy-failure', 'ignore', 'not in the list of allowed options'],
  ['a probe timeout in words', 'check', 'probe-timeout', 'ten', 'provided value is not a number'],
  ['a go timeout in words', 'check', 'go-timeout', '10m', 'provided value is not a number'],
  ['a report dir outside the project', 'check', 'report-dir', '../reports', 'does not match'],
  ['a boolean spelled 1', 'check', 'check-drift', '1', 'provided value is not a boolean'],
]

describe('input validation', () => {
  test.each(rejected)(
    'rejects %s',
    async (_title, component, input, value, reason) => {
      const run = await listWith(component, { [input]: value })
      expect(run.code).toBe(1)
      expect(run.output).toContain(
        `This GitLab CI configuration is invalid: \`templates/${component}.yml\`: \`${input}\` input:`,
      )
      expect(run.output).toContain(reason)
    },
    60_000,
  )

  test('accepts a full set of realistic setup inputs', async () => {
    const run = await listWith('setup', {
      preset: 'official',
      goproxy: 'https://goproxy.example/go|https://proxy.golang.org,direct',
      goprivate: 'corp.example,*.internal.example/*',
      gonosumdb: 'corp.example',
      gosumdb: 'sum.golang.org https://sum.golang.google.cn',
      goinsecure: 'legacy.example',
      goflags: '-mod=readonly -trimpath',
      gotoolchain: 'go1.26.1+auto',
      goauth: 'netrc',
      'auth-host': '$CI_SERVER_HOST',
      'auth-username': 'gitlab-ci-token',
      'auth-token-variable': 'MY_GO_TOKEN',
      'auth-job-token': true,
      gomodcache: '.cache/go/mod',
      gocache: '.cache/go/build',
      verify: false,
      'build-cache': false,
      'build-cache-save': 'always',
      'cache-unprotect': true,
      'cache-key-files': ['go.sum', 'tools/go.sum'],
      'cache-key-prefix': 'go-$CI_JOB_NAME',
      'cache-policy': 'pull',
    })
    expect(run.output).not.toContain('invalid')
    expect(run.code).toBe(0)
    expect(run.output).toMatch(/^probe\s/m)
  }, 60_000)

  test('accepts a full set of realistic check inputs', async () => {
    const run = await listWith('check', {
      'job-name': 'go modules',
      stage: 'verify',
      image: 'registry.example/tools/goproxy-guard:1.0.0',
      'report-dir': 'reports/go',
      'working-directory': 'services/api',
      modules: 'a\nb',
      preset: 'china',
      'probe-timeout': 30,
      'go-timeout': 1800,
      'on-proxy-failure': 'strict',
      'check-drift': false,
      download: false,
    })
    expect(run.output).not.toContain('invalid')
    expect(run.code).toBe(0)
    expect(run.output).toMatch(/^go modules\s+verify/m)
  }, 60_000)
})
