import { accessSync, constants } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const serversDir = path.dirname(fileURLToPath(import.meta.url))

/** The repository root (two levels above test/servers). */
export const repoRoot = path.resolve(serversDir, '..', '..')

/** Source of the Go test server (its own Go module). */
export const testServerSourceDir = path.join(serversDir, 'go')

/** Where `buildTestServer` puts the binary (gitignored). */
export const testServerBinary = path.join(repoRoot, 'test', '.bin', 'testserver')

/** Fixture modules, one directory per `<module path>@<version>`. */
export const fixtureModulesDir = path.join(repoRoot, 'test', 'fixtures', 'modules')

/** Git fixture modules, `<name>/<version>/…`, served as `127.0.0.1/private/<name>`. */
export const fixtureGitDir = path.join(repoRoot, 'test', 'fixtures', 'git')

const goFallback = '/usr/local/go/bin/go'

/** The `go` executable: the first on PATH, else the standard install location. */
export function goBinary(pathVariable: string | undefined = process.env.PATH): string {
  for (const dir of (pathVariable ?? '').split(path.delimiter)) {
    if (dir === '') continue
    const candidate = path.join(dir, 'go')
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      // not here; keep looking
    }
  }
  return goFallback
}
