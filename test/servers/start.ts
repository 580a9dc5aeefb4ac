import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { buildTestServer } from './build.js'
import { fixtureGitDir, fixtureModulesDir } from './paths.js'
import type { Endpoint, TestServer, TestServerConfig, TestServerInfo } from './types.js'

const startupTimeoutMs = 30_000

/** Reads the first stdout line of the server (its JSON description), or rejects with its stderr. */
function readReadyLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = ''
    let stderr = ''
    const timer = setTimeout(
      () => fail(new Error(`testserver did not start within ${startupTimeoutMs} ms`)),
      startupTimeoutMs,
    )
    const fail = (error: Error): void => {
      clearTimeout(timer)
      child.kill('SIGKILL')
      reject(error)
    }
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
      const newline = stdout.indexOf('\n')
      if (newline >= 0) {
        clearTimeout(timer)
        resolve(stdout.slice(0, newline))
      }
    })
    child.on('error', fail)
    child.on('exit', (code, signal) =>
      fail(new Error(`testserver exited (${code ?? signal}) before it was ready: ${stderr}`)),
    )
  })
}

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => child.once('exit', () => resolve()))
}

/** Starts `testserver serve` with this config and resolves once every listener is up. */
export async function startTestServer(config: TestServerConfig = {}): Promise<TestServer> {
  const binary = await buildTestServer()
  const configDir = await mkdtemp(path.join(tmpdir(), 'testserver-config-'))
  const configFile = path.join(configDir, 'config.json')
  const full = { modulesDir: fixtureModulesDir, gitFixturesDir: fixtureGitDir, ...config }
  await writeFile(configFile, JSON.stringify(full))

  // stdin stays open as a lifeline: if this process dies, the server sees EOF and stops too.
  const child = spawn(binary, ['serve', configFile], { stdio: ['pipe', 'pipe', 'pipe'] })
  child.stdin.on('error', () => {}) // EPIPE when the server is already gone: stop() still resolves
  let info: TestServerInfo
  try {
    info = JSON.parse(await readReadyLine(child)) as TestServerInfo
  } finally {
    await rm(configDir, { recursive: true, force: true })
  }
  child.removeAllListeners('exit')

  return {
    ...info,
    proxy(name: string): Endpoint {
      const endpoint = info.proxies[name]
      if (endpoint === undefined)
        throw new Error(`no proxy named ${name} (have: ${Object.keys(info.proxies).join(', ')})`)
      return endpoint
    },
    async stop(): Promise<void> {
      const exited = waitForExit(child)
      child.kill('SIGTERM')
      child.stdin?.end()
      await exited
    },
  }
}
