// Bundles the CLI/server entry into dist/ with esbuild, and the dashboard into web/dist with Vite
// (skipped when up to date). Runs on `npm install` (prepare), before `npm test`, and on
// `npm start` (`--if-missing`: the CLI bundle only when dist/ has none).
import { spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { build } from 'esbuild'
import { buildWeb } from './build-web.mjs'

const root = new URL('..', import.meta.url).pathname

if (!(process.argv.includes('--if-missing') && existsSync(`${root}dist/cli-client.js`))) {
  const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'))
  const define = { __TRESOR_VERSION__: JSON.stringify(pkg.version) }
  // Every verb, split into chunks loaded lazily: what `server`, `mcp` and `keys:rotate-root` run.
  const result = await build({
    absWorkingDir: root,
    entryPoints: { cli: 'src/main/cli.ts', 'scan-worker': 'src/cli/commands/scan-worker.ts' },
    outdir: 'dist',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    define,
    logLevel: 'warning',
    metafile: true,
  })
  // Which chunk imports what: test/cli checks with it that client verbs never load server code.
  writeFileSync(`${root}dist/meta.json`, JSON.stringify(result.metafile))
  removeStaleChunks(result.metafile)
  await buildClient(define)
}
await buildWeb()

/**
 * Deletes the chunks (and their source maps) of earlier builds: each build names its chunks by
 * content hash, so without this dist/ grows by a set of files per change.
 */
function removeStaleChunks(metafile) {
  const fresh = new Set(Object.keys(metafile.outputs).map((out) => out.replace(/^dist\//, '')))
  for (const name of readdirSync(`${root}dist`)) {
    if (!/\.js(\.map)?$/.test(name) || name.startsWith('cli-client.js')) continue
    if (!fresh.has(name)) rmSync(`${root}dist/${name}`, { force: true })
  }
}

/**
 * The client verbs as one plain script, `(function (exports, require, module, __filename,
 * __dirname) {…})`, that bin/tresor.js compiles with vm.Script and the V8 code cache written
 * next to it. A CommonJS start skips Node's ESM loader, and the cache skips parsing and compiling
 * the bundle: together about a third of what a client verb added to Node's own start-up
 * (bench/run.bench.ts). The server-side verbs stay in the ESM chunks above.
 */
async function buildClient(define) {
  const file = `${root}dist/cli-client.js`
  const cache = `${file}.cache`
  // First, so that a failed build never leaves a cache beside a bundle it was not made from.
  rmSync(cache, { force: true })
  // The cache names the bundle it belongs to: bin/tresor.js uses it only for that one.
  const id = randomUUID()
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['src/main/client-cli.ts'],
    outfile: file,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    minify: true,
    sourcemap: 'linked',
    // The scan verb's worker thread is dist/scan-worker.js, found beside this file.
    define: { ...define, 'import.meta.url': '__tresorBundleUrl' },
    // Strict mode, as the ES modules it is made of: a directive counts only in first place.
    banner: {
      js: `/*${id}*/(function (exports, require, module, __filename, __dirname) {"use strict";var __tresorBundleUrl=require("node:url").pathToFileURL(__filename).href;`,
    },
    footer: { js: '})' },
    logLevel: 'warning',
    metafile: true,
  })
  writeFileSync(`${root}dist/meta-client.json`, JSON.stringify(result.metafile))
  // The cache is made by a separate Node process that runs a few verbs first, so that it holds
  // the functions they compile too. Without NODE_OPTIONS: V8 refuses a cache made under other
  // flags (then the CLI still works, only compiles the bundle itself).
  const env = { ...process.env }
  delete env.NODE_OPTIONS
  const made = spawnSync(process.execPath, [`${root}scripts/cli-code-cache.mjs`, file], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  })
  if (made.status !== 0)
    console.warn(`warning: no code cache for dist/cli-client.js\n${made.stderr}`)
}
