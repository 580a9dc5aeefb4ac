import { describe, expect, it } from '@jest/globals'
import {
  buildCacheHit,
  buildCacheKeys,
  decideBuildCacheSave,
  type BuildCacheFacts,
  type BuildCacheSaveFacts,
} from '../../../src/cache/build-cache.js'

const FACTS: BuildCacheFacts = {
  prefix: 'goproxy-guard',
  goos: 'linux',
  goarch: 'amd64',
  goVersion: 'go1.26.8',
  buildVariables: { GOFLAGS: '-trimpath', CGO_ENABLED: '1', GOAMD64: 'v1', GOEXPERIMENT: '' },
  dependencyFiles: [{ path: 'go.sum', content: Buffer.from('example.com/a v1.0.0 h1:x=\n') }],
  runId: '123-1',
}

describe('build cache keys', () => {
  it('name the OS, arch and Go version, a hash of what changes compiled output, and the run', () => {
    const keys = buildCacheKeys(FACTS)
    expect(keys.key).toMatch(/^goproxy-guard-build-v1-linux-amd64-go1\.26\.8-[0-9a-f]{24}-123-1$/)
    expect(keys.restoreKeys).toEqual([keys.key.replace(/123-1$/, ''), 'goproxy-guard-build-v1-linux-amd64-go1.26.8-'])
  })

  it.each([
    ['GOFLAGS', { buildVariables: { ...FACTS.buildVariables, GOFLAGS: '' } }],
    ['CGO_ENABLED', { buildVariables: { ...FACTS.buildVariables, CGO_ENABLED: '0' } }],
    ['GOAMD64', { buildVariables: { ...FACTS.buildVariables, GOAMD64: 'v3' } }],
    ['GOEXPERIMENT', { buildVariables: { ...FACTS.buildVariables, GOEXPERIMENT: 'jsonv2' } }],
    ['go.sum', { dependencyFiles: [{ path: 'go.sum', content: Buffer.from('other\n') }] }],
  ])('a different %s is a different entry of the same platform', (_name, change) => {
    const a = buildCacheKeys(FACTS)
    const b = buildCacheKeys({ ...FACTS, ...change })
    expect(b.restoreKeys[0]).not.toBe(a.restoreKeys[0])
    expect(b.restoreKeys[1]).toBe(a.restoreKeys[1])
  })

  it('the order of the variables does not matter; the Go version and the platform do', () => {
    const reversed = Object.fromEntries(Object.entries(FACTS.buildVariables).reverse())
    expect(buildCacheKeys({ ...FACTS, buildVariables: reversed }).key).toBe(buildCacheKeys(FACTS).key)
    expect(buildCacheKeys({ ...FACTS, goVersion: 'go1.26.9' }).restoreKeys[1]).not.toBe(
      buildCacheKeys(FACTS).restoreKeys[1],
    )
    expect(buildCacheKeys({ ...FACTS, goarch: 'arm64' }).restoreKeys[1]).toContain('-linux-arm64-')
  })

  it('a hit: true for the same flags and dependencies, partial for the same platform and Go only', () => {
    const keys = buildCacheKeys(FACTS)
    expect(buildCacheHit(keys, undefined)).toBe('false')
    expect(buildCacheHit(keys, `${keys.restoreKeys[0]}99-1`)).toBe('true')
    expect(buildCacheHit(keys, `${keys.restoreKeys[1]}ffff-98-1`)).toBe('partial')
  })
})

describe('when the build cache is saved', () => {
  const yes: BuildCacheSaveFacts = {
    policy: 'default-branch',
    mainSucceeded: true,
    eventName: 'push',
    ref: 'refs/heads/main',
    defaultBranch: 'main',
    cacheMode: '',
    available: true,
    newOutputs: 3,
  }

  it('saves on the default branch when the job compiled something new', () => {
    expect(decideBuildCacheSave(yes)).toEqual({ save: true })
  })

  it.each([
    [{ policy: 'never' as const }, 'build-cache-save is never'],
    [{ mainSucceeded: false }, 'the main step did not succeed'],
    [
      { eventName: 'pull_request_target', policy: 'always' as const },
      'pull_request_target events never write to the cache',
    ],
    [
      { ref: 'refs/pull/7/merge', eventName: 'pull_request' },
      'saved only on the default branch (main); this is refs/pull/7/merge',
    ],
    [{ ref: 'refs/heads/feature' }, 'saved only on the default branch (main); this is refs/heads/feature'],
    [
      { defaultBranch: undefined },
      'the event payload does not name the default branch (set build-cache-save: always to save anyway)',
    ],
    [{ cacheMode: 'read' }, "the runner's cache mode 'read' does not allow writing"],
    [{ available: false }, 'no cache service is available to this job'],
    [{ newOutputs: 0 }, 'the job compiled nothing the restored entry lacked'],
  ])('%j → not saved: %s', (change, reason) => {
    expect(decideBuildCacheSave({ ...yes, ...change })).toEqual({ save: false, reason })
  })

  it('always: any branch, any event but pull_request_target', () => {
    expect(
      decideBuildCacheSave({ ...yes, policy: 'always', ref: 'refs/heads/feature', defaultBranch: undefined }),
    ).toEqual({ save: true })
  })
})
