import { execFile } from 'node:child_process'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { buildTestServer } from './build.js'
import { fixtureModulesDir } from './paths.js'

const execFileAsync = promisify(execFile)

export interface FileProxy {
  /** `file:///…` URL to put in GOPROXY. */
  url: string
  /** go.sum lines (`<path> <version> h1:…` and `<path> <version>/go.mod h1:…`) of every exported module. */
  goSum: string[]
}

/** Writes the fixture modules into outDir in GOPROXY layout, for `GOPROXY=file:///…` without any server. */
export async function exportFileProxy(outDir: string, modulesDir: string = fixtureModulesDir): Promise<FileProxy> {
  const binary = await buildTestServer()
  const { stdout } = await execFileAsync(binary, ['export', '-modules', modulesDir, '-out', outDir])
  const goSum = stdout.split('\n').filter((line) => line !== '')
  return { url: pathToFileURL(outDir).href, goSum }
}
