import { createHash } from 'node:crypto'
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'

/** A throwaway Go module: go.mod, go.sum and a main package importing the given packages. */
export async function makeModule(
  dir: string,
  options: { module?: string; requires: Record<string, string>; goSum: string; imports: string[]; go?: string },
): Promise<void> {
  await mkdir(dir, { recursive: true })
  const requires = Object.entries(options.requires)
    .map(([mod, version]) => `\t${mod} ${version}\n`)
    .join('')
  await writeFile(
    path.join(dir, 'go.mod'),
    `module ${options.module ?? 'example.test/app'}\n\ngo ${options.go ?? '1.24'}\n` +
      (requires ? `\nrequire (\n${requires})\n` : ''),
  )
  await writeFile(path.join(dir, 'go.sum'), options.goSum)
  const imports = options.imports.map((p) => `\t_ "${p}"\n`).join('')
  await writeFile(path.join(dir, 'main.go'), `package main\n\nimport (\n${imports})\n\nfunc main() {}\n`)
}

/** SHA-256 of every file below `dir`, to prove nothing was written. */
export async function treeHashes(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  const walk = async (d: string): Promise<void> => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name)
      if (entry.isDirectory()) await walk(full)
      else
        out[path.relative(dir, full)] = createHash('sha256')
          .update(await readFile(full))
          .digest('hex')
    }
  }
  await walk(dir)
  return out
}

/**
 * The environment of a runner that touches nothing outside `dir`: its own HOME, GOPATH and caches, Go pinned to the
 * local toolchain and its telemetry off, and the test servers' CA trusted by Go, git and Node.
 */
export async function runnerEnv(
  dir: string,
  caFile: string,
  extra: Record<string, string> = {},
): Promise<Record<string, string>> {
  await mkdir(path.join(dir, 'home'), { recursive: true })
  return {
    HOME: path.join(dir, 'home'),
    GOPATH: path.join(dir, 'gopath'),
    GOMODCACHE: path.join(dir, 'gopath/pkg/mod'),
    GOCACHE: path.join(dir, 'gocache'),
    GOFLAGS: '-modcacherw',
    GOTOOLCHAIN: 'local',
    GOENV: 'off',
    // telemetry writes below HOME in the background, even after go exits: a clean-up could meet it (ENOTEMPTY)
    GOTELEMETRY: 'off',
    SSL_CERT_FILE: caFile,
    GIT_SSL_CAINFO: caFile,
    NODE_EXTRA_CA_CERTS: caFile,
    GIT_CONFIG_NOSYSTEM: '1',
    ...extra,
  }
}
