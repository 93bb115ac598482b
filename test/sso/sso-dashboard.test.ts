// Dashboard single sign-on end to end: Chromium clicks "Sign in with SSO", fills the real
// provider's login and consent pages and lands signed in; roles come from the groups claim; a
// disallowed domain and a forged ID token are refused and audited; a member disabled at the
// provider is cut off at the next refresh; the client secret never shows up anywhere.
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeBrowser, useBrowser } from '../web/helpers/browser.ts'
import { startSsoWorld, type SsoWorld } from './helpers/tresor.ts'

describeBrowser('SSO: dashboard sign-in through a real OIDC provider', () => {
  let w: SsoWorld
  const { openTab } = useBrowser()
  beforeAll(async () => {
    w = await startSsoWorld({ web: true })
    await w.configureSso()
    w.provider.users.set('alice', {
      email: 'alice@example.com',
      name: 'Alice',
      groups: ['tresor-admins'],
    })
    w.provider.users.set('dev', { email: 'Dev@Example.com', groups: ['engineers', 'other'] })
    w.provider.users.set('mallory', { email: 'mallory@evil.test', groups: ['tresor-admins'] })
  }, 120_000)
  afterAll(() => w?.close())

  async function ssoLogin(page: Page, login: string) {
    await page.goto(w.url)
    await page.getByRole('link', { name: 'Sign in with SSO' }).click()
    await page.locator('input[name=login]').fill(login)
    await page.locator('input[name=password]').fill('any-password')
    await page.getByRole('button', { name: 'Sign-in' }).click()
    await page.getByRole('button', { name: 'Continue' }).click()
  }

  const audit = async (action: string) =>
    (await w.call('GET', `/v1/audit?action=${action}`)).body.events as Array<{
      detail: Record<string, unknown>
      outcome: string
    }>

  it('signs in with SSO: lands on the dashboard with the role from the groups claim', async () => {
    const { page, context } = await openTab()
    await ssoLogin(page, 'alice')
    await page.getByRole('button', { name: 'Sign out' }).waitFor()
    expect(new URL(page.url()).pathname).toBe('/')
    expect(await page.locator('.whoami').innerText()).toContain('admin')
    const [cookie] = (await context.cookies()).filter((c) => c.name === 'tresor_session')
    expect([cookie?.httpOnly, cookie?.sameSite, cookie?.path]).toEqual([true, 'Strict', '/'])
    const members = (await w.call('GET', '/v1/members')).body.members as Array<
      Record<string, unknown>
    >
    expect(members.find((m) => m.email === 'alice@example.com')).toMatchObject({
      role: 'admin',
      name: 'Alice',
    })
    const [login] = await audit('auth.sso_login')
    expect(login?.detail).toMatchObject({
      sub: 'alice',
      role: 'admin',
      created: true,
      client: 'browser',
    })
    await page.reload()
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByRole('heading', { name: 'Sign in to Tresor' }).waitFor()
    expect((await w.call('GET', '/v1/whoami', undefined, { cookie: cookie!.value })).status).toBe(
      401,
    )
  })

  it('maps the strongest matching group to the role (engineers → developer)', async () => {
    const { page } = await openTab()
    await ssoLogin(page, 'dev')
    await page.getByRole('button', { name: 'Sign out' }).waitFor()
    const members = (await w.call('GET', '/v1/members')).body.members as Array<
      Record<string, unknown>
    >
    expect(members.find((m) => m.email === 'dev@example.com')).toMatchObject({ role: 'developer' })
  })

  it('refuses a disallowed email domain, creates no member, audits the refusal', async () => {
    const { page, context } = await openTab()
    await ssoLogin(page, 'mallory')
    await page.getByText('Single sign-on refused you').waitFor()
    expect((await context.cookies()).filter((c) => c.name === 'tresor_session')).toEqual([])
    const members = (await w.call('GET', '/v1/members')).body.members as Array<{ email: string }>
    expect(members.map((m) => m.email)).not.toContain('mallory@evil.test')
    const reasons = (await audit('auth.sso_failed')).map((e) => [e.outcome, e.detail.reason])
    expect(reasons).toContainEqual(['denied', 'email domain not allowed'])
  })

  it.each(['signature', 'audience'] as const)(
    'refuses an ID token with a tampered %s (fails closed)',
    async (kind) => {
      const { page, context } = await openTab()
      w.provider.tamper = kind
      try {
        await ssoLogin(page, 'alice')
        await page.getByText('Single sign-on failed').waitFor()
      } finally {
        w.provider.tamper = undefined
      }
      expect((await context.cookies()).filter((c) => c.name === 'tresor_session')).toEqual([])
      const [failed] = await audit('auth.sso_failed')
      expect(failed?.outcome).toBe('denied')
      // The check that caught it, in openid-client's words (signature, or aud claim mismatch).
      expect(String(failed?.detail.reason)).toMatch(/^rejected \(OAUTH_/)
    },
  )

  it('cuts a member off at the next refresh once the provider disables them', async () => {
    const { page, context } = await openTab()
    w.provider.users.set('carol', { email: 'carol@example.com', groups: ['auditors'] })
    await ssoLogin(page, 'carol')
    await page.getByRole('button', { name: 'Sign out' }).waitFor()
    const secret = (await context.cookies()).find((c) => c.name === 'tresor_session')!.value
    w.clock.offsetMs += 5 * 60_000 // past the access lifetime: this request refreshes, and passes
    expect((await w.call('GET', '/v1/whoami', undefined, { cookie: secret })).body.role).toBe(
      'viewer',
    )
    w.provider.users.set('carol', {
      email: 'carol@example.com',
      groups: ['auditors'],
      disabled: true,
    })
    w.clock.offsetMs += 5 * 60_000
    expect((await w.call('GET', '/v1/whoami', undefined, { cookie: secret })).status).toBe(401)
    const ends = (await audit('session.end')).map((e) => String(e.detail.reason))
    expect(ends.some((r) => r.startsWith('idp refresh failed'))).toBe(true)
  })

  it('never returns, logs or audits the client secret (canary)', async () => {
    const cfg = await w.call('GET', '/v1/sso/config')
    expect(cfg.body).toMatchObject({ enabled: true, clientSecretSet: true, clientId: 'tresor' })
    const everything = [
      cfg.text,
      (await w.call('GET', '/v1/audit?limit=1000')).text,
      (await w.call('GET', '/v1/sso')).text,
      ...w.logs,
    ].join('\n')
    expect(everything).not.toContain(w.provider.clientSecret)
  })
})
