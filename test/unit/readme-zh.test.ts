import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { COMMANDS } from '../../src/cli/args.js'
import { INPUT_NAMES, OUTPUT_NAMES } from '../../src/settings/inputs.js'

// README.zh-CN.md is the guide for the teams in China: it must name everything README.md names, and be Chinese.
const read = (file: string): string => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8')
const readme = read('README.md')
const guide = read('README.zh-CN.md')

const han = (text: string): number => text.match(/\p{Script=Han}/gu)?.length ?? 0
const latinWords = (text: string): number => text.match(/[A-Za-z]+/g)?.length ?? 0

/** The prose of a markdown file, line by line: fenced blocks, code spans, link targets and bare URLs left out. */
function proseLines(markdown: string): { line: number; text: string }[] {
  const prose: { line: number; text: string }[] = []
  let fenced = false
  markdown.split('\n').forEach((raw, index) => {
    if (/^\s*(```|~~~)/.test(raw)) {
      fenced = !fenced
      return
    }
    if (fenced) return
    const text = raw
      .replace(/`[^`]*`/g, ' ')
      .replace(/\]\([^)]*\)/g, ']')
      .replace(/https?:\/\/\S+/g, ' ')
    if (latinWords(text) + han(text) > 0) prose.push({ line: index + 1, text })
  })
  return prose
}

/** The lines of one `## heading` section, up to the next heading of the same level. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}\n`)
  expect(start).toBeGreaterThanOrEqual(0)
  const end = markdown.indexOf('\n## ', start + 1)
  return markdown.slice(start, end < 0 ? undefined : end)
}

describe('README.zh-CN.md, the Chinese guide', () => {
  it.each([...INPUT_NAMES])('names input %s in both READMEs, and has a row for it in its input table', (name) => {
    expect(readme).toContain(`\`${name}\``)
    expect(guide).toContain(`\`${name}\``)
    expect(section(guide, 'Action 输入一览')).toContain(`\n| \`${name}\` |`)
  })

  it.each([...OUTPUT_NAMES])('names output %s in both READMEs, and has a row for it in its output table', (name) => {
    expect(readme).toContain(`\`${name}\``)
    expect(guide).toContain(`\`${name}\``)
    expect(section(guide, 'Action 输出')).toContain(`\n| \`${name}\` |`)
  })

  it.each([...COMMANDS])('names CLI command %s in both READMEs', (name) => {
    for (const text of [readme, guide]) {
      expect(text).toContain(`\`${name}\``)
      expect(text).toContain(`goproxy-guard ${name}`)
    }
  })

  it('gives every exit code and covers GitLab and the china preset', () => {
    for (const code of ['| 0 |', '| 1 |', '| 2 |', '| 3 |']) expect(guide).toContain(code)
    for (const needle of ['preset: china', 'goproxy.cn', 'mirrors.aliyun.com/goproxy', 'setup@', 'check@']) {
      expect(guide).toContain(needle)
    }
  })

  it('troubleshoots the errors teams in China meet', () => {
    const troubleshooting = section(guide, '常见问题排查')
    for (const error of [
      '410 Gone',
      'SECURITY ERROR',
      'checksum mismatch',
      'i/o timeout',
      'terminal prompts disabled',
      'module lookup disabled by GOPROXY=off',
    ]) {
      expect(troubleshooting).toContain(error)
    }
  })

  it('has at least 3,000 Chinese characters', () => {
    expect(han(guide)).toBeGreaterThanOrEqual(3000)
  })

  it('is Chinese throughout: every prose line holds Chinese, and Chinese outweighs English words', () => {
    const prose = proseLines(guide)
    const english = prose.filter(({ text }) => latinWords(text) > 0 && han(text) === 0)
    expect(english.map(({ line, text }) => `${line}: ${text.trim()}`)).toEqual([])
    const chinese = prose.reduce((sum, { text }) => sum + han(text), 0)
    const words = prose.reduce((sum, { text }) => sum + latinWords(text), 0)
    expect(chinese / (chinese + words)).toBeGreaterThan(0.75)
  })

  it('is linked from the first screen of README.md, and links back', () => {
    const firstScreen = readme.split('\n').slice(0, 20).join('\n')
    expect(firstScreen).toMatch(/\]\(README\.zh-CN\.md\)/)
    expect(guide.split('\n').slice(0, 10).join('\n')).toMatch(/\]\(README\.md\)/)
  })
})
