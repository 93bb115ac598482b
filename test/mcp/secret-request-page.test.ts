// The person's side of a secret request, in a real browser (Debian's Chromium through
// playwright-core) against the real server: the page loads under its CSP, shows what is asked,
// stores the typed value, and the link token never leaves the browser in a URL or a Referer.
import { existsSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildIfStale, newCanary, startServer, type RealServer } from './helpers.ts'

const CHROMIUM = '/usr/bin/chromium'
let server: RealServer
let browser: Browser
let slug: string

beforeAll(async () => {
  buildIfStale()
  server = await startServer()
  slug = `page-${randomBytes(3).toString('hex')}`
  expect((await server.api('POST', '/v1/projects', { slug })).status).toBe(201)
  if (existsSync(CHROMIUM))
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] })
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

describe.skipIf(!existsSync(CHROMIUM))(
  'the secret-request page in Chromium (skipped without /usr/bin/chromium)',
  () => {
    it('shows the request, stores the typed value once, keeps the token out of every URL and Referer', async () => {
      const created = await server.api<{ url: string; id: string }>(
        'POST',
        `/v1/projects/${slug}/environments/production/secret-requests`,
        { key: 'MAILGUN_API_KEY', description: 'Mailgun → Settings → API keys' },
      )
      const token = new URL(created.body.url).hash.slice(1)
      const page = await browser.newPage()
      const sent: { url: string; referer: string | undefined }[] = []
      page.on('request', (r) => sent.push({ url: r.url(), referer: r.headers().referer }))
      const errors: string[] = []
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text())
      })
      await page.goto(created.body.url)
      await page.waitForSelector('#form:not([hidden])')
      expect(await page.textContent('#key')).toBe('MAILGUN_API_KEY')
      expect(await page.textContent('#where')).toBe(`${slug} / production`)
      expect(await page.textContent('#description')).toBe('Mailgun → Settings → API keys')
      expect(await page.getAttribute('#value', 'type')).toBe('password')

      const secret = newCanary(3)
      await page.fill('#value', secret)
      await page.click('#submit')
      await page.waitForSelector('#status.done')
      expect(await page.textContent('#status')).toContain(
        `MAILGUN_API_KEY is stored as a secret in ${slug} / production`,
      )
      expect(await page.inputValue('#value')).toBe('')
      const storage = await page.evaluate('[localStorage.length, sessionStorage.length]')
      expect(storage).toEqual([0, 0])
      expect(errors).toEqual([])

      // The token went to the server only inside POST bodies: never in a URL, never as a Referer.
      expect(sent.map((s) => new URL(s.url).pathname)).toEqual([
        '/s',
        '/s/page.css',
        '/s/page.js',
        '/v1/secret-requests/inspect',
        '/v1/secret-requests/fulfill',
      ])
      for (const s of sent) {
        expect(s.url).not.toContain(token)
        expect(s.referer ?? '').toBe('')
      }
      const revealed = await server.api<{ value: string }>(
        'POST',
        `/v1/projects/${slug}/environments/production/vars/MAILGUN_API_KEY/reveal`,
      )
      expect(revealed.body.value).toBe(secret)
      expect(server.stderr()).not.toContain(token)
      expect(server.stderr()).not.toContain(secret)

      // Opening the link again: a clear message, no form.
      const again = await browser.newPage()
      await again.goto(created.body.url)
      await again.waitForSelector('#status.error')
      expect(await again.textContent('#status')).toContain('This link was already used')
      expect(await again.isHidden('#form')).toBe(true)
    })
  },
)
