// Static checks of the CI definitions users run: the GitHub workflows (pinned actions, no expression injection into
// scripts, the reusable workflow mirroring action.yml) and the GitLab component templates (no input interpolated into
// a script, every input declared and used, inputs passed through variables).
import { describe, expect, test } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { InputErrors } from '../../src/settings/errors.js'
import type { InputName } from '../../src/settings/inputs.js'
import { readSettings } from '../../src/settings/read.js'
import { parse as parseYaml, parseAllDocuments } from 'yaml'

const root = path.resolve(import.meta.dirname, '..', '..')
const workflowsDir = path.join(root, '.github', 'workflows')
const workflowFiles = readdirSync(workflowsDir).filter((name) => /\.ya?ml$/.test(name))

type Yaml = Record<string, unknown>

function load(file: string): Yaml {
  return parseYaml(readFileSync(file, 'utf8')) as Yaml
}

/** Every value stored under `key` anywhere in the tree, with a readable path. */
function collect(node: unknown, key: string, where = '$'): { where: string; value: unknown }[] {
  const found: { where: string; value: unknown }[] = []
  if (Array.isArray(node)) node.forEach((item, i) => found.push(...collect(item, key, `${where}[${i}]`)))
  else if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === key) found.push({ where: `${where}.${k}`, value: v })
      found.push(...collect(v, key, `${where}.${k}`))
    }
  }
  return found
}

/** This repository's own action, released together with the workflow that calls it (a SHA cannot name its own commit). */
const OWN_ACTION = /^example-org\/goproxy-guard@v\d+$/
const PINNED = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+(\/[^@]+)?@[0-9a-f]{40}$/

function usesProblem(value: string): string | undefined {
  if (value.startsWith('./')) return undefined
  if (value.startsWith('docker://'))
    return /@sha256:[0-9a-f]{64}$/.test(value) ? undefined : 'docker image not pinned by digest'
  if (PINNED.test(value) || OWN_ACTION.test(value)) return undefined
  return 'not pinned to a full commit SHA'
}

