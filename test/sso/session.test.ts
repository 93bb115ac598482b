// Browser sessions without a browser: token sign-in (break-glass), the cookie's exact bytes,
// CSRF on cookie writes, idle and absolute expiry on a moved clock, sign-out, revoked tokens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashSessionSecret } from '../../src/services/sessions/secrets.ts'
import { startSsoWorld, type SsoWorld } from './helpers/tresor.ts'

let w: SsoWorld
beforeAll(async () => {
  w = await startSsoWorld()
})
afterAll(() => w?.close())

async function signIn(token = w.ownerToken) {
  const res = await w.call('POST', '/v1/session', { token }, 'none')
  const setCookie = res.headers.get('set-cookie') ?? ''
  const secret = /^tresor_session=([^;]+);/.exec(setCookie)?.[1] ?? ''
  return { res, setCookie, secret, csrf: String(res.body.csrfToken) }
}

async function audit(action: string) {
  const res = await w.call('GET', `/v1/audit?action=${action}`)
  return res.body.events as Array<{ detail: Record<string, unknown>; outcome: string }>
}

describe('token sign-in (break-glass)', () => {
  it('sets exactly `tresor_session=<secret>; Path=/; HttpOnly; SameSite=Strict` and audits it as break-glass', async () => {
    const { res, setCookie, secret, csrf } = await signIn()
    expect(res.status).toBe(201)
    expect(secret).toMatch(/^tresor_ses_[A-Za-z0-9_-]{43}$/)
    expect(setCookie).toBe(`tresor_session=${secret}; Path=/; HttpOnly; SameSite=Strict`)
    expect(csrf).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(res.text).not.toContain(w.ownerToken)
    const [event] = await audit('auth.token_sign_in')
    expect(event?.detail).toMatchObject({ breakGlass: true, role: 'owner', client: 'browser' })
  })

  it('keeps only an HMAC of the session secret at rest', async () => {
    const { secret } = await signIn()
    const pepperless = await w.store.sessions.getBySecretHash(Buffer.from(secret))
    expect(pepperless).toBeUndefined()
    const { res } = await signIn()
    const id = (res.body.session as { id: string }).id
    const row = await w.store.sessions.get((await w.store.workspaces.list())[0]!.id, id)
    expect(row?.secretHash.length).toBe(32)
    expect(row?.secretHash.toString('latin1')).not.toContain('tresor_ses_')
    expect(hashSessionSecret(Buffer.alloc(32, 1), secret).equals(row!.secretHash)).toBe(false)
  })

  it('refuses an unknown token (401) and a service token (403), opening nothing', async () => {
    expect((await signIn('tresor_pat_nope_000000000000000000000000000000')).res.status).toBe(401)
    const svc = await w.call('POST', '/v1/tokens', { name: 'ci', scopes: ['read'], kind: 'svc' })
    expect(svc.status).toBe(201)
    expect(String(svc.body.token)).toMatch(/^tresor_svc_/)
    const r = await signIn(String(svc.body.token))
    expect(r.res.status).toBe(403)
    expect(r.setCookie).toBe('')
  })
})

describe('CSRF on cookie-authenticated writes', () => {
  it('reads need no CSRF token; a write without it or with a wrong one is 403 and changes nothing', async () => {
    const { secret, csrf } = await signIn()
    const who = await w.call('GET', '/v1/whoami', undefined, { cookie: secret })
    expect(who.status).toBe(200)
    expect(who.body.role).toBe('owner')
    const missing = await w.call('POST', '/v1/projects', { slug: 'csrf-a' }, { cookie: secret })
    expect(missing.status).toBe(403)
    expect(missing.body.code).toBe('FORBIDDEN')
    const wrong = await w.call(
      'POST',
      '/v1/projects',
      { slug: 'csrf-a' },
      { cookie: secret, csrf: csrf.slice(0, -1) + (csrf.endsWith('A') ? 'B' : 'A') },
    )
    expect(wrong.status).toBe(403)
    expect((await w.call('GET', '/v1/projects/csrf-a')).status).toBe(404)
    const ok = await w.call('POST', '/v1/projects', { slug: 'csrf-a' }, { cookie: secret, csrf })
    expect(ok.status).toBe(201)
  })

  it('GET /v1/session hands the CSRF token to the cookie holder only', async () => {
    const { secret, csrf } = await signIn()
    const viaCookie = await w.call('GET', '/v1/session', undefined, { cookie: secret })
    expect(viaCookie.body.csrfToken).toBe(csrf)
    expect((await w.call('GET', '/v1/session')).status).toBe(404)
  })
})

