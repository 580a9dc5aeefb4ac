import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { GoAccess } from '../../gocmd/runner.js'
import { discoverModules, ModuleLayoutError, type ModuleLayout } from '../../modules/layout.js'
import { joinPosix } from '../../modules/repository-root.js'
import { InputError } from '../../settings/errors.js'
import type { Settings } from '../../settings/types.js'

export type LayoutStage = { layout: ModuleLayout } | { refused: string }

/**
 * The modules to work on, and a check that the tool can read every go.mod, go.sum and go.work it will judge: a file
 * it cannot read is refused here with its name and the fix, not reported later as drift.
 */
export async function layoutStage(settings: Settings, go: GoAccess): Promise<LayoutStage> {
  let layout: ModuleLayout
  try {
    layout = await discoverModules(settings.workingDirectory, settings.modules, go)
  } catch (error) {
    if (error instanceof InputError || error instanceof ModuleLayoutError) return { refused: error.message }
    throw error
  }
  const files = layout.modules.flatMap((m) => [joinPosix(m, 'go.mod'), joinPosix(m, 'go.sum')])
  if (layout.workspace) files.push(layout.workspace.file, layout.workspace.sumFile)
  for (const file of files) {
    try {
      await readFile(path.resolve(layout.workingDirectory, file))
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ENOENT') continue
      return {
        refused: `Cannot read ${file} (${code ?? String(error)}). Make it a readable file: check its mode and owner (a checkout made by another user?).`,
      }
    }
  }
  return { layout }
}
