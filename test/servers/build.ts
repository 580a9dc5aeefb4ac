import { execFile } from 'node:child_process'
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { goBinary, testServerBinary, testServerSourceDir } from './paths.js'

const execFileAsync = promisify(execFile)

async function newestSourceTime(): Promise<number> {
  const names = await readdir(testServerSourceDir)
  const sources = names.filter((name) => name.endsWith('.go') || name === 'go.mod' || name === 'go.sum')
  const times = await Promise.all(
    sources.map(async (name) => (await stat(path.join(testServerSourceDir, name))).mtimeMs),
  )
  return Math.max(...times)
}

async function binaryTime(): Promise<number | undefined> {
  try {
    return (await stat(testServerBinary)).mtimeMs
  } catch {
    return undefined
  }
}

/**
 * Builds test/.bin/testserver when it is missing or older than its Go sources, and returns its path.
 * Uses the ambient Go environment, so golang.org/x/mod comes from the module cache or the module proxy.
 */
export async function buildTestServer(): Promise<string> {
  const builtAt = await binaryTime()
  if (builtAt !== undefined && builtAt >= (await newestSourceTime())) return testServerBinary

  await mkdir(path.dirname(testServerBinary), { recursive: true })
  // Build under a private name, then rename: parallel jest workers never run a half-written binary.
  const partial = `${testServerBinary}.${process.pid}.partial`
  try {
    // the one go the tests run in the machine's own environment: it needs that module cache (golang.org/x/mod) and
    // go env settings, and writes nothing a test removes; telemetry is off all the same
    await execFileAsync(goBinary(), ['build', '-buildvcs=false', '-o', partial, '.'], {
      cwd: testServerSourceDir,
      env: { ...process.env, GOTELEMETRY: 'off' },
      maxBuffer: 16 * 1024 * 1024,
    })
    await rename(partial, testServerBinary)
  } finally {
    await rm(partial, { force: true })
  }
  return testServerBinary
}
