// Bundles the CLI/server entry into dist/ with esbuild, and the dashboard into web/dist with Vite
// (skipped when up to date). Runs on `npm install` (prepare), before `npm test`, and on
// `npm start` (`--if-missing`: the CLI bundle only when dist/ has none).
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { build } from 'esbuild'
import { buildWeb } from './build-web.mjs'

const root = new URL('..', import.meta.url).pathname

if (!(process.argv.includes('--if-missing') && existsSync(`${root}dist/cli.js`))) {
  const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'))
  const result = await build({
    absWorkingDir: root,
    entryPoints: { cli: 'src/main/cli.ts' },
    outdir: 'dist',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    define: { __TRESOR_VERSION__: JSON.stringify(pkg.version) },
    logLevel: 'warning',
    metafile: true,
  })
  // Which chunk imports what: test/cli checks with it that client verbs never load server code.
  writeFileSync(`${root}dist/meta.json`, JSON.stringify(result.metafile))
}
await buildWeb()
