#!/usr/bin/env node
// Probe benchmark: five GOPROXY entries on loopback, one of which accepts the request and never answers. Compares
// probeChain (every request at once, each bounded by the timeout) with the same requests one after another, and
// prints both wall times side by side with their ratio.
//
//   npm run bench:probe [-- --timeout 2000 --runs 3 --delay 150 --hanging 1]
//
// --delay is how long each healthy proxy takes to answer; 150 ms is a plausible first answer (TLS included) from a
// proxy across the internet. The parallel wall time is one timeout whatever the delay; one after another it is the
// timeout plus every healthy proxy's delay.
//
// The TypeScript sources are imported directly: this script re-runs itself under Node's TypeScript support
// (--experimental-transform-types) with the hook that maps './x.js' specifiers to './x.ts'.

import { performance } from 'node:perf_hooks'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { rerunWithTypeScript } from './typescript-child.mjs'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const SELF = fileURLToPath(import.meta.url)
const MARK = 'GOPROXY_GUARD_BENCH_PROBE_CHILD'

function parseArgs(argv) {
  const options = { timeout: 2000, runs: 3, delay: 150, hanging: 1 }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--timeout') options.timeout = Number(argv[++i])
    else if (arg === '--runs') options.runs = Number(argv[++i])
    else if (arg === '--delay') options.delay = Number(argv[++i])
    else if (arg === '--hanging') options.hanging = Number(argv[++i])
    else throw new Error(`unknown argument ${arg}`)
  }
  for (const [name, value] of Object.entries(options)) {
    if (!(value >= 0) || (name !== 'delay' && !(value > 0))) throw new Error(`--${name} takes a positive number`)
  }
  if (!Number.isInteger(options.hanging) || options.hanging > 5) throw new Error('--hanging takes 1 to 5')
  return options
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

async function bench(options) {
  const { probeChain } = await import(pathToFileURL(path.join(ROOT, 'src/probe/chain.ts')).href)
  const { createHttpProbe } = await import(pathToFileURL(path.join(ROOT, 'src/probe/http-probe.ts')).href)
  const { joinUrl, moduleRequestPath } = await import(pathToFileURL(path.join(ROOT, 'src/probe/module-path.ts')).href)
  const { startFaultServer } = await import(pathToFileURL(path.join(ROOT, 'test/helpers/fault-servers.ts')).href)

  // Hanging proxies take the middle slots first (index 2, then 1, 3, 0, 4).
  const hangingSlots = [2, 1, 3, 0, 4].slice(0, options.hanging)
  const servers = await Promise.all(
    [0, 1, 2, 3, 4].map((i) =>
      startFaultServer(hangingSlots.includes(i) ? { behavior: 'hang' } : { behavior: 'slow', delayMs: options.delay }),
    ),
  )
  try {
    // `|` everywhere: Go would walk past every error, so every entry matters to the verdict.
    const goproxy = servers.map((s, i) => ({
      kind: 'url',
      url: s.url,
      ...(i < servers.length - 1 ? { separator: '|' } : {}),
    }))
    const module = { path: 'example.com/greet' }
    const env = {}
    const off = { value: 'off', off: true, name: '', verifierKey: '' }
    const http = createHttpProbe({ caCertificates: [], env })
    const input = {
      goproxy,
      gosumdb: off,
      credentials: [],
      publicModule: module.path,
      timeoutMs: options.timeout,
      env,
      http,
    }

    const parallel = []
    const sequential = []
    for (let run = 0; run < options.runs; run++) {
      let started = performance.now()
      const report = await probeChain(input)
      parallel.push(performance.now() - started)
      const stages = report.entries.map((e) => e.publicModule?.stage)
      if (stages.filter((s) => s === 'timeout').length !== options.hanging)
        throw new Error(`unexpected probe result: ${stages.join(', ')}`)

      started = performance.now()
      for (const entry of goproxy) {
        await http({ url: joinUrl(entry.url, moduleRequestPath(module)), credentials: [], timeoutMs: options.timeout })
      }
      sequential.push(performance.now() - started)
    }

    const p = median(parallel)
    const s = median(sequential)
    const row = (label, value) => `${label.padEnd(24)}${value}`
    console.log(
      `probe benchmark: 5 proxies on loopback, ${options.hanging} never answer${options.hanging === 1 ? 's' : ''}; timeout ${options.timeout} ms, healthy answer after ${options.delay} ms, median of ${options.runs} runs`,
    )
    console.log('')
    console.log(row('', 'parallel (probeChain)'.padEnd(26) + 'one after another'))
    console.log(row('wall time', `${p.toFixed(0)} ms`.padEnd(26) + `${s.toFixed(0)} ms`))
    console.log(
      row(
        'runs',
        parallel
          .map((v) => v.toFixed(0))
          .join(' / ')
          .padEnd(26) + sequential.map((v) => v.toFixed(0)).join(' / '),
      ),
    )
    console.log(
      row('in timeouts', `${(p / options.timeout).toFixed(2)}`.padEnd(26) + `${(s / options.timeout).toFixed(2)}`),
    )
    console.log('')
    console.log(`ratio (one after another / parallel): ${(s / p).toFixed(2)}x`)
  } finally {
    await Promise.all(servers.map((s) => s.close()))
  }
}

if (process.env[MARK] === '1') {
  await bench(parseArgs(process.argv.slice(2)))
} else {
  parseArgs(process.argv.slice(2))
  rerunWithTypeScript({ script: SELF, mark: MARK })
}
