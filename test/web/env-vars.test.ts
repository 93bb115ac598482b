// The seed's dashboard flow in a real browser against the real server: Repos → repo →
// environment → Env Vars → Add Variable → Save → "Redeploy required" → Deploy.
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeBrowser, signIn, useBrowser } from './helpers/browser.ts'
import { startTestServer, type TestServer } from './helpers/server.ts'

const CANARY = 'canary_secret_7f3a9c2e51d84b06'
const CANARY_PREVIEW = 'canar***4b06'

describeBrowser('dashboard: env vars, redeploy banner, deploy, reveal', () => {
  let s: TestServer
  const { openTab } = useBrowser()
  let page: Page

  beforeAll(async () => {
    s = await startTestServer()
    await s.api('POST', '/v1/projects', { slug: 'shop' })
    page = (await openTab()).page
  })
  afterAll(() => s?.close())

  const row = (key: string) =>
    page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: key, exact: true }) })

  it('refuses an unknown token with the reason, then signs in with an HttpOnly session cookie and keeps no token in the page', async () => {
    await page.goto(`${s.url}/projects/shop`)
    // The page renders after its first request: wait for the heading, then check it is shown.
    const firstTime = page.getByRole('heading', { name: 'First time here?' })
    await firstTime.waitFor()
    expect(await firstTime.isVisible()).toBe(true)
    expect(await page.getByText('<data dir>/owner-token').count()).toBe(1)
    await page.getByLabel('Token').fill('tresor_pat_not_a_real_token_000000000000')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect(page.getByRole('alert').textContent()).resolves.toContain('not accepted')
    await signIn(page, s.url, s.ownerToken, '/projects/shop')
    // A project's address opens its first environment's Env Vars tab.
    await page.getByRole('heading', { name: 'Env Vars' }).waitFor()
    expect(new URL(page.url()).pathname).toBe('/projects/shop/envs/development')
    const storage = await page.evaluate(() => ({
      session: Object.keys(sessionStorage).length,
      local: Object.keys(localStorage).length,
      script: document.cookie,
    }))
    expect(storage).toEqual({ session: 0, local: 0, script: '' })
    const cookies = await page.context().cookies()
    expect(cookies.map((c) => [c.name, c.httpOnly, c.sameSite, c.path])).toEqual([
      ['tresor_session', true, 'Strict', '/'],
    ])
    expect(cookies[0]?.value).toMatch(/^tresor_ses_[A-Za-z0-9_-]{43}$/)
    // A reload keeps the session: the cookie, not the page, holds it.
    await page.reload()
    await page.getByRole('button', { name: 'Sign out' }).waitFor()
    expect(page.url()).not.toContain(s.ownerToken)
  })

  it('adds a secret: key checked as typed, value masked, listed as a preview, never in the HTML', async () => {
    await page.getByRole('link', { name: 'staging' }).click()
    await page.getByRole('button', { name: 'Add Variable' }).click()
    const key = page.getByLabel('Key', { exact: true })
    await key.fill('STRIPE SECRET')
    await expect(
      page.getByText('The key contains whitespace at position 7').isVisible(),
    ).resolves.toBe(true)
    expect(await key.getAttribute('aria-invalid')).toBe('true')
    expect(await page.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true)
    await key.fill('PORT')
    await page.getByText('PORT is a system variable').waitFor()
    await key.fill('STRIPE_SECRET_KEY')
    const value = page.getByLabel('Value', { exact: true })
    expect(await value.getAttribute('type')).toBe('password')
    await value.fill(CANARY)
    await page.getByRole('button', { name: 'Show value' }).click()
    expect(await value.getAttribute('type')).toBe('text')
    // Typed, shown, and still only in the field's live value: not in the page's HTML.
    expect(await page.content()).not.toContain(CANARY)
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Saved STRIPE_SECRET_KEY (secret)').waitFor()
    await expect(row('STRIPE_SECRET_KEY').textContent()).resolves.toContain(CANARY_PREVIEW)
    expect(await row('STRIPE_SECRET_KEY').getByText('secret', { exact: true }).count()).toBe(1)
    expect(await page.content()).not.toContain(CANARY)
    const stored = await s.api<{ vars: Array<{ key: string; preview?: string; value?: string }> }>(
      'GET',
      '/v1/projects/shop/environments/staging/vars',
    )
    expect(stored.vars.find((v) => v.key === 'STRIPE_SECRET_KEY')).toMatchObject({
      preview: CANARY_PREVIEW,
    })
  })

  it('adds a config variable, shown in full', async () => {
    await page.getByRole('button', { name: 'Add Variable' }).click()
    await page.getByLabel('Key', { exact: true }).fill('LOG_LEVEL')
    await page.getByLabel('Value', { exact: true }).fill('debug')
    await page.getByLabel('Config: readable, shown in full').check()
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Saved LOG_LEVEL (config)').waitFor()
    await expect(row('LOG_LEVEL').textContent()).resolves.toContain('debug')
  })

  it('shows "Redeploy required" with the changed keys; Deploy makes release 1 and clears it', async () => {
    const banner = page.getByRole('region', { name: 'Redeploy required' })
    await banner.waitFor()
    const changedKeys = async () =>
      (
        await banner
          .getByRole('list', { name: 'Changed keys' })
          .getByRole('listitem')
          .allTextContents()
      ).sort()
    // The banner follows the environment's status, reloaded after each save.
    await expect.poll(changedKeys).toEqual(['LOG_LEVEL', 'STRIPE_SECRET_KEY'])
    await banner.getByRole('button', { name: 'Deploy' }).click()
    await page.getByText('Release 1 created: the environment is up to date.').waitFor()
    expect(await page.getByRole('region', { name: 'Redeploy required' }).count()).toBe(0)
    await page.getByRole('link', { name: 'Releases' }).click()
    // The releases page loads its list after the click: wait for the row before counting.
    const active = page.getByRole('row', { name: /Release 1 active/ })
    await active.waitFor()
    expect(await active.count()).toBe(1)
    const releases = await s.api<{ releases: Array<{ number: number; status: string }> }>(
      'GET',
      '/v1/projects/shop/environments/staging/releases',
    )
    expect(releases.releases.map((r) => [r.number, r.status])).toEqual([[1, 'active']])
    await page.getByRole('link', { name: 'Env Vars' }).click()
  })

  it('reveals a secret on request (noting the audit), hides it again, and the reveal is audited', async () => {
    await page.getByRole('button', { name: 'Reveal STRIPE_SECRET_KEY' }).click()
    await row('STRIPE_SECRET_KEY').getByText(CANARY).waitFor()
    expect(await row('STRIPE_SECRET_KEY').textContent()).toContain('recorded in the audit log')
    await page.getByRole('button', { name: 'Hide STRIPE_SECRET_KEY' }).click()
    await row('STRIPE_SECRET_KEY').getByText(CANARY_PREVIEW).waitFor()
    expect(await page.content()).not.toContain(CANARY)
    const audit = await s.api<{ events: Array<{ action: string; keys: string[] }> }>(
      'GET',
      '/v1/audit?action=vars.reveal',
    )
    expect(audit.events.map((e) => e.keys)).toEqual([['STRIPE_SECRET_KEY']])
  })

  it('shows system variables read-only with the reason, and edits in place', async () => {
    const port = row('PORT')
    expect(await port.getByText('system', { exact: true }).count()).toBe(1)
    expect(await port.getByRole('button').count()).toBe(0)
    expect(await port.getByText('read-only').getAttribute('title')).toContain('Set by Tresor')
    await page.getByRole('button', { name: 'Edit LOG_LEVEL' }).click()
    const form = page.getByRole('form', { name: 'Edit LOG_LEVEL' })
    await form.getByLabel('Value').fill('info')
    await form.getByRole('button', { name: 'Save' }).click()
    await row('LOG_LEVEL').getByText('info', { exact: true }).waitFor()
    const banner = page.getByRole('region', { name: 'Redeploy required' })
    await expect.poll(() => banner.getByRole('listitem').allTextContents()).toEqual(['LOG_LEVEL'])
  })

  it('deletes only after confirmation', async () => {
    await page.getByRole('button', { name: 'Delete LOG_LEVEL' }).click()
    const dialog = page.getByRole('dialog', { name: 'Delete LOG_LEVEL?' })
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    expect(await row('LOG_LEVEL').count()).toBe(1)
    await page.getByRole('button', { name: 'Delete LOG_LEVEL' }).click()
    await dialog.getByRole('button', { name: 'Delete' }).click()
    await page.getByText('Deleted LOG_LEVEL').waitFor()
    await row('LOG_LEVEL').waitFor({ state: 'detached' })
    const stored = await s.api<{ vars: Array<{ key: string }> }>(
      'GET',
      '/v1/projects/shop/environments/staging/vars',
    )
    expect(stored.vars.map((v) => v.key)).not.toContain('LOG_LEVEL')
  })

  it('shows a change made through the API without a reload', async () => {
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42))
    await s.api('PUT', '/v1/projects/shop/environments/staging/vars', {
      key: 'FEATURE_FLAG',
      value: 'on',
      kind: 'config',
    })
    await row('FEATURE_FLAG').getByText('on', { exact: true }).waitFor()
    const banner = page.getByRole('region', { name: 'Redeploy required' })
    await banner.getByText('FEATURE_FLAG').waitFor()
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42)
  })

  it('works from the keyboard: the form opens on the key, Enter saves, Escape cancels a dialog', async () => {
    await page.getByRole('button', { name: 'Add Variable' }).focus()
    await page.keyboard.press('Enter')
    await page.keyboard.type('KEYBOARD_ONLY')
    await page.keyboard.press('Tab')
    await page.keyboard.type('typed-with-keys-only')
    await page.keyboard.press('Enter')
    await page.getByText('Saved KEYBOARD_ONLY (secret)').waitFor()
    await page.getByRole('button', { name: 'Delete KEYBOARD_ONLY' }).focus()
    await page.keyboard.press('Enter')
    const dialog = page.getByRole('dialog', { name: 'Delete KEYBOARD_ONLY?' })
    await dialog.waitFor()
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
    // Focus goes back to the button that opened the dialog.
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))
    expect(focused).toBe('Delete KEYBOARD_ONLY')
    expect(await row('KEYBOARD_ONLY').count()).toBe(1)
  })

  it('lists previews apart from the main environments', async () => {
    await s.api('POST', '/v1/projects/shop/previews', { slug: 'pr-42', parent: 'staging' })
    const nav = page.getByRole('navigation', { name: 'Environments' })
    await nav.getByRole('link', { name: 'pr-42' }).waitFor()
    expect(await nav.locator('.previews').innerText()).toContain('Previews')
    expect(await nav.locator('.previews').getByRole('link').allInnerTexts()).toEqual(['pr-42'])
  })

  it('with a read-only token: no reveal, no add, no edit; the API refuses reveal too', async () => {
    const created = await s.api<{ token: string }>('POST', '/v1/tokens', {
      name: 'viewer',
      scopes: ['read'],
    })
    const tab = (await openTab()).page
    await signIn(tab, s.url, created.token, '/projects/shop/envs/staging')
    const secretRow = tab
      .getByRole('row')
      .filter({ has: tab.getByRole('rowheader', { name: 'STRIPE_SECRET_KEY' }) })
    await secretRow.getByText(CANARY_PREVIEW).waitFor()
    expect(await secretRow.getByRole('button').count()).toBe(0)
    expect(await secretRow.getByText('no reveal permission').count()).toBe(1)
    expect(await tab.getByRole('button', { name: 'Add Variable' }).count()).toBe(0)
    expect(await tab.getByRole('button', { name: 'Deploy' }).count()).toBe(0)
    await expect(
      s.api(
        'POST',
        '/v1/projects/shop/environments/staging/vars/STRIPE_SECRET_KEY/reveal',
        undefined,
        created.token,
      ),
    ).rejects.toThrow('HTTP 403')
    expect(await tab.content()).not.toContain(CANARY)
  })

  it('fits a 360 px wide screen: no sideways scrolling, every row readable', async () => {
    const tab = (await openTab(360)).page
    await signIn(tab, s.url, s.ownerToken, '/projects/shop/envs/staging')
    await tab.getByRole('rowheader', { name: 'STRIPE_SECRET_KEY' }).waitFor()
    const width = await tab.evaluate(() => document.documentElement.scrollWidth)
    expect(width).toBeLessThanOrEqual(360)
  })

  it('ends the session when its token is revoked, and sign-out forgets the token', async () => {
    const created = await s.api<{ id: string; token: string }>('POST', '/v1/tokens', {
      name: 'short-lived',
      scopes: ['read'],
    })
    const tab = (await openTab()).page
    await signIn(tab, s.url, created.token, '/projects/shop/envs/staging')
    await tab.getByRole('heading', { name: 'Env Vars' }).waitFor()
    await s.api('DELETE', `/v1/tokens/${created.id}`)
    await tab.getByRole('link', { name: 'Releases' }).click()
    await tab.getByText('Your session ended: the token was revoked or has expired.').waitFor()
    expect(await tab.evaluate(() => sessionStorage.length)).toBe(0)
    await signIn(tab, s.url, s.ownerToken)
    await tab.getByRole('button', { name: 'Sign out' }).click()
    await tab.getByRole('heading', { name: 'Sign in to Tresor' }).waitFor()
    expect(await tab.evaluate(() => sessionStorage.length)).toBe(0)
  })
})