/** Expressions that must reach a script through env:, never through its text. */
const UNSAFE_IN_RUN = /\$\{\{\s*(inputs|secrets|github\.event|github\.head_ref|steps\.[^}]*outputs|matrix)\b/

describe('GitHub workflows', () => {
  test('there are workflows to check', () => {
    expect(workflowFiles).toEqual(expect.arrayContaining(['ci.yml', 'go-modules.yml']))
  })

  test.each(workflowFiles)('%s: every uses: is a local path or pinned to a full commit SHA', (file) => {
    const uses = collect(load(path.join(workflowsDir, file)), 'uses')
    expect(uses.length).toBeGreaterThan(0)
    const problems = uses
      .map(({ where, value }) => ({ where, value, problem: usesProblem(String(value)) }))
      .filter((u) => u.problem !== undefined)
    expect(problems).toEqual([])
  })

  test.each(workflowFiles)('%s: no run: script interpolates inputs, secrets, event data or step outputs', (file) => {
    const runs = collect(load(path.join(workflowsDir, file)), 'run').filter(({ value }) => typeof value === 'string')
    expect(runs.length).toBeGreaterThan(0)
    expect(runs.filter(({ value }) => UNSAFE_IN_RUN.test(String(value)))).toEqual([])
  })

  test.each(workflowFiles)('%s: the token gets only read permission by default', (file) => {
    expect(load(path.join(workflowsDir, file)).permissions).toEqual({ contents: 'read' })
  })

  test('the pin checks can fail', () => {
    expect(usesProblem('actions/checkout@v7')).toBe('not pinned to a full commit SHA')
    expect(usesProblem('actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1')).toBeUndefined()
    expect(usesProblem('someone/else@v1')).toBe('not pinned to a full commit SHA')
    expect(UNSAFE_IN_RUN.test('echo "${{ inputs.goproxy }}"')).toBe(true)
    expect(UNSAFE_IN_RUN.test('echo "${{ secrets.auth }}"')).toBe(true)
    expect(UNSAFE_IN_RUN.test('echo "$GOPROXY"')).toBe(false)
  })
})

describe('reusable workflow go-modules.yml', () => {
  const workflow = load(path.join(workflowsDir, 'go-modules.yml'))
  const call = (workflow.on as Yaml).workflow_call as Yaml
  const inputs = call.inputs as Record<string, Yaml>
  const action = load(path.join(root, 'action.yml'))
  const actionInputs = action.inputs as Record<string, { default?: string }>
  const job = (workflow.jobs as Record<string, Yaml>)['go-modules'] as Yaml
  const steps = job.steps as Yaml[]
  const guard = steps.find((step) => step.id === 'guard') as Yaml

  test('is callable only through workflow_call', () => {
    expect(Object.keys(workflow.on as Yaml)).toEqual(['workflow_call'])
  })

  test('mirrors every action input, with the same default; auth comes as a secret', () => {
    const names = Object.keys(actionInputs).filter((name) => name !== 'auth')
    for (const name of names) {
      expect(inputs[name]).toBeDefined()
      expect(String(inputs[name]?.default)).toBe(actionInputs[name]?.default ?? '')
    }
    expect(inputs.auth).toBeUndefined()
    expect((call.secrets as Yaml).auth).toEqual(expect.objectContaining({ required: false }))
  })

  test('passes every input to the action unchanged, and auth from the secret', () => {
    expect(guard.uses).toMatch(OWN_ACTION)
    const given = guard.with as Record<string, string>
    expect(Object.keys(given).sort()).toEqual(Object.keys(actionInputs).sort())
    for (const name of Object.keys(actionInputs)) {
      expect(given[name]).toBe(name === 'auth' ? '${{ secrets.auth }}' : `\${{ inputs.${name} }}`)
    }
  })

  test('sets up Go with its own cache off, before the action, then builds and tests', () => {
    const setupGo = steps.find((step) => String(step.uses).startsWith('actions/setup-go@')) as Yaml
    expect((setupGo.with as Yaml).cache).toBe(false)
    const order = steps.map((step) => String(step.uses ?? step.name).split('@')[0])
    expect(order).toEqual(['actions/checkout', 'actions/setup-go', 'example-org/goproxy-guard', 'go build', 'go test'])
    expect(steps.find((step) => step.name === 'go test')?.run).toContain('go test "${extra[@]}" ./...')
  })
})

describe("this repository's ci.yml", () => {
  const jobs = load(path.join(workflowsDir, 'ci.yml')).jobs as Record<string, Yaml>

  test('typechecks, lints, runs unit and integration tests, and checks dist/ against a fresh build', () => {
    const scripts = (job: string) =>
      ((jobs[job]?.steps as Yaml[]) ?? []).map((step) => String(step.run ?? '')).join('\n')
    for (const command of [
      'npm ci',
      'npm run typecheck',
      'npm run lint',
      'npm run test:unit',
      'npm run test:integration',
    ]) {
      expect(scripts('test')).toContain(command)
    }
    expect(scripts('dist')).toContain('npm run build')
    expect(scripts('dist')).toContain('git status --porcelain -- dist')
  })

  test('runs the action itself (uses: ./) on ubuntu, macos and windows', () => {
    const action = jobs.action as Yaml
    expect(((action.strategy as Yaml).matrix as Yaml).os).toEqual(['ubuntu-latest', 'macos-latest', 'windows-latest'])
    expect((action.steps as Yaml[]).some((step) => step.uses === './')).toBe(true)
  })
})

describe('GitLab component templates', () => {
  const templates = ['setup', 'check'].map((name) => {
    const text = readFileSync(path.join(root, 'templates', `${name}.yml`), 'utf8')
    const [header, body] = parseAllDocuments(text).map((doc) => doc.toJS() as Yaml)
    const bodyText = text.slice(text.indexOf('\n---\n'))
    return { name, header: header as Yaml, body: body as Yaml, bodyText }
  })

  test.each(templates)(
    '$name: every input is declared with a description, and used in the body',
    ({ header, bodyText }) => {
      const declared = (header.spec as Yaml).inputs as Record<string, Yaml>
      const used = new Set([...bodyText.matchAll(/\$\[\[\s*inputs\.([A-Za-z0-9_-]+)/g)].map((m) => m[1] as string))
      expect([...used].filter((name) => !(name in declared))).toEqual([])
      expect(Object.keys(declared).filter((name) => !used.has(name))).toEqual([])
      for (const [name, spec] of Object.entries(declared)) {
        expect([name, typeof spec.description]).toEqual([name, 'string'])
        expect([name, 'default' in spec]).toEqual([name, true])
      }
    },
  )

  test.each(templates)(
    '$name: no script interpolates an input or a secret; inputs come through variables',
    ({ body }) => {
      const scripts = [...collect(body, 'before_script'), ...collect(body, 'script'), ...collect(body, 'after_script')]
      expect(scripts.length).toBeGreaterThan(0)
      for (const { value } of scripts) {
        const text = JSON.stringify(value)
        expect(text).not.toContain('$[[')
        expect(text).not.toMatch(/set -x|set -o xtrace/)
      }
    },
  )

  test.each(templates)('$name: string inputs with free text are constrained by options or a regex', ({ header }) => {
    const declared = (header.spec as Yaml).inputs as Record<string, Yaml>
    // free text that only reaches a quoted variable, or a YAML key, needs no pattern
    const unconstrained = Object.entries(declared)
      .filter(([, spec]) => (spec.type ?? 'string') === 'string' && !spec.options && !spec.regex)
      .map(([name]) => name)
    expect(unconstrained.filter((name) => !['stage', 'image', 'modules'].includes(name))).toEqual([])
  })

  // every yes/no input: a YAML boolean for the user (download: false, unquoted); the numbers: a YAML number
  const YES_NO: Record<string, string[]> = {
    setup: ['modcacherw', 'auth-job-token', 'cache-unprotect', 'verify', 'build-cache'],
    check: [
      'modcacherw',
      'probe',
      'select-fastest',
      'download',
      'check-drift',
      'check-post',
      'allow-external-replace',
      'auth-job-token',
      'cache-unprotect',
    ],
  }
  const NUMBERS: Record<string, string[]> = { setup: [], check: ['probe-timeout', 'go-timeout'] }

  test.each(templates)('$name: yes/no inputs are type boolean, seconds are type number', ({ name, header }) => {
    const declared = (header.spec as Yaml).inputs as Record<string, Yaml>
    const typed = (type: string) =>
      Object.entries(declared)
        .filter(([, spec]) => spec.type === type)
        .map(([input]) => input)
    expect(typed('boolean').sort()).toEqual([...(YES_NO[name] ?? [])].sort())
    expect(typed('number').sort()).toEqual([...(NUMBERS[name] ?? [])].sort())
    for (const input of typed('boolean')) expect([input, typeof declared[input]?.default]).toEqual([input, 'boolean'])
    for (const input of typed('number')) expect([input, typeof declared[input]?.default]).toEqual([input, 'number'])
    // no boolean left spelled as the strings 'true' and 'false'
    const stringly = Object.entries(declared).filter(([, spec]) =>
      JSON.stringify(spec.options ?? []).match(/"(true|false)"/),
    )
    expect(stringly.map(([input]) => input)).toEqual([])
  })

  test.each(templates)(
    '$name: a typed input reaches a job variable inside a string (GitLab refuses a boolean there)',
    ({ header, body }) => {
      const declared = (header.spec as Yaml).inputs as Record<string, Yaml>
      const job = Object.values(body)[0] as Yaml
      for (const [variable, value] of Object.entries(job.variables as Record<string, unknown>)) {
        expect([variable, typeof value]).toEqual([variable, 'string'])
        const input = /\$\[\[\s*inputs\.([A-Za-z0-9_-]+)\s*\]\]/.exec(String(value))?.[1]
        const type = input === undefined ? undefined : (declared[input]?.type as string | undefined)
        if (type === 'boolean' || type === 'number') {
          // the whole value would be interpolated as a YAML boolean or number; the prefix keeps it a string
          expect([variable, value]).toEqual([variable, `${type}:$[[ inputs.${input} ]]`])
        }
      }
    },
  )

  test.each(['probe-timeout', 'go-timeout'] as InputName[])(
    'check: the range %s states is the one the CLI enforces, in the same words',
    (input) => {
      const check = templates.find((t) => t.name === 'check') as (typeof templates)[number]
      const description = String(
        (((check.header.spec as Yaml).inputs as Record<string, Yaml>)[input] as Yaml).description,
      )
      const max = Number(/greater than 0 and at most (\d+)/.exec(description)?.[1])
      expect(max).toBeGreaterThan(0)
      const errors = (value: string): string[] => {
        try {
          readSettings((name) => (name === input ? value : ''), { baseDirectory: os.tmpdir(), env: {} })
          return []
        } catch (error) {
          if (error instanceof InputErrors) return error.errors.map((e) => e.message)
          throw error
        }
      }
      expect(errors(String(max))).toEqual([])
      for (const bad of [String(max + 1), '0']) {
        expect(errors(bad).join('\n')).toContain(`greater than 0 and at most ${max}`)
      }
    },
  )

  test.each(templates)('$name: no spec:component, so GitLab before 18.6 parses it', ({ header, bodyText }) => {
    expect(Object.keys(header.spec as Yaml)).toEqual(['inputs'])
    expect(bodyText).not.toContain('$[[ component.')
  })

  test('the regexes are valid in JavaScript (gitlab-ci-local) and use nothing RE2 lacks', () => {
    for (const { header } of templates) {
      for (const [name, spec] of Object.entries((header.spec as Yaml).inputs as Record<string, Yaml>)) {
        if (typeof spec.regex !== 'string') continue
        expect(() => new RegExp(spec.regex as string)).not.toThrow()
        // RE2 has no lookaround and no backreferences
        expect([name, /\(\?[=!<]|\\[1-9]/.test(spec.regex)]).toEqual([name, false])
        expect([name, spec.regex.startsWith('^') && spec.regex.endsWith('$')]).toEqual([name, true])
      }
    }
  })
})
