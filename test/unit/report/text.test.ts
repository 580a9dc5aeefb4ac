import { describe, expect, it } from '@jest/globals'
import type { Diagnosis } from '../../../src/diagnose/types.js'
import type { MainReport, PostReport } from '../../../src/report/model.js'
import { renderMainSummary, renderRunSummary } from '../../../src/report/summary.js'
import { PLAIN, styleFor, wrap } from '../../../src/report/terminal.js'
import { renderDriftCommandText, renderRunText } from '../../../src/report/text.js'

const proxyError: Diagnosis = {
  code: 'proxy-http-5xx',
  kind: 'proxy',
  severity: 'error',
  title: 'GOPROXY entry https://127.0.0.1:8443: every module fetch fails (http 503)',
  detail: 'HTTP 503 Service Unavailable at https://127.0.0.1:8443/x/@v/list. Go stops at this entry.',
  fix: 'Check the proxy. Or put `|` after this proxy.',
}

const drifted: MainReport = {
  place: 'terminal',
  policy: 'fail',
  layout: { workingDirectory: '/w', modules: ['.'] },
  moduleCache: { source: 'disk', hit: 'false', bytes: 0, durationMs: 0, moduleVersions: 0 },
  drift: {
    findings: [
      {
        check: 'tidy',
        module: '.',
        file: 'go.mod',
        line: 6,
        message: 'example.com/other v1.0.0 is required but not used: remove it',
      },
      {
        check: 'tidy',
        module: '.',
        file: 'go.sum',
        line: 3,
        message: 'go.sum has 2 lines for example.com/other v1.0.0 that no build needs any more',
      },
    ],
    diffs: [
      { file: 'go.mod', diff: '--- a/go.mod\n+++ b/go.mod\n@@ -6,1 +6,0 @@\n-\texample.com/other v1.0.0\n' },
      {
        file: 'go.sum',
        diff: '--- a/go.sum\n+++ b/go.sum\n@@ -3,2 +3,0 @@\n-example.com/other v1.0.0 h1:a=\n-example.com/other v1.0.0/go.mod h1:b=\n',
      },
    ],
    modules: ['.'],
    notices: [],
    diagnoses: [],
    durationMs: 40,
  },
}

const post: PostReport = { place: 'terminal', ran: true, credentials: { removed: false } }

/** Words that mean nothing outside GitHub Actions. */
const GITHUB_WORDS = /main step|post step|annotation|job summary|no cache service/i

describe('the CLI report', () => {
  it('drift: the verdict and go mod tidy first, each diff once, the unused requirement by name, no GitHub words', () => {
    const text = renderRunText(drifted, post, PLAIN)
    expect(text.split('\n')[0]).toBe('✖ go.mod and go.sum drift: 2 findings in go.mod, go.sum')
    expect(text.split('\n')[1]).toBe('  fix: Run `go mod tidy` and commit go.mod and go.sum.')
    expect(text).toContain('example.com/other v1.0.0 is required but not used: remove it')
    expect(text.split('-\texample.com/other v1.0.0').length).toBe(2)
    expect(text.split('fix:').length).toBe(2)
    expect(text).not.toMatch(GITHUB_WORDS)
    const command = renderDriftCommandText(drifted.drift as NonNullable<MainReport['drift']>, PLAIN)
    expect(command.split('-\texample.com/other v1.0.0').length).toBe(2)
    expect(command).toContain('go mod tidy')
    expect(command).not.toMatch(GITHUB_WORDS)
  })

  it('a proxy failure: the verdict names the proxy, the diagnosis is said once', () => {
    const report: MainReport = {
      ...drifted,
      drift: undefined,
      download: { ok: false, durationMs: 5, failed: ['.'], skipped: [], diagnoses: [proxyError] },
    }
    const text = renderRunText(report, post, PLAIN)
    expect(text.split('\n')[0]).toBe(`✖ ${proxyError.title}`)
    expect(text.split(proxyError.detail).length).toBe(2)
    expect(text).not.toMatch(GITHUB_WORDS)
  })

  it("on GitLab the cache line says what GitLab's cache restored", () => {
    const report: MainReport = {
      ...drifted,
      place: 'gitlab',
      drift: undefined,
      moduleCache: { source: 'gitlab', hit: 'partial', bytes: 10, durationMs: 0, moduleVersions: 12 },
    }
    expect(renderRunText(report, post, PLAIN)).toContain("module cache: GitLab's cache restored 12 module versions")
    expect(renderRunSummary(report, post)).toContain("GitLab's cache restored 12 module versions")
  })

  it('colours only on a terminal that did not ask for none, and wraps at its width', () => {
    expect(styleFor({ isTTY: false, columns: 80 }, {})).toEqual(PLAIN)
    expect(styleFor({ isTTY: true, columns: 80 }, { NO_COLOR: '1' })).toEqual({ color: false, width: 80 })
    expect(styleFor({ isTTY: true, columns: 100 }, {})).toEqual({ color: true, width: 100 })
    const style = styleFor({ isTTY: true, columns: 50 }, {})
    const text = renderRunText(drifted, post, style)
    expect(text).toContain('\u001b[31m✖\u001b[39m')
    for (const line of text.split('\n')) {
      // eslint-disable-next-line no-control-regex -- colour codes take no columns
      const visible = line.replace(/\u001b\[\d+m/g, '')
      if (!visible.includes('h1:') && !/^\s*[-+@ ]/.test(visible.trim().slice(0, 1)))
        expect(visible.length).toBeLessThanOrEqual(50)
    }
    expect(renderRunText(drifted, post, PLAIN)).not.toContain('\u001b[')
    expect(wrap({ color: false, width: 20 }, 'one two three four five six seven', '  ')).toBe(
      'one two three four\n  five six seven',
    )
  })
})

describe('the job summary', () => {
  it('opens with the verdict; the configuration comes last, collapsed, without rows at Go defaults', () => {
    const report: MainReport = {
      ...drifted,
      place: 'github',
      configuration: {
        settings: [{ variable: 'GOPROXY', value: 'https://a|b', source: 'input' }],
        credentialHosts: [],
        warnings: ['a warning'],
      },
    }
    const summary = renderMainSummary(report)
    const lines = summary.split('\n').filter((l) => l.trim() !== '')
    expect(lines[0]).toBe('## goproxy-guard')
    expect(lines[1]).toMatch(/^❌ \*\*go\.mod and go\.sum drift/)
    expect(lines[2]).toBe('**Fix:** Run `go mod tidy` and commit go.mod and go.sum.')
    expect(summary.indexOf('<details><summary>Configuration</summary>')).toBeGreaterThan(
      summary.indexOf('### Warnings'),
    )
    expect(summary.trimEnd().endsWith('</details>')).toBe(true)
    expect(summary).toContain('`https://a\\|b`')
    expect(summary).not.toMatch(/_\(unset\)_|Go default/)
    expect(summary.split('-\texample.com/other v1.0.0').length).toBe(2)
    expect(summary.split('**Fix:**').length).toBe(2)
  })

  it('a proxy failure: ❌ naming the proxy host:port, the diagnosis said once, no table of diagnoses', () => {
    const report: MainReport = {
      ...drifted,
      place: 'github',
      drift: undefined,
      download: { ok: false, durationMs: 5, failed: ['.'], skipped: [], diagnoses: [proxyError] },
    }
    const summary = renderMainSummary(report)
    expect(summary.split('\n').filter((l) => l.trim() !== '')[1]).toContain('127.0.0.1:8443')
    expect(summary.split(proxyError.detail).length).toBe(2)
    expect(summary).not.toContain('### What failed')
  })
})
