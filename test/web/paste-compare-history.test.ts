// Paste a .env (line-pointed errors, masked diff, merge and replace), the compare matrix with
// required keys and copying config across, and history with masked diffs and rollback.
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeBrowser, signIn, useBrowser } from './helpers/browser.ts'
import { startTestServer, type TestServer } from './helpers/server.ts'

const E = '/v1/projects/shop/environments'
const OLD_SECRET = 'existing_test_secret_0001'
const PASTED_SECRET = 'wh_paste_canary_55aa77bb99'

interface VarList {
  vars: Array<{ key: string; kind: string; value?: string; preview?: string; system?: boolean }>
}

describeBrowser('dashboard: paste a .env, compare environments, history and rollback', () => {
  let s: TestServer
  const { openTab } = useBrowser()
  let page: Page

  const userVars = async (env: string) => {
    const list = await s.api<VarList>('GET', `${E}/${env}/vars`)
    return Object.fromEntries(
      list.vars
        .filter((v) => v.system !== true)
        .map((v) => [v.key, v.value ?? `(${v.kind}) ${v.preview}`]),
    )
  }
  const row = (key: string) =>
    page
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${key}\\b`) }) })

  beforeAll(async () => {
    s = await startTestServer()
    await s.api('POST', '/v1/projects', { slug: 'shop' })
    const seed = { LOG_LEVEL: 'debug', API_KEY: OLD_SECRET, DB_POOL: '5' }
    await s.api('PATCH', `${E}/staging/vars`, { env: seed, secrets: ['API_KEY'] })
    await s.api('PATCH', `${E}/development/vars`, { env: seed, secrets: ['API_KEY'] })
    await s.api('PATCH', `${E}/production/vars`, {
      env: { LOG_LEVEL: 'warn', API_KEY: OLD_SECRET },
      secrets: ['API_KEY'],
    })
    await s.api('PATCH', `${E}/production`, { requiredKeys: ['API_URL', 'API_KEY'] })
    await s.api('POST', `${E}/staging/releases`, {})
    page = (await openTab()).page
    await signIn(page, s.url, s.ownerToken, '/projects/shop/envs/staging')
  })
  afterAll(() => s?.close())

  it('points a parse error at its line and blocks applying until it is fixed', async () => {
    await page.getByRole('button', { name: 'Paste .env' }).click()
    await page
      .getByLabel('dotenv text')
      .fill('# header\nLOG_LEVEL=info\nthis is not an entry\nBAD KEY=1\n')
    const alert = page.getByRole('alert').filter({ hasText: 'The text cannot be read' })
    await expect
      .poll(() => alert.getByRole('listitem').allTextContents())
      .toEqual([
        "line 3: expected KEY=value: the line has no '='",
        'line 4: invalid key: key contains whitespace at position 4; allowed are letters, digits, _ . -',
      ])
    expect(await page.getByRole('button', { name: 'Merge variables' }).isDisabled()).toBe(true)
  })

  it('previews a paste with comments as a masked diff, then merges it and keeps the other keys', async () => {
    const text = `# Payments\nLOG_LEVEL=info\nNEW_SECRET=${PASTED_SECRET} # secret\n\n# cache\nCACHE_TTL="300"\n`
    await page.getByLabel('dotenv text').fill(text)
    const preview = page.getByRole('table').filter({ hasText: 'Preview' })
    expect(await preview.getByRole('caption').textContent()).toBe('Preview: 2 added, 1 changed')
    const rows = await preview.locator('tbody tr').allInnerTexts()
    expect(rows.map((r) => r.replace(/\s+/g, ' ').trim())).toEqual([
      'changed LOG_LEVEL line 2 config debug info',
      'added NEW_SECRET line 3 secret — wh_pa***bb99',
      'added CACHE_TTL line 6 config — 300',
    ])
    // The pasted secret is in the text area's live value only, never in the page's HTML.
    expect(await page.content()).not.toContain(PASTED_SECRET)
    await page.getByRole('button', { name: 'Merge variables' }).click()
    await page.getByText('Applied the pasted .env: 2 added, 1 changed').waitFor()
    await row('NEW_SECRET').getByText('wh_pa***bb99').waitFor()
    expect(await userVars('staging')).toEqual({
      LOG_LEVEL: 'info',
      API_KEY: '(secret) exist***0001',
      DB_POOL: '5',
      NEW_SECRET: '(secret) wh_pa***bb99',
      CACHE_TTL: '300',
    })
    const banner = page.getByRole('region', { name: 'Redeploy required' })
    await expect
      .poll(async () => (await banner.getByRole('listitem').allTextContents()).sort())
      .toEqual(['CACHE_TTL', 'LOG_LEVEL', 'NEW_SECRET'])
    expect(await page.content()).not.toContain(PASTED_SECRET)
  })

  it('refuses a system variable in a paste, naming its line', async () => {
    await page.getByRole('button', { name: 'Paste .env' }).click()
    await page.getByLabel('dotenv text').fill('A=1\nPORT=8080\n')
    await page.getByText('System variables cannot be set: remove PORT (line 2).').waitFor()
    expect(await page.getByRole('button', { name: 'Merge variables' }).isDisabled()).toBe(true)
    await page.getByRole('button', { name: 'Cancel' }).click()
  })

  it('replaces: the preview lists what is removed, and applying leaves exactly the pasted keys', async () => {
    await page.getByRole('link', { name: 'development' }).click()
    await page.getByRole('button', { name: 'Paste .env' }).click()
    await page.getByLabel('dotenv text').fill('LOG_LEVEL=debug\nAPI_KEY=exist***0001 # secret\n')
    await page.getByLabel(/^Replace/).check()
    const preview = page.getByRole('table').filter({ hasText: 'Preview' })
    expect(await preview.getByRole('caption').textContent()).toBe('Preview: 1 removed, 2 unchanged')
    const rows = await preview.locator('tbody tr').allInnerTexts()
    expect(rows.map((r) => r.replace(/\s+/g, ' ').trim())).toEqual([
      'unchanged LOG_LEVEL line 1 config debug debug',
      'kept (masked value) API_KEY line 2 secret exist***0001 (unchanged)',
      'removed DB_POOL config 5 —',
    ])
    await page.getByRole('button', { name: 'Replace variables' }).click()
    await page.getByText('Applied the pasted .env').waitFor()
    // The masked preview pasted back keeps the stored secret (the server's rule too).
    expect(await userVars('development')).toEqual({
      LOG_LEVEL: 'debug',
      API_KEY: '(secret) exist***0001',
    })
    const revealed = await s.api<{ value: string }>('POST', `${E}/development/vars/API_KEY/reveal`)
    expect(revealed.value).toBe(OLD_SECRET)
  })

  it('compares environments: present, missing, differs; required keys highlighted', async () => {
    await page.getByRole('link', { name: 'Compare environments' }).click()
    const matrix = page.locator('table.matrix')
    await matrix.waitFor()
    const cells = async (key: string) =>
      (
        await matrix
          .getByRole('row')
          .filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${key}`) }) })
          .locator('td')
          .allInnerTexts()
      ).map((t) => t.replace(/\s+/g, ' ').trim())
    expect(await matrix.locator('thead th').allInnerTexts()).toEqual([
      'KEY',
      'DEVELOPMENT',
      'STAGING',
      'PRODUCTION',
    ])
    expect(await cells('LOG_LEVEL')).toEqual([
      '≠ differs config',
      '≠ differs config',
      '≠ differs config',
    ])
    // The server compared the secrets with production: the one value is in all three.
    await page.getByText('Secret values are compared with production').waitFor()
    expect(await cells('API_KEY')).toEqual([
      '✓ set secret ⚠ Warning: same value as production, staging',
      '✓ set secret ⚠ Warning: same value as production, development',
      '✓ set secret ⚠ Warning: same value as development, staging',
    ])
    expect(await page.content()).not.toContain(OLD_SECRET)
    expect(await cells('CACHE_TTL')).toEqual(['✗ missing', '✓ set config', '✗ missing'])
    expect(await cells('API_URL')).toEqual(['✗ missing', '✗ missing', '✗ missing'])
    const required = await matrix.locator('tr.required th code').allInnerTexts()
    expect(required.sort()).toEqual(['API_KEY', 'API_URL'])
    // Only the cell where a required key is missing is an alarm.
    expect(await matrix.locator('td.cell-alarm').count()).toBe(1)
    expect(await page.getByRole('status').first().textContent()).toContain(
      '1 required key is missing',
    )
  })

  it('copies chosen config keys from one environment to another', async () => {
    await page.getByLabel('From').selectOption('staging')
    await page.getByLabel('To').selectOption('production')
    const keys = page.getByRole('group', { name: 'Config keys of staging' })
    expect(await keys.getByRole('checkbox').count()).toBe(3)
    await keys.getByRole('checkbox', { name: 'CACHE_TTL' }).check()
    await page.getByRole('button', { name: 'Copy 1 key to production' }).click()
    await page.getByText('Copied 1 keys from staging to production').waitFor()
    expect((await userVars('production')).CACHE_TTL).toBe('300')
    expect((await userVars('production')).LOG_LEVEL).toBe('warn')
  })

  it('shows per-revision masked diffs and rolls back to release 1', async () => {
    await page.goto(`${s.url}/projects/shop/envs/staging/history`)
    const latest = page.locator('li.revision').first()
    await latest.getByRole('heading', { name: 'Revision 2' }).waitFor()
    await latest.getByRole('button', { name: 'Show changes' }).click()
    const changes = latest.locator('.diff-list li')
    await changes.first().waitFor()
    expect((await changes.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim())).toEqual([
      'added NEW_SECRET secret',
      'added CACHE_TTL config = 300',
      'changed LOG_LEVEL config debug → info',
    ])
    expect(await page.content()).not.toContain(PASTED_SECRET)
    const first = page
      .locator('li.revision')
      .filter({ has: page.getByRole('heading', { name: 'Revision 1' }) })
    await first.getByRole('button', { name: 'Roll back to release 1' }).click()
    await page
      .getByRole('dialog', { name: 'Roll back to release 1?' })
      .getByRole('button', { name: 'Roll back' })
      .click()
    await page.getByText('Rolled back: release 2 restores release 1.').waitFor()
    expect(await userVars('staging')).toEqual({
      LOG_LEVEL: 'debug',
      API_KEY: '(secret) exist***0001',
      DB_POOL: '5',
    })
    const releases = await s.api<{ releases: Array<{ number: number; status: string }> }>(
      'GET',
      `${E}/staging/releases`,
    )
    expect(releases.releases.map((r) => [r.number, r.status]).sort()).toEqual([
      [1, 'superseded'],
      [2, 'active'],
    ])
    // The rollback was deployed at once: nothing left to redeploy.
    await page.getByText('Up to date with release 2.').waitFor()
  })
})
