import type { Diagnosis } from '../../diagnose/types.js'
import type { ModuleLayout } from '../../modules/layout.js'
import { assessNeeds, type JobNeeds } from '../../modules/needs.js'
import { effectiveEntries } from '../../probe/defaults.js'
import type { RouteNeeds } from '../../probe/verdict.js'
import type { AccessResult } from '../../report/model.js'
import { matchPrefixPatterns } from '../../settings/patterns.js'
import type { Configured } from './configure.js'

const LISTED = 5

/**
 * What this job needs from the network (read offline, after the cache restore) and what that means for each route
 * of the chain; with GOPROXY=off, the modules that cannot be had at all.
 */
export async function accessStage(c: Configured, layout: ModuleLayout): Promise<AccessResult> {
  const { effective, goenv, settings } = c
  const entries = effectiveEntries(effective.goproxy)
  const needs = await assessNeeds({
    layout,
    goEnv: goenv,
    goproxy: entries,
    gosumdbOff: effective.gosumdb?.off === true,
    patterns: effective,
    runs: { download: settings.download, checkDrift: settings.checkDrift },
  })
  const privatePatterns = [effective.goprivate, effective.gonosumdb].flatMap((p) => p?.patterns ?? [])
  const isPrivate = (modulePath: string): boolean => matchPrefixPatterns(privatePatterns, modulePath)
  const throughProxies = needs.missing.filter((m) => m.route === 'proxy')
  const checksumsNeeded = needs.unsummed.length > 0 || (needs.toolchain !== undefined && !needs.toolchain.cached)
  const cacheWhy =
    needs.vendored.length > 0 && !settings.checkDrift
      ? 'its build reads vendor/'
      : 'every module version it reads is in the module cache'
  const mattersWhen =
    'when go.mod or go.sum change, or the job starts without this module cache (a new key, an evicted entry)'
  const routes: RouteNeeds = {
    public: throughProxies.some((m) => !isPrivate(m.path))
      ? { needed: true }
      : { needed: false, why: cacheWhy, mattersWhen },
    private: throughProxies.some((m) => isPrivate(m.path))
      ? { needed: true }
      : { needed: false, why: cacheWhy, mattersWhen },
    checksums: checksumsNeeded
      ? { needed: true }
      : {
          needed: false,
          why: 'go.sum holds every checksum its modules need (or GONOSUMDB covers them)',
          mattersWhen:
            'with the next go.sum change that adds a module: go get and go mod tidy ask the database about it',
        },
  }
  return { needs, routes, diagnoses: offDiagnoses(needs) }
}

/** GOPROXY=off and modules the cache lacks: Go cannot have them, so the job fails (exit 3), naming them. */
function offDiagnoses(needs: JobNeeds): Diagnosis[] {
  const off = needs.missing.filter((m) => m.route === 'off')
  if (off.length === 0) return []
  const names = off.map((m) => `${m.path}@${m.version}`)
  const listed =
    names.length <= LISTED ? names.join(', ') : `${names.slice(0, LISTED).join(', ')} and ${names.length - LISTED} more`
  return [
    {
      code: 'goproxy-off',
      kind: 'proxy',
      severity: 'error',
      title: `GOPROXY=off, and the module cache lacks ${off.length === 1 ? 'a module' : `${off.length} modules`} this job needs: ${listed}`,
      detail: `With GOPROXY=off Go downloads nothing (GONOPROXY modules aside), so every go command that reads ${off.length === 1 ? 'it' : 'them'} fails with "module lookup disabled by GOPROXY=off". Missing: ${off.map((m) => `${m.path}@${m.version} (${m.missing.join(', ')})`).join('; ')}.`,
      fix: 'Restore a module cache that holds them (a job that runs go mod download saves one; check that both use the same key), vendor the modules, or set GOPROXY to a proxy that serves them.',
      module: off[0]?.path,
    },
  ]
}
