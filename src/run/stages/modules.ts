import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { parseRequirements } from '../../drift/mod-directives.js'
import type { ModuleLayout } from '../../drift/modules.js'
import { matchPrefixPatterns } from '../../settings/patterns.js'
import type { PatternSetting } from '../../settings/types.js'

/** A requirement, as `path@version`, for the probes to ask about. */
export interface ProbeTargets {
  publicModule?: string
  privateModule?: string
}

/**
 * Something real and cheap for the probes: the first requirement Go fetches through the proxies, and the first one
 * GOPRIVATE / GONOPROXY / GONOSUMDB singles out, taken from the modules' go.mod files (direct requirements first).
 */
export async function probeTargets(
  layout: ModuleLayout,
  patterns: { goprivate?: PatternSetting; gonoproxy?: PatternSetting; gonosumdb?: PatternSetting },
): Promise<ProbeTargets> {
  const requirements = []
  for (const module of layout.modules) {
    try {
      const text = await readFile(path.join(layout.workingDirectory, module, 'go.mod'), 'utf8')
      requirements.push(...parseRequirements(text))
    } catch {
      // an unreadable go.mod is the drift check's to report
    }
  }
  requirements.sort((a, b) => Number(a.indirect) - Number(b.indirect))
  const matches = (p: PatternSetting | undefined, module: string): boolean =>
    p !== undefined && matchPrefixPatterns(p.patterns, module)
  const isPrivate = (module: string): boolean =>
    matches(patterns.goprivate, module) || matches(patterns.gonoproxy, module) || matches(patterns.gonosumdb, module)
  const local = new Set(layout.modules)
  const candidates = requirements.filter((r) => !local.has(r.path))
  const pub = candidates.find((r) => !matches(patterns.gonoproxy ?? patterns.goprivate, r.path) && !isPrivate(r.path))
  const priv = candidates.find((r) => isPrivate(r.path))
  return {
    publicModule: pub ? `${pub.path}@${pub.version}` : undefined,
    privateModule: priv ? `${priv.path}@${priv.version}` : undefined,
  }
}
