// Pictures of the main pages for the README (docs/screenshots/), taken on demand only:
// `TRESOR_SCREENSHOTS=1 npx vitest run test/web/screenshots.test.ts`.
import { mkdirSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, it } from 'vitest'
import { describeBrowser, signIn, useBrowser } from './helpers/browser.ts'
import { startTestServer, type TestServer } from './helpers/server.ts'

const WANTED = process.env.TRESOR_SCREENSHOTS === '1'
const OUT = new URL('../../docs/screenshots/', import.meta.url).pathname
const E = '/v1/projects/shop/environments'

describeBrowser('dashboard screenshots', () => {
  let s: TestServer
  const { openTab } = useBrowser()
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: `${OUT}${name}.png`, fullPage: true })

  beforeAll(async () => {
    if (!WANTED) return
    mkdirSync(OUT, { recursive: true })
    s = await startTestServer()
    await s.api('POST', '/v1/projects', { slug: 'shop' })
    await s.api('PATCH', `${E}/production`, { requiredKeys: ['DATABASE_PASSWORD', 'SENTRY_DSN'] })
    for (const env of ['staging', 'production']) {
      const env_ = {
        LOG_LEVEL: env === 'staging' ? 'debug' : 'warn',
        API_URL: `https://api.${env}.example.com`,
        DATABASE_PASSWORD: 'correct-horse-battery-staple',
      }
      await s.api('PATCH', `${E}/${env}/vars`, { env: env_, secrets: ['DATABASE_PASSWORD'] })
    }
    await s.api('POST', `${E}/staging/releases`, {})
    await s.api('PUT', `${E}/staging/vars`, {
      key: 'STRIPE_SECRET_KEY',
      value: 'demo_stripe_51HqLyjWDarjtT1zdp7dc',
      kind: 'secret',
    })
    await s.api('PUT', `${E}/staging/vars`, { key: 'LOG_LEVEL', value: 'info' })
  })
  afterAll(() => s?.close())

  it.skipIf(!WANTED)('writes docs/screenshots/*.png (run with TRESOR_SCREENSHOTS=1)', async () => {
    const { page } = await openTab()
    await page.goto(s.url)
    await shot(page, 'sign-in')
    await signIn(page, s.url, s.ownerToken, '/projects/shop/envs/staging')
    await page.getByRole('rowheader', { name: 'PORT' }).waitFor()
    await shot(page, 'env-vars')
    await page.getByRole('button', { name: 'Add Variable' }).click()
    await page.getByLabel('Key', { exact: true }).fill('SENTRY_DSN')
    await page.getByLabel('Value', { exact: true }).fill('https://abc@o1.ingest.sentry.io/1')
    await shot(page, 'add-variable')
    await page.getByRole('button', { name: 'Cancel' }).click()
    await page.getByRole('button', { name: 'Paste .env' }).click()
    await page
      .getByLabel('dotenv text')
      .fill(
        '# payments\nSTRIPE_SECRET_KEY=demo_stripe_51HqLyjWDarjtT1zdp7dd # secret\nLOG_LEVEL=info\n\n# cache\nCACHE_TTL="300"\n',
      )
    await shot(page, 'paste-env')
    await page.getByRole('button', { name: 'Cancel' }).click()
    await page.getByRole('link', { name: 'History' }).click()
    await page.getByRole('button', { name: 'Show changes' }).first().click()
    await page.locator('.diff-list').first().waitFor()
    await shot(page, 'history')
    await page.getByRole('link', { name: 'Compare environments' }).click()
    await page.locator('table.matrix').waitFor()
    await shot(page, 'compare')
    const phone = (await openTab(360)).page
    await signIn(phone, s.url, s.ownerToken, '/projects/shop/envs/staging')
    await phone.getByRole('rowheader', { name: 'PORT' }).waitFor()
    await shot(phone, 'env-vars-360px')
  })
})
