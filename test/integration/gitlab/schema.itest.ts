// Both templates against the GitLab CI schema gitlab-ci-local ships (a copy of gitlab-org/gitlab's
// app/assets/javascripts/editor/schema/ci.json, bundled in node_modules/gitlab-ci-local/dist/index.js):
// the spec header checked here (gitlab-ci-local does not check it), the jobs after interpolation checked by
// gitlab-ci-local itself, which validates the merged configuration before anything runs. That schema has no
// spec:component, like the GitLab versions before 18.6 the templates support.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import Ajv from 'ajv'
import { readFileSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import vm from 'node:vm'
import { parseAllDocuments, stringify } from 'yaml'
import { repoRoot } from '../../servers/testserver.js'
import { commitAll, createProject, runPipeline, templatesDir } from './gitlab-ci-local.js'

type Yaml = Record<string, unknown>

/** The schema object literal inside gitlab-ci-local's bundle, evaluated on its own (it references nothing else). */
function gitlabCiLocalSchema(): Yaml {
  const bundle = readFileSync(path.join(repoRoot, 'node_modules', 'gitlab-ci-local', 'dist', 'index.js'), 'utf8')
  const start = bundle.indexOf(
    '{$schema:"http://json-schema.org/draft-07/schema#",$id:"https://gitlab.com/.gitlab-ci.yml"',
  )
  if (start < 0) throw new Error('the GitLab CI schema is not in gitlab-ci-local’s bundle any more')
  let depth = 0
  let quote: string | undefined
  let end = start
  for (; end < bundle.length; end++) {
    const c = bundle[end]
    if (quote !== undefined) {
      if (c === '\\') end++
      else if (c === quote) quote = undefined
    } else if (c === '"' || c === "'" || c === '`') quote = c
    else if (c === '{') depth++
    else if (c === '}' && --depth === 0) break
  }
  return vm.runInNewContext(`(${bundle.slice(start, end + 1)})`) as Yaml
}

const schema = gitlabCiLocalSchema()
const validate = new Ajv({ allErrors: true, unknownFormats: 'ignore' }).compile(schema)

const header = (name: string): Yaml =>
  parseAllDocuments(readFileSync(path.join(templatesDir, `${name}.yml`), 'utf8'))[0]?.toJS() as Yaml

describe('the spec header', () => {
  test('the schema is the one without spec:component (GitLab before 18.6)', () => {
    const spec = (schema.properties as Yaml).spec as Yaml
    expect(Object.keys(spec.properties as Yaml)).toEqual(['inputs'])
    expect(spec.additionalProperties).toBe(false)
  })

  test.each(['setup', 'check'])('of %s validates', (name) => {
    const valid = validate(header(name))
    expect(validate.errors ?? []).toEqual([])
    expect(valid).toBe(true)
  })

  test.each(['setup', 'check'])('of %s would not with spec:component, nor with a typo in an input', (name) => {
    const spec = header(name).spec as Yaml
    expect(validate({ spec: { ...spec, component: ['version'] } })).toBe(false)
    expect(JSON.stringify(validate.errors)).toContain('"additionalProperty":"component"')
    const inputs = spec.inputs as Record<string, Yaml>
    const [first] = Object.keys(inputs)
    expect(validate({ spec: { inputs: { ...inputs, [first as string]: { tpye: 'boolean' } } } })).toBe(true)
    expect(validate({ spec: { inputs: { ...inputs, [first as string]: { type: 'bool' } } } })).toBe(false)
  })
})

describe('the jobs, interpolated and merged, as gitlab-ci-local validates them', () => {
  let scratch: string
  let project: string

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'gitlab-schema-itest-'))
    project = await createProject('sources', path.join(scratch, 'project'))
  }, 60_000)

  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true })
  })

  async function list(inputs: { setup: Yaml; check: Yaml }) {
    const pipeline = {
      include: [
        { component: '$CI_SERVER_FQDN/$CI_PROJECT_PATH/setup@$CI_COMMIT_SHA', inputs: inputs.setup },
        { component: '$CI_SERVER_FQDN/$CI_PROJECT_PATH/check@$CI_COMMIT_SHA', inputs: inputs.check },
      ],
      stages: ['test', 'verify'],
      build: { extends: '.goproxy-guard-setup', script: ['go build ./...'] },
    }
    await writeFile(path.join(project, '.gitlab-ci.yml'), stringify(pipeline))
    // the component must be HEAD to resolve locally: commit what the test changed
    await commitAll(project)
    return runPipeline(project, [], { env: { PATH: process.env.PATH ?? '', HOME: scratch }, args: ['--list'] })
  }

  test('with every default', async () => {
    const run = await list({ setup: {}, check: {} })
    expect(run.output).not.toContain('invalid')
    expect(run.output).toContain('json schema validated')
    expect(run.code).toBe(0)
  }, 60_000)

  test('with every input set, typed values unquoted', async () => {
    const run = await list({
      setup: {
        preset: 'china',
        modcacherw: false,
        verify: false,
        'auth-job-token': true,
        'cache-unprotect': true,
        'build-cache': false,
        'build-cache-save': 'always',
        'cache-policy': 'pull',
      },
      check: {
        'job-name': 'go modules',
        stage: 'verify',
        probe: false,
        'probe-timeout': 2.5,
        'go-timeout': 1200,
        'on-proxy-failure': 'strict',
        download: false,
        'check-drift': false,
        'cache-unprotect': true,
      },
    })
    expect(run.output).not.toContain('invalid')
    expect(run.output).toContain('json schema validated')
    expect(run.code).toBe(0)
  }, 60_000)

  test('a schema violation in a template fails the pipeline, so the two passes above mean something', async () => {
    const file = path.join(project, 'templates', 'check.yml')
    const original = await readFile(file, 'utf8')
    try {
      await writeFile(file, original.replace('  artifacts:\n    when: always', '  artifacts:\n    when: sometimes'))
      const run = await list({ setup: {}, check: {} })
      expect(run.code).toBe(1)
      expect(run.output).toContain('Invalid .gitlab-ci.yml configuration!')
      expect(run.output).toContain("'when' property must be one of [on_success, on_failure, always] (found sometimes)")
    } finally {
      await writeFile(file, original)
      await commitAll(project)
    }
  }, 60_000)
})
