// Lets plain Node scripts import these TypeScript helpers: `node --import ./test/servers/node-hooks.mjs script.mjs`,
// then `import { startTestServer } from '../test/servers/testserver.ts'`. Node strips the types itself; this hook
// only maps the NodeNext-style './x.js' specifiers inside .ts files to the './x.ts' files that exist.
import { existsSync } from 'node:fs'
import { registerHooks } from 'node:module'
import { fileURLToPath } from 'node:url'

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier.startsWith('.') && specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
      const typescript = new URL(`${specifier.slice(0, -3)}.ts`, context.parentURL)
      if (existsSync(fileURLToPath(typescript))) return nextResolve(typescript.href, context)
    }
    return nextResolve(specifier, context)
  },
})
