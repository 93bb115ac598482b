// Debian's Chromium driven by playwright-core (a test tool's own browser download cannot work
// here). Without /usr/bin/chromium the browser suites skip locally, saying why in their name,
// and fail in CI (CI=true), where .ci/run installs it.
import { existsSync, mkdirSync } from 'node:fs'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest'

export const CHROMIUM = '/usr/bin/chromium'
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** `describe` for suites that need the browser: runs, skips with the reason, or fails in CI. */
export function describeBrowser(name: string, body: () => void): void {
  if (existsSync(CHROMIUM)) {
    describe(name, body)
  } else if (process.env.CI === 'true') {
    describe(name, () => {
      it(`needs ${CHROMIUM} (apt-get install chromium)`, () => {
        throw new Error(`${CHROMIUM} is missing: the dashboard tests must run in CI`)
      })
    })
  } else {
    describe.skip(`${name} (skipped: ${CHROMIUM} is not installed)`, body)
  }
}

export interface Tab {
  page: Page
  context: BrowserContext
}

/** One browser per test file; a fresh context (own sessionStorage) per `openTab`. */
export function useBrowser(): {
  browser: () => Browser
  openTab: (width?: number) => Promise<Tab>
} {
  let browser: Browser | undefined
  const tabs: Tab[] = []
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS })
  })
  afterAll(async () => {
    await browser?.close()
  })
  // A failed test leaves a picture of every tab it opened in test-results/.
  beforeEach(({ task, onTestFailed }) => {
    onTestFailed(async () => {
      mkdirSync('test-results', { recursive: true })
      const slug = task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 80)
      for (const [i, t] of tabs.entries()) {
        if (t.page.isClosed()) continue
        await t.page.screenshot({ path: `test-results/web-${slug}-${i}.png`, fullPage: true })
      }
    })
  })
  const openTab = async (width = 1280) => {
    if (browser === undefined) throw new Error('browser not launched')
    const context = await browser.newContext({ viewport: { width, height: 900 } })
    const page = await context.newPage()
    page.setDefaultTimeout(10_000)
    const tab = { page, context }
    tabs.push(tab)
    return tab
  }
  return { browser: () => browser as Browser, openTab }
}

/** Signs in through the form with `token`, and waits for the projects page. */
export async function signIn(
  page: Page,
  baseUrl: string,
  token: string,
  path = '/',
): Promise<void> {
  await page.goto(baseUrl + path)
  await page.getByLabel('Token').fill(token)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('button', { name: 'Sign out' }).waitFor()
}
