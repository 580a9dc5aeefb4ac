import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parse as parseYaml } from 'yaml'
import { USAGE } from '../../src/cli/args.js'
import { INPUT_DEFAULTS, INPUT_NAMES, OUTPUT_NAMES } from '../../src/settings/inputs.js'

// The input, output and flag names are a public contract: action.yml, the code, the CLI and the README must agree.
const read = (file: string): string => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8')
const action = parseYaml(read('action.yml')) as {
  inputs: Record<string, { description: string; default?: string }>
  outputs: Record<string, { description: string }>
}
const readme = read('README.md')

describe('the public interface', () => {
  it('action.yml declares exactly the inputs the code reads, each described, with the same defaults', () => {
    expect(Object.keys(action.inputs)).toEqual([...INPUT_NAMES])
    for (const name of INPUT_NAMES) {
      expect(action.inputs[name]?.description.length).toBeGreaterThan(10)
      expect(action.inputs[name]?.default ?? '').toBe(INPUT_DEFAULTS[name] ?? '')
    }
  })

  it('action.yml declares exactly the outputs the code sets', () => {
    expect(Object.keys(action.outputs)).toEqual([...OUTPUT_NAMES])
  })

  it.each([...INPUT_NAMES])('input %s is a CLI flag and is in the README', (name) => {
    expect(USAGE).toContain(`--${name}`)
    expect(readme).toContain(`\`${name}\``)
  })

  it.each([...OUTPUT_NAMES])('output %s is in the README', (name) => {
    expect(readme).toContain(`\`${name}\``)
  })

  it('the README gives every exit code', () => {
    for (const code of ['| 0 |', '| 1 |', '| 2 |', '| 3 |']) expect(readme).toContain(code)
  })
})