describe('session end', () => {
  it('sign-out ends the session server-side and clears the cookie byte for byte', async () => {
    const { secret, csrf } = await signIn()
    const out = await w.call('DELETE', '/v1/session', undefined, { cookie: secret, csrf })
    expect(out.status).toBe(204)
    expect(out.headers.get('set-cookie')).toBe(
      'tresor_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict',
    )
    expect((await w.call('GET', '/v1/whoami', undefined, { cookie: secret })).status).toBe(401)
  })

  it('ends when its token is revoked', async () => {
    const created = await w.call('POST', '/v1/tokens', { name: 'laptop', scopes: ['read'] })
    const { secret } = await signIn(String(created.body.token))
    expect((await w.call('GET', '/v1/whoami', undefined, { cookie: secret })).body.scopes).toEqual([
      'read',
    ])
    await w.call('DELETE', `/v1/tokens/${String(created.body.id)}`)
    expect((await w.call('GET', '/v1/whoami', undefined, { cookie: secret })).status).toBe(401)
  })

  it('expires after the idle timeout and after the absolute lifetime (settings, moved clock)', async () => {
    const set = await w.call('PATCH', '/v1/settings/sessions', {
      sessionLifetime: '1h',
      idleTimeout: '20m',
    })
    expect(set.body).toEqual({ sessionLifetimeSeconds: 3600, idleTimeoutSeconds: 1200 })
    const idle = await signIn()
    w.clock.offsetMs += 21 * 60_000
    expect((await w.call('GET', '/v1/whoami', undefined, { cookie: idle.secret })).status).toBe(401)
    const busy = await signIn()
    for (let i = 0; i < 3; i++) {
      w.clock.offsetMs += 15 * 60_000
      expect((await w.call('GET', '/v1/whoami', undefined, { cookie: busy.secret })).status).toBe(
        200,
      )
    }
    w.clock.offsetMs += 16 * 60_000 // 61 minutes after sign-in, never idle
    expect((await w.call('GET', '/v1/whoami', undefined, { cookie: busy.secret })).status).toBe(401)
    const reasons = (await audit('session.end')).map((e) => e.detail.reason)
    expect(reasons).toEqual(expect.arrayContaining(['idle', 'expired']))
    expect((await w.call('PATCH', '/v1/settings/sessions', { idleTimeout: '5s' })).status).toBe(400)
  })

  it('an open event stream does not keep a session from its idle timeout, and ends with it', async () => {
    const set = await w.call('PATCH', '/v1/settings/sessions', {
      sessionLifetime: '12h',
      idleTimeout: '20m',
    })
    expect(set.status).toBe(200)
    expect((await w.call('POST', '/v1/projects', { slug: 'idle-stream' })).status).toBe(201)
    const { secret } = await signIn()
    const stream = await fetch(`${w.url}/v1/events`, {
      headers: { cookie: `tresor_session=${secret}` },
    })
    expect(stream.status).toBe(200)
    const reader = stream.body!.getReader()
    let text = ''
    let ended = false
    void (async () => {
      for (;;) {
        const chunk = await reader.read().catch(() => undefined)
        if (chunk === undefined || chunk.done) return void (ended = true)
        text += new TextDecoder().decode(chunk.value as Uint8Array)
      }
    })()
    const change = async (key: string) => {
      // Past the stream's recheck interval (1 s of real time), then a write it hears of.
      await new Promise((r) => setTimeout(r, 1100))
      const url = '/v1/projects/idle-stream/environments/staging/vars'
      expect((await w.call('PUT', url, { key, value: 'v', kind: 'config' })).status).toBe(200)
    }
    const until = async (check: () => boolean) => {
      for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 10))
      expect(check()).toBe(true)
    }
    w.clock.offsetMs += 15 * 60_000
    await change('FIRST')
    await until(() => text.includes('FIRST'))
    // 25 minutes after sign-in, with no request but the stream's own rechecks: idle.
    w.clock.offsetMs += 10 * 60_000
    await change('SECOND')
    await until(() => ended)
    expect(text).not.toContain('SECOND')
    expect((await w.call('GET', '/v1/whoami', undefined, { cookie: secret })).status).toBe(401)
    expect((await audit('session.end')).map((e) => e.detail.reason)).toContain('idle')
  })
})
