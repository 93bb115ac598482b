// The compare page with secrets compared on the server (differs from the baseline, the same value
// reused in several environments, never a value or preview in the page), and add-on variables in
// the Env Vars table: managed by the add-on, masked, without edit/delete/reveal.
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { previewSecret } from '../../src/core/masking.ts'
import { describeBrowser, signIn, useBrowser } from './helpers/browser.ts'
import { startTestServer, type TestServer } from './helpers/server.ts'

const E = '/v1/projects/shop/environments'
const SHARED = 'shared_api_key_canary_1a2b3c4d5e'
const STAGING_DB = 'staging_db_canary_9f8e7d6c5b4a'
const PRODUCTION_DB = 'production_db_canary_0a1b2c3d4e'
const REDIS_URL = 'redis://:redis_canary_pw_6d5c4b3a@cache.internal:6379/0'
const SECRETS = [SHARED, STAGING_DB, PRODUCTION_DB, REDIS_URL]

describeBrowser('dashboard: secrets compared on the server, add-on variables', () => {
  let s: TestServer
  const { openTab } = useBrowser()
  let page: Page

  const text = (t: string) => t.replace(/\s+/g, ' ').trim()
  const cells = async (key: string) =>
    (
      await page
        .locator('table.matrix')
        .getByRole('row')
        .filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${key}`) }) })
        .locator('td')
        .allInnerTexts()
    ).map(text)
  const noSecretInPage = async () => {
    const html = await page.content()
    for (const value of SECRETS) {
      expect(html).not.toContain(value)
      expect(html).not.toContain(previewSecret(value))
    }
  }

  beforeAll(async () => {
    s = await startTestServer()
    await s.api('POST', '/v1/projects', { slug: 'shop' })
    await s.api('PATCH', `${E}/staging/vars`, {
      env: { LOG_LEVEL: 'debug', API_KEY: SHARED, DB_PASSWORD: STAGING_DB },
      secrets: ['API_KEY', 'DB_PASSWORD'],
    })
    await s.api('PATCH', `${E}/production/vars`, {
      env: { LOG_LEVEL: 'warn', API_KEY: SHARED, DB_PASSWORD: PRODUCTION_DB },
      secrets: ['API_KEY', 'DB_PASSWORD'],
    })
    await s.api('PUT', `${E}/staging/addons/redis`, { vars: { REDIS_URL } })
    page = (await openTab()).page
    await signIn(page, s.url, s.ownerToken, '/projects/shop/compare')
  })
  afterAll(() => s?.close())

  it('shows a secret that differs from production, and warns about one reused in staging', async () => {
    await page.getByText('Secret values are compared with production').waitFor()
    expect(await page.getByLabel('Compare secrets with').inputValue()).toBe('production')
    expect(await cells('DB_PASSWORD')).toEqual(['✗ missing', '≠ differs secret', '✓ set secret'])
    expect(await cells('API_KEY')).toEqual([
      '✗ missing',
      '✓ set secret ⚠ Warning: same value as production',
      '✓ set secret ⚠ Warning: same value as staging',
    ])
    // Config is compared as before, on the values the page may show.
    expect(await cells('LOG_LEVEL')).toEqual(['✗ missing', '≠ differs config', '≠ differs config'])
    // The add-on's variable is the platform's, not the user's: not in the matrix.
    expect(await cells('REDIS_URL')).toEqual([])
    const warning = page.getByRole('region', { name: 'Secrets reused across environments' })
    expect(text(await warning.innerText())).toContain('API_KEY: staging, production')
    expect(await warning.getByRole('listitem').allInnerTexts()).toEqual([
      'API_KEY: staging, production',
    ])
    await noSecretInPage()
  })

  it('compares with another baseline when chosen', async () => {
    await page.getByLabel('Compare secrets with').selectOption('staging')
    await page.getByText('Secret values are compared with staging').waitFor()
    await expect
      .poll(() => cells('DB_PASSWORD'))
      .toEqual(['✗ missing', '✓ set secret', '≠ differs secret'])
    expect(await cells('API_KEY')).toEqual([
      '✗ missing',
      '✓ set secret ⚠ Warning: same value as production',
      '✓ set secret ⚠ Warning: same value as staging',
    ])
    await noSecretInPage()
  })

  it('drops the warning once the reused secret gets its own value', async () => {
    await s.api('PUT', `${E}/staging/vars`, {
      key: 'API_KEY',
      value: 'staging_own_api_key_value_77',
      kind: 'secret',
    })
    await page.reload()
    await page.getByText('Secret values are compared with production').waitFor()
    await expect
      .poll(() => cells('API_KEY'))
      .toEqual(['✗ missing', '≠ differs secret', '✓ set secret'])
    expect(
      await page.getByRole('region', { name: 'Secrets reused across environments' }).count(),
    ).toBe(0)
  })

  it('shows an add-on variable as managed by the add-on: masked, no edit, delete or reveal', async () => {
    await page.goto(`${s.url}/projects/shop/envs/staging`)
    const row = (key: string) =>
      page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: key, exact: true }) })
    const redis = row('REDIS_URL')
    await redis.getByText('managed by add-on redis').waitFor()
    expect(await redis.getByText('system', { exact: true }).count()).toBe(1)
    expect(await redis.getByText(previewSecret(REDIS_URL), { exact: true }).count()).toBe(1)
    expect(await redis.getByRole('button').count()).toBe(0)
    expect(await redis.getByText('managed by add-on redis').getAttribute('title')).toContain(
      'Managed by add-on redis',
    )
    // The owner may reveal the user's secrets: the add-on's row has no such button all the same.
    await row('DB_PASSWORD').getByRole('button', { name: 'Reveal DB_PASSWORD' }).waitFor()
    const addons = page.getByRole('region', { name: 'Add-ons' })
    expect(text(await addons.innerText())).toBe('Add-ons redis: REDIS_URL')
    expect(await page.content()).not.toContain(REDIS_URL)
    // Production has no add-on: no list.
    await page.getByRole('link', { name: 'production' }).click()
    await row('DB_PASSWORD').waitFor()
    expect(await page.getByRole('region', { name: 'Add-ons' }).count()).toBe(0)
    expect(await row('REDIS_URL').count()).toBe(0)
  })
})
