// The CLI's server side without the CLI: the device endpoints (RFC 8628 polling semantics,
// unknown, tampered, expired and used device codes, a declined sign-in) and the refresh of a
// CLI session (`POST /v1/session/refresh`: rotation, single use, idle timeout, sign-out), all
// against the real oidc-provider.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { approveDevice, deviceLogin, type DeviceStart } from './helpers/device.ts'
import { startSsoWorld, type SsoWorld } from './helpers/tresor.ts'

let w: SsoWorld
beforeAll(async () => {
  w = await startSsoWorld()
  await w.configureSso()
  w.provider.deviceInterval = 1
  w.provider.users.set('ivy', { email: 'ivy@example.com', groups: ['engineers'] })
  w.provider.users.set('jon', { email: 'jon@example.com', groups: ['auditors'] })
}, 60_000)
afterAll(() => w?.close())

const start = async () =>
  (await w.call('POST', '/v1/sso/device', {}, 'none')).body as unknown as DeviceStart
const poll = (deviceCode: string) => w.call('POST', '/v1/sso/device/token', { deviceCode }, 'none')
const audit = async (action: string) =>
  ((await w.call('GET', `/v1/audit?action=${action}`)).body.events as Array<{
    detail: Record<string, unknown>
    outcome: string
  }>) ?? []

describe('device authorization endpoints', () => {
  it('starts at the provider: user code, its verification URLs, the expiry and the interval', async () => {
    const s = await start()
    expect(s.userCode).toMatch(/^[A-Z]{4}-[A-Z]{4}$/)
    expect(s.verificationUri).toBe(`${w.provider.issuer}/device`)
    expect(s.verificationUriComplete).toBe(`${w.provider.issuer}/device?user_code=${s.userCode}`)
    expect([s.expiresIn, s.interval]).toEqual([300, 1])
    // The handle is Tresor's, MAC'd: the provider's client secret is nowhere in it.
    expect(Buffer.from(s.deviceCode.split('.')[0] ?? '', 'base64url').toString()).not.toContain(
      w.provider.clientSecret,
    )
  })

  it('answers pending until approved; polling sooner than the interval is slow_down, +5 s each time (RFC 8628 §3.5)', async () => {
    const s = await start()
    expect((await poll(s.deviceCode)).body).toEqual({ status: 'pending', interval: 1 })
    expect((await poll(s.deviceCode)).body).toEqual({ status: 'slow_down', interval: 6 })
    await new Promise((r) => setTimeout(r, 1_100)) // the old interval is not enough any more
    expect((await poll(s.deviceCode)).body).toEqual({ status: 'slow_down', interval: 11 })
  })

  it('refuses a device code it did not issue or one tampered with (400, deviceCode named)', async () => {
    const s = await start()
    const [body, tag] = s.deviceCode.split('.') as [string, string]
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>
    const forged = Buffer.from(JSON.stringify({ ...claims, e: Date.now() + 9e9 })).toString(
      'base64url',
    )
    for (const code of ['garbage', `${forged}.${tag}`, `${body}.${tag.slice(1)}A`]) {
      const res = await poll(code)
      expect(res.status).toBe(400)
      expect(res.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        errors: [{ field: 'deviceCode', message: 'unknown: start again with POST /v1/sso/device' }],
      })
    }
  })

  it('answers 410 for an expired device code, without asking the provider, and audits it', async () => {
    const s = await start()
    w.clock.offsetMs += (s.expiresIn + 1) * 1000
    try {
      const res = await poll(s.deviceCode)
      expect(res.status).toBe(410)
      expect(res.body).toMatchObject({ code: 'GONE' })
      expect(String(res.body.detail)).toContain('tresor login --sso')
    } finally {
      w.clock.offsetMs -= (s.expiresIn + 1) * 1000
    }
    const [failed] = await audit('auth.sso_failed')
    expect(failed?.detail).toMatchObject({ reason: 'device code expired', client: 'cli' })
  })

  it('completes once: the same device code polled again is 410', async () => {
    const { start: s, page, res } = await deviceLogin(w.call, 'ivy')
    expect(page).toContain('Sign-in Success')
    expect(res.status).toBe(200)
    expect(res.body.status).toBe('complete')
    expect(String(res.body.session)).toMatch(/^tresor_ses_[A-Za-z0-9_-]{43}$/)
    expect(String(res.body.refresh)).toMatch(/^tresor_rfs_[A-Za-z0-9_-]{43}$/)
    await new Promise((r) => setTimeout(r, 1_100))
    const again = await poll(s.deviceCode)
    expect([again.status, again.body.code]).toEqual([410, 'GONE'])
  })

  it('a sign-in declined at the provider is 403 and opens nothing', async () => {
    const s = await start()
    const page = await approveDevice(s.verificationUriComplete ?? '', 'ivy', { decline: true })
    expect(page).toContain('The Sign-in request was interrupted')
    await new Promise((r) => setTimeout(r, 1_100))
    const res = await poll(s.deviceCode)
    expect([res.status, res.body.code]).toEqual([403, 'FORBIDDEN'])
    expect(res.text).not.toContain('tresor_ses_')
  })
})

