// The action on a built-in example: a demo Go module that needs one private and one public module, a loopback
// module proxy that demands Basic auth, a checksum database, and a GitHub Actions cache service — all started here,
// all on 127.0.0.1. The bundles in dist/ run exactly as the Actions runner runs them, twice: a cold run that downloads
// and saves the cache, then a fresh runner that restores it and builds offline.
// Run with: node --experimental-transform-types --import ./test/servers/node-hooks.mjs scripts/demo.mjs   (scripts/demo.sh does the set-up first)
import { cp, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { runAction } from '../test/helpers/action-runner.ts'
import { startCacheService } from '../test/servers/cache-service.ts'
import { runGo, startTestServer } from '../test/servers/testserver.ts'
import { runnerEnv } from '../test/helpers/workspace.ts'

const root = path.resolve(import.meta.dirname, '..')
const USER = 'demo-bot'
const SECRET = 'demo-S3cret-token'
const bold = (t) => (process.stdout.isTTY ? `\x1b[1m${t}\x1b[0m` : t)

const server = await startTestServer({
  proxies: [
    { name: 'corp', auth: { username: USER, password: SECRET } },
    { name: 'public', sumdb: true },
  ],
})
const cache = await startCacheService()
try {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'goproxy-guard-demo-'))
  const workspace = path.join(tmp, 'workspace')
  await cp(path.join(root, 'test/fixtures/demo'), workspace, { recursive: true })
  const inputs = {
    goproxy: `${server.proxy('corp').url},${server.proxy('public').url},off`,
    gonosumdb: 'corp.example',
    gosumdb: server.sumdb.key,
    auth: `${server.proxy('corp').host} ${USER} ${SECRET}`,
  }
  console.log(bold('goproxy-guard demo'))
  console.log(`workspace: ${workspace}`)
  console.log(
    `inputs:\n${Object.entries(inputs)
      .map(([k, v]) => `  ${k}: ${k === 'auth' ? '<from a secret>' : v}`)
      .join('\n')}\n`,
  )

  for (const [round, title] of [
    [1, 'Run 1: a cold runner — probe, check drift, download, save the cache'],
    [2, 'Run 2: a fresh runner — restore the cache, verify it, build with GOPROXY=off'],
  ]) {
    // the same paths on every runner, as on GitHub's images, but nothing left from the run before
    const runner = path.join(tmp, 'runner')
    await rm(runner, { recursive: true, force: true })
    const env = await runnerEnv(runner, server.caFile, cache.env)
    let build
    const job = await runAction({
      workspace,
      env,
      inputs,
      between: async (jobEnv) => {
        build = await runGo(['build', '-o', path.join(runner, 'demo'), '.'], {
          cwd: workspace,
          env: round === 2 ? { ...jobEnv, GOPROXY: 'off' } : jobEnv,
        })
      },
    })
    console.log(bold(`\n=== ${title}\n`))
    console.log(bold('--- main step log'))
    console.log(readable(job.main.stdout + job.main.stderr))
    console.log(bold(`--- a later step: go build${round === 2 ? ' with GOPROXY=off' : ''}`))
    console.log(build.code === 0 ? 'built ./demo' : build.stderr)
    console.log(bold('--- post step log'))
    console.log(readable((job.post?.stdout ?? '') + (job.post?.stderr ?? '')))
    console.log(bold('--- exported environment (GITHUB_ENV)'))
    for (const [k, v] of Object.entries(job.main.env)) console.log(`  ${k}=${v}`)
    console.log(bold('--- outputs (GITHUB_OUTPUT)'))
    for (const [k, v] of Object.entries(job.main.outputs)) if (k !== 'proxy-report') console.log(`  ${k}=${v}`)
    console.log(bold('--- job summary (GITHUB_STEP_SUMMARY)'))
    console.log(job.main.summary + (job.post?.summary ?? ''))
    console.log(`main step exit ${job.main.code}, post step exit ${job.post?.code}`)
    if (job.main.code !== 0 || job.post?.code !== 0 || build.code !== 0) process.exitCode = 1
  }
  console.log(
    bold(
      `\ncache entries saved on the loopback cache service: ${cache
        .entries()
        .map((e) => e.key)
        .join(', ')}`,
    ),
  )
} finally {
  await cache.close()
  await server.stop()
}

/** Workflow commands as the runner shows them. */
function readable(text) {
  return text
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::') && !line.startsWith('::debug::'))
    .map((line) => {
      const m = /^::(group|endgroup|warning|error|notice)(?: [^:]*)?::(.*)$/.exec(line)
      if (!m) return line
      const data = m[2].replace(/%0A/g, '\n').replace(/%0D/g, '').replace(/%25/g, '%')
      if (m[1] === 'group') return `▸ ${data}`
      if (m[1] === 'endgroup') return ''
      return `${m[1]}: ${data}`
    })
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}
