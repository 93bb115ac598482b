import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, extname, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { TresorApp } from '../build-server.ts'

/**
 * The dashboard's policy: its own scripts and styles only (no inline script, no eval), API calls
 * to this origin only, never framed. A revealed secret sits in this page's DOM, so nothing
 * third-party may ever run beside it.
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
}
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.txt'])

interface Asset {
  body: Buffer
  gzip: Buffer | undefined
  type: string
  cache: string
}

// Vite names files under assets/ by their content hash: a changed file gets a new name, so the
// old one may be cached for ever. index.html names the current ones and must never be cached.
function cacheOf(path: string): string {
  if (path === '/index.html') return 'no-store'
  return path.startsWith('/assets/')
    ? 'public, max-age=31536000, immutable'
    : 'public, max-age=3600'
}

/** Reads every file of the built dashboard once, at start; requests never touch the disk. */
function loadAssets(dir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>()
  if (!existsSync(join(dir, 'index.html'))) return assets
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const ext = extname(entry.name)
    if (!entry.isFile() || TYPES[ext] === undefined) continue
    const file = join(entry.parentPath, entry.name)
    const path = `/${relative(dir, file).split(sep).join('/')}`
    const body = readFileSync(file)
    const gzip = COMPRESSIBLE.has(ext) && body.length > 1024 ? gzipSync(body) : undefined
    assets.set(path, { body, gzip, type: TYPES[ext], cache: cacheOf(path) })
  }
  return assets
}

/** The package root: the nearest folder above this module holding package.json (src/ or dist/). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir)
  return dir
}

const NOT_BUILT = Buffer.from(
  '<!doctype html><meta charset="utf-8"><title>Tresor</title>' +
    '<p>The dashboard is not built. Run <code>npm run build</code> and restart the server.</p>\n',
)

function send(request: FastifyRequest, reply: FastifyReply, asset: Asset) {
  const gzip = asset.gzip !== undefined && /\bgzip\b/.test(request.headers['accept-encoding'] ?? '')
  reply
    .header('content-type', asset.type)
    .header('cache-control', asset.cache)
    .header('content-security-policy', DASHBOARD_CSP)
    .header('x-frame-options', 'DENY')
    .header('cross-origin-opener-policy', 'same-origin')
    .header('cross-origin-resource-policy', 'same-origin')
  if (asset.gzip !== undefined) reply.header('vary', 'accept-encoding')
  if (gzip) reply.header('content-encoding', 'gzip')
  return reply.send(gzip ? asset.gzip : asset.body)
}

// Paths the dashboard never answers with its page: the API, and files (a missing hashed asset
// must be a 404, not an HTML page the browser would try to run as a script).
const NOT_A_PAGE = /^\/(v1|assets)(\/|$)|\.[A-Za-z0-9]+$/

export interface DashboardOptions {
  /** The built dashboard (Vite's output); defaults to `web/dist` of this package. */
  dir?: string
}

/**
 * Serves the built dashboard at `/`: its files with their content types, `index.html` for any
 * other page path (client-side routes), a strict Content-Security-Policy on every answer.
 */
export function dashboardRoutes(options: DashboardOptions = {}) {
  const assets = loadAssets(options.dir ?? join(packageRoot(), 'web', 'dist'))
  const index = assets.get('/index.html') ?? {
    body: NOT_BUILT,
    gzip: undefined,
    type: TYPES['.html'] ?? 'text/html',
    cache: 'no-store',
  }
  return (app: TresorApp) => {
    const config = { public: true }
    const schema = { hide: true }
    app.get('/', { config, schema }, (request, reply) => send(request, reply, index))
    app.get('/*', { config, schema }, (request, reply) => {
      // Built file names are plain ASCII, so the raw path is looked up as it came.
      const path = request.url.split('?')[0] ?? '/'
      const asset = assets.get(path)
      if (asset !== undefined) return send(request, reply, asset)
      if (NOT_A_PAGE.test(path)) return reply.callNotFound()
      return send(request, reply, index)
    })
  }
}