describe('POST /v1/session/refresh', () => {
  async function cliSession(login = 'jon') {
    const { res } = await deviceLogin(w.call, login)
    return res.body as {
      session: string
      refresh: string
      accessExpiresAt: string
      expiresAt: string
    }
  }

  it('rotates both secrets: the old bearer and the old refresh secret stop working', async () => {
    const first = await cliSession()
    expect((await w.call('GET', '/v1/whoami', undefined, first.session)).body.role).toBe('viewer')
    const res = await w.call('POST', '/v1/session/refresh', { refresh: first.refresh }, 'none')
    expect(res.status).toBe(200)
    const next = res.body as typeof first
    expect(next.session).not.toBe(first.session)
    expect(next.refresh).not.toBe(first.refresh)
    expect(next.expiresAt).toBe(first.expiresAt)
    expect((await w.call('GET', '/v1/whoami', undefined, next.session)).status).toBe(200)
    expect((await w.call('GET', '/v1/whoami', undefined, first.session)).status).toBe(401)
    const replay = await w.call('POST', '/v1/session/refresh', { refresh: first.refresh }, 'none')
    expect([replay.status, replay.body.code]).toEqual([401, 'UNAUTHENTICATED'])
  })

  it('gives a new bearer once the old one is past its 15-minute access lifetime', async () => {
    const s = await cliSession()
    w.clock.offsetMs += 16 * 60_000
    expect((await w.call('GET', '/v1/whoami', undefined, s.session)).status).toBe(401)
    const res = await w.call('POST', '/v1/session/refresh', { refresh: s.refresh }, 'none')
    expect(res.status).toBe(200)
    const next = res.body as typeof s
    expect(Date.parse(next.accessExpiresAt) - Date.now() - w.clock.offsetMs).toBeGreaterThan(
      14 * 60_000,
    )
    expect((await w.call('GET', '/v1/whoami', undefined, next.session)).status).toBe(200)
  })

  it('refuses after sign-out, after the idle timeout, and for garbage (401, one message)', async () => {
    const out = await cliSession()
    expect((await w.call('DELETE', '/v1/session', undefined, out.session)).status).toBe(204)
    const idle = await cliSession()
    w.clock.offsetMs += 31 * 60_000
    const results = [
      await w.call('POST', '/v1/session/refresh', { refresh: out.refresh }, 'none'),
      await w.call('POST', '/v1/session/refresh', { refresh: idle.refresh }, 'none'),
      await w.call('POST', '/v1/session/refresh', { refresh: 'tresor_rfs_nope' }, 'none'),
    ]
    expect(results.map((r) => [r.status, r.body.detail])).toEqual(
      results.map(() => [401, 'the session is over: run tresor login --sso']),
    )
    const reasons = (await audit('session.end')).map((e) => e.detail.reason)
    expect(reasons).toEqual(expect.arrayContaining(['sign-out', 'idle']))
  })
})
