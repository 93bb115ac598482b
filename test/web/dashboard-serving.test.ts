// How the server hands out the dashboard: content types, caching, SPA fallback, 404s that stay
// 404s, gzip, and the Content-Security-Policy; then that the real build fits that policy.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildWeb } from '../../scripts/build-web.mjs'
import { buildServer, type TresorApp } from '../../src/http/build-server.ts'
import { DASHBOARD_CSP, dashboardRoutes } from '../../src/http/routes/dashboard.ts'

const INDEX =
  '<!doctype html><title>t</title><script type="module" src="/assets/app-3f9a.js"></script>'
const SCRIPT = `console.log(${JSON.stringify('x'.repeat(4000))})\n`

function serve(dir: string): TresorApp {
  return buildServer({
    version: '0.0.0-test',
    log: { level: 'silent' },
    auth: { authenticate: () => Promise.resolve(undefined) },
    bodyLimit: 1024,
    routes: [dashboardRoutes({ dir })],
  })
}

describe('serving the built dashboard', () => {
  let dir: string
  let app: TresorApp
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tresor-dist-'))
    mkdirSync(join(dir, 'assets'))
    writeFileSync(join(dir, 'index.html'), INDEX)
    writeFileSync(join(dir, 'assets', 'app-3f9a.js'), SCRIPT)
    writeFileSync(join(dir, 'assets', 'app-77c1.css'), 'body{margin:0}')
    writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>')
    app = serve(dir)
    await app.ready()
  })
  afterAll(async () => {
    await app.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it.each(['/', '/index.html', '/projects/shop/envs/staging', '/tokens', '/audit?action=x'])(
    'answers %s with index.html, never cached, under the strict policy',
    async (url) => {
      const res = await app.inject({ method: 'GET', url })
      expect(res.statusCode).toBe(200)
      expect(res.body).toBe(INDEX)
      expect(res.headers).toMatchObject({
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': DASHBOARD_CSP,
        'x-frame-options': 'DENY',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      })
    },
  )

  it('serves hashed assets with their type, cached for ever', async () => {
    const js = await app.inject({ method: 'GET', url: '/assets/app-3f9a.js' })
    expect([js.statusCode, js.body]).toEqual([200, SCRIPT])
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    const css = await app.inject({ method: 'GET', url: '/assets/app-77c1.css' })
    expect([css.headers['content-type'], css.body]).toEqual([
      'text/css; charset=utf-8',
      'body{margin:0}',
    ])
    const icon = await app.inject({ method: 'GET', url: '/favicon.svg' })
    expect([icon.headers['content-type'], icon.headers['cache-control']]).toEqual([
      'image/svg+xml',
      'public, max-age=3600',
    ])
  })

  it('gzips text files for clients that accept it', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/assets/app-3f9a.js',
      headers: { 'accept-encoding': 'br, gzip' },
    })
    expect(res.headers['content-encoding']).toBe('gzip')
    expect(res.headers.vary).toBe('accept-encoding')
    expect(gunzipSync(res.rawPayload).toString()).toBe(SCRIPT)
    expect(res.rawPayload.length).toBeLessThan(SCRIPT.length / 10)
  })

  it.each(['/assets/app-0000.js', '/robots.txt', '/v1/nothing-here', '/v1'])(
    'keeps %s a 404 problem, not the page',
    async (url) => {
      const res = await app.inject({ method: 'GET', url })
      expect(res.statusCode).toBe(404)
      expect(res.headers['content-type']).toContain('application/problem+json')
      expect(res.json()).toMatchObject({ status: 404, code: 'NOT_FOUND' })
    },
  )

  it('answers HEAD like GET without a body, and other methods with 404', async () => {
    const head = await app.inject({ method: 'HEAD', url: '/projects/x' })
    expect([head.statusCode, head.body, head.headers['cache-control']]).toEqual([
      200,
      '',
      'no-store',
    ])
    const post = await app.inject({ method: 'POST', url: '/' })
    expect(post.statusCode).toBe(404)
  })

  it('says how to build when there is no build', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'tresor-nodist-'))
    const bare = serve(empty)
    const res = await bare.inject({ method: 'GET', url: '/projects/x' })
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('npm run build')
    expect(res.headers['content-security-policy']).toBe(DASHBOARD_CSP)
    await bare.close()
    rmSync(empty, { recursive: true, force: true })
  })

  it('has a policy with no inline code, no eval, no framing, no third party', () => {
    const directives: Record<string, string> = {}
    for (const d of DASHBOARD_CSP.split('; ')) directives[d.split(' ')[0] ?? ''] = d
    expect(directives['default-src']).toBe("default-src 'self'")
    expect(directives['script-src']).toBe("script-src 'self'")
    expect(directives['frame-ancestors']).toBe("frame-ancestors 'none'")
    expect(DASHBOARD_CSP).not.toMatch(/unsafe|data:|https?:|\*/)
  })
})

describe('the real build', () => {
  const dist = new URL('../../web/dist/', import.meta.url).pathname
  beforeAll(async () => {
    await buildWeb()
  }, 120_000)

  it('loads only its own files: no inline script, style or handler the policy would block', () => {
    const html = readFileSync(join(dist, 'index.html'), 'utf8')
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)]
    expect(scripts.length).toBeGreaterThan(0)
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/src="\/assets\/[\w-]+\.js"/)
      expect(body).toBe('')
    }
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=|data:/i)
    for (const [, ref] of html.matchAll(/(?:src|href)="(\/[^"]+)"/g)) {
      expect(existsSync(join(dist, ref ?? ''))).toBe(true)
    }
  })

  it('bundles no eval and none of the server: zod and node built-ins stay out', () => {
    const assets = readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.js'))
    const code = assets.map((f) => readFileSync(join(dist, 'assets', f), 'utf8')).join('\n')
    expect(code).not.toMatch(/\beval\(|new Function\(/)
    expect(code).not.toMatch(/ZodError|node:crypto|node:http|better-sqlite3/)
  })
})
