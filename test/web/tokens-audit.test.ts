// Tokens (created and shown once with a copy button, listed, revoked) and the audit log (filters,
// chain check) in a real browser; plus the page's Content-Security-Policy at work.
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeBrowser, signIn, useBrowser } from './helpers/browser.ts'
import { startTestServer, type TestServer } from './helpers/server.ts'

const SECRET = 'audit-canary-secret-value-42'

describeBrowser('dashboard: tokens, audit log, content security policy', () => {
  let s: TestServer
  const { openTab } = useBrowser()
  let page: Page
  let context: BrowserContext

  beforeAll(async () => {
    s = await startTestServer()
    await s.api('POST', '/v1/projects', { slug: 'shop' })
    await s.api('POST', '/v1/projects', { slug: 'blog' })
    await s.api('PUT', '/v1/projects/shop/environments/staging/vars', {
      key: 'API_KEY',
      value: SECRET,
      kind: 'secret',
    })
    await s.api('POST', '/v1/projects/shop/environments/staging/vars/API_KEY/reveal')
    await s.api('PUT', '/v1/projects/blog/environments/production/vars', {
      key: 'THEME',
      value: 'dark',
    })
    ;({ page, context } = await openTab())
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: s.url })
    await signIn(page, s.url, s.ownerToken, '/tokens')
  })
  afterAll(() => s?.close())

  it('creates a token, shows it once with a working copy button, then forgets it', async () => {
    await page.getByLabel('Name').fill('ci-laptop')
    await page.getByRole('checkbox', { name: 'write' }).check()
    await page.getByRole('button', { name: 'Create token' }).click()
    const once = page.getByRole('region', { name: 'Token ci-laptop created' })
    const token = await once.getByLabel('The new token').inputValue()
    expect(token).toMatch(/^tresor_pat_[A-Za-z0-9]+$/)
    await once.getByRole('button', { name: 'Copy' }).click()
    await once.getByText('Copied to the clipboard.').waitFor()
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token)
    const me = await s.api<{ scopes: string[] }>('GET', '/v1/whoami', undefined, token)
    expect(me.scopes.sort()).toEqual(['read', 'write'])
    await once.getByRole('button', { name: 'Done, I have stored it' }).click()
    await once.waitFor({ state: 'detached' })
    expect(await page.content()).not.toContain(token)
    const stored = await page.evaluate(() => JSON.stringify({ ...sessionStorage, ...localStorage }))
    expect(stored).not.toContain(token)
    const listed = page
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: 'ci-laptop' }) })
    expect((await listed.innerText()).replace(/\s+/g, ' ')).toContain('personal read write active')
  })

  it('revokes a token after confirmation; the server refuses it from then on', async () => {
    const created = await s.api<{ token: string }>('POST', '/v1/tokens', {
      name: 'old-script',
      scopes: ['read'],
    })
    await page.reload()
    await page.getByRole('button', { name: 'Revoke old-script' }).click()
    await page
      .getByRole('dialog', { name: 'Revoke old-script?' })
      .getByRole('button', { name: 'Revoke' })
      .click()
    const listed = page
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: 'old-script' }) })
    await listed.getByText('revoked').waitFor()
    await expect(s.api('GET', '/v1/whoami', undefined, created.token)).rejects.toThrow('HTTP 401')
    // The session's own token cannot be revoked from its own page.
    const mine = page.getByRole('row').filter({ hasText: 'this session' })
    expect(await mine.getByRole('button').count()).toBe(0)
  })

  it('filters the audit log by action and by project, never showing a value', async () => {
    await page.getByRole('link', { name: 'Audit log' }).click()
    const actions = () => page.locator('table.audit tbody td[data-label="Action"]').allInnerTexts()
    await page.locator('table.audit').waitFor()
    expect(await actions()).toContain('vars.reveal')
    await page.getByLabel('Action').fill('vars.reveal')
    await page.getByRole('button', { name: 'Filter' }).click()
    await expect.poll(actions).toEqual(['vars.reveal'])
    const keys = await page.locator('table.audit tbody td[data-label="Keys"]').allInnerTexts()
    expect(keys).toEqual(['API_KEY'])
    await page.getByLabel('Action').fill('')
    await page.getByLabel('Project').selectOption('blog')
    await page.getByRole('button', { name: 'Filter' }).click()
    const wanted = await s.api<{ events: Array<{ action: string }> }>(
      'GET',
      '/v1/audit?project=blog',
    )
    await expect.poll(actions).toEqual(wanted.events.map((e) => e.action))
    expect(await actions()).toContain('vars.set')
    expect(await actions()).not.toContain('vars.reveal')
    expect(await page.content()).not.toContain(SECRET)
  })

  it('verifies the audit chain', async () => {
    await page.getByRole('button', { name: 'Verify the chain' }).click()
    const verdict = await page.getByText(/The chain of \d+ events is intact\./).textContent()
    const count = Number(/of (\d+) events/.exec(verdict ?? '')?.[1])
    const all = await s.api<{ events: unknown[] }>('GET', '/v1/audit?limit=1000')
    expect(count).toBe(all.events.length)
  })

  it("refuses an injected inline script: the CSP allows the app's own files only", async () => {
    const violations = await page.evaluate(async () => {
      const seen: string[] = []
      document.addEventListener('securitypolicyviolation', (e) => seen.push(e.violatedDirective))
      const el = document.createElement('script')
      el.textContent = 'window.injected = true'
      document.body.append(el)
      await new Promise((r) => setTimeout(r, 100))
      return { seen, injected: (window as unknown as { injected?: boolean }).injected === true }
    })
    expect(violations).toEqual({ seen: ['script-src-elem'], injected: false })
  })
})
