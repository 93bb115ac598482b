// Builds the dashboard (web/) into web/dist with Vite's JS API, only when a source is newer than
// the last build. Parallel callers (test files) take turns through a lock directory, and the
// second one finds the build fresh. Run directly (`node scripts/build-web.mjs`) or import.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

const root = new URL('..', import.meta.url).pathname
const web = join(root, 'web')
const dist = join(web, 'dist')
const stamp = join(dist, '.built')
const lock = join(web, '.build-lock')
// Everything the bundle is made from: the app, and the parts of src/ it may import.
const SOURCES = ['web/src', 'web/public', 'web/index.html', 'src/api', 'src/client', 'src/core']

function newest(path) {
  if (!existsSync(path)) return 0
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  let max = stat.mtimeMs
  for (const e of readdirSync(path, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) max = Math.max(max, statSync(join(e.parentPath, e.name)).mtimeMs)
  }
  return max
}

function isFresh() {
  if (!existsSync(stamp)) return false
  const built = statSync(stamp).mtimeMs
  return SOURCES.every((s) => newest(join(root, s)) <= built)
}

async function takeLock() {
  for (;;) {
    try {
      mkdirSync(lock)
      return
    } catch (err) {
      if (err.code !== 'EEXIST') throw err
      // A lock left by a killed build is stale after two minutes.
      if (Date.now() - statSync(lock).mtimeMs > 120_000)
        rmSync(lock, { recursive: true, force: true })
      await sleep(100)
    }
  }
}

/** Builds web/dist unless it is up to date; returns true when it built. */
export async function buildWeb({ force = false } = {}) {
  if (!force && isFresh()) return false
  await takeLock()
  const previousEnv = process.env.NODE_ENV
  try {
    if (!force && isFresh()) return false
    // Vite and the React plugin pick React's development build when NODE_ENV says so, and a
    // test runner sets NODE_ENV=test: the dashboard is always built for production.
    process.env.NODE_ENV = 'production'
    const [{ build }, { default: react }] = await Promise.all([
      import('vite'),
      import('@vitejs/plugin-react'),
    ])
    await build({
      root: web,
      configFile: false,
      logLevel: 'warn',
      mode: 'production',
      plugins: [react()],
      build: {
        outDir: dist,
        emptyOutDir: true,
        target: 'es2022',
        // Every file stays a file: the CSP allows no data: URLs and no inline code.
        assetsInlineLimit: 0,
        modulePreload: { polyfill: false },
        reportCompressedSize: false,
      },
    })
    writeFileSync(stamp, `${new Date().toISOString()}\n`)
    return true
  } finally {
    if (previousEnv === undefined) delete process.env.NODE_ENV
    else process.env.NODE_ENV = previousEnv
    rmSync(lock, { recursive: true, force: true })
  }
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  await buildWeb({ force: process.argv.includes('--force') })
}
