import { describe, expect, test } from '@jest/globals'
import { probeReportJson, renderProbeJson, renderProbeMarkdown, renderProbeText } from '../../../src/report/probe.js'
import { judgeChain } from '../../../src/probe/verdict.js'
import { chain, outcome, report } from '../probe/outcomes.js'

const A = 'https://a.example'
const B = 'https://b.example'

function sample() {
  const entries = chain(`${A}|${B},direct`)
  const probe = report({ entries, public: { 0: 'expired', 1: 200 } })
  const second = probe.entries[1]
  if (second?.publicModule)
    second.publicModule.timings = { dnsMs: 1.5, tcpMs: 0.4, tlsMs: 6, httpMs: 30, bodyMs: 0.2, totalMs: 39 }
  if (second) second.latencySamplesMs = [41, 39, 60]
  return { probe, verdict: judgeChain(probe, entries) }
}

describe('render', () => {
  test('text: one line per entry with its verdict and failing stage, then the checksum and route lines, never a diagnosis', () => {
    const { probe, verdict } = sample()
    const text = renderProbeText(probe, verdict)
    expect(text).toMatch(
      /FAIL +https:\/\/a\.example +tls \(expired\): TLS handshake failed: the certificate has expired/,
    )
    expect(text).toMatch(
      /ok +https:\/\/b\.example +39 ms \(dns 1\.5, tcp 0\.4, tls 6, http 30, body 0\.2\), median 41 ms/,
    )
    expect(text).toMatch(/- +direct/)
    expect(text).toContain(`Public modules: served by ${B}`)
    // what to do about the failing entry is said once, by whatever renders the diagnoses, not in the table
    expect(verdict.diagnoses.map((d) => d.code)).toEqual(['proxy-tls-expired'])
    expect(text).not.toContain('proxy-tls-expired')
    expect(text).not.toContain(verdict.diagnoses[0]?.fix ?? '-')
  })

  test('markdown: a table with entry, verdict, failing stage and latencies, and no diagnosis table', () => {
    const { probe, verdict } = sample()
    const markdown = renderProbeMarkdown(probe, verdict)
    expect(markdown).toContain(
      '| entry | verdict | failing stage | dns ms | tcp ms | tls ms | http ms | total ms | median ms |',
    )
    expect(markdown).toContain(`| \`${A}\` | failing | tls (expired) |`)
    expect(markdown).toContain(`| \`${B}\` | healthy |  | 1.5 | 0.4 | 6 | 30 | 39 | 41 |`)
    expect(markdown).not.toContain('| warning')
    expect(markdown).not.toContain(verdict.diagnoses[0]?.fix ?? '-')
  })

  test('json: verdict, entries with their outcomes, diagnoses', () => {
    const { probe, verdict } = sample()
    const json = JSON.parse(renderProbeJson(probe, verdict)) as {
      ok: boolean
      entries: Array<{ label: string; separator?: string; verdict: string }>
      diagnoses: unknown[]
    }
    expect(json.ok).toBe(true)
    expect(json.entries.map((e) => [e.label, e.separator, e.verdict])).toEqual([
      [A, '|', 'failing'],
      [B, ',', 'healthy'],
      ['direct', undefined, 'skipped'],
    ])
    expect(json.diagnoses).toHaveLength(1)
  })

  test('every rendering drops userinfo and applies the Redactor', () => {
    const { probe } = sample()
    const first = probe.entries[0]
    if (first?.publicModule)
      first.publicModule = {
        ...outcome('expired', 'https://user:pa55word@a.example/x'),
        error: 'token ghp_ABCDEF123456 refused',
      }
    const redact = (text: string): string => text.replaceAll('ghp_ABCDEF123456', '***')
    const verdictAgain = judgeChain(probe, chain(`${A}|${B},direct`))
    for (const text of [
      renderProbeText(probe, verdictAgain, redact),
      renderProbeMarkdown(probe, verdictAgain, redact),
      JSON.stringify(probeReportJson(probe, verdictAgain, redact)),
    ]) {
      expect(text).not.toContain('pa55word')
      expect(text).not.toContain('ghp_ABCDEF123456')
    }
  })
})
