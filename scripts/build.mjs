// Bundles the CLI/server entry into dist/ with esbuild. Runs on `npm install` (prepare),
// before `npm test`, and on `npm start` when dist/ is missing.
import { existsSync, readFileSync } from 'node:fs'
import { build } from 'esbuild'

const root = new URL('..', import.meta.url).pathname
if (process.argv.includes('--if-missing') && existsSync(`${root}dist/cli.js`)) process.exit(0)

const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'))
await build({
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
})
