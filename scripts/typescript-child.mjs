// The benchmarks import the TypeScript sources and test servers directly: they re-run themselves in a child Node that
// strips types and resolves `./x.js` imports to `./x.ts` (test/servers/node-hooks.mjs).
import { spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
/** Node 24 from the npm package `node` (a dev dependency): the action's runtime, and one that strips types */
const NODE24 = path.join(ROOT, 'node_modules', '.bin', 'node')

/** Runs `script` again under Node 24 with the TypeScript hook and `mark` set; the exit code becomes this process's. */
export function rerunWithTypeScript({ script, mark }) {
  const child = spawn(
    NODE24,
    [
      '--experimental-transform-types',
      '--disable-warning=ExperimentalWarning',
      '--import',
      pathToFileURL(path.join(ROOT, 'test/servers/node-hooks.mjs')).href,
      script,
      ...process.argv.slice(2),
    ],
    { stdio: 'inherit', env: { ...process.env, [mark]: '1' } },
  )
  child.on('close', (code, signal) => {
    process.exitCode = code ?? (signal ? 1 : 0)
  })
}
