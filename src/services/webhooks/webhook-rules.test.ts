import { describe, expect, it } from 'vitest'
import { AppError } from '../../core/errors.ts'
import {
  checkWebhookUrl,
  DEFAULT_RETRY_POLICY,
  newWebhookSecret,
  retryDelayMs,
  webhookOrigin,
} from './webhook-rules.ts'

function refusal(raw: string): AppError {
  try {
    checkWebhookUrl(raw)
  } catch (err) {
    if (err instanceof AppError) return err
    throw err
  }
  throw new Error('accepted')
}

describe('webhook rules', () => {
  it('accept http and https URLs, normalised', () => {
    expect(checkWebhookUrl('https://Deploy.Example.com/hooks/tresor?x=1')).toBe(
      'https://deploy.example.com/hooks/tresor?x=1',
    )
    expect(checkWebhookUrl('http://127.0.0.1:8080', { allowInternal: true })).toBe(
      'http://127.0.0.1:8080/',
    )
  })

  it.each([
    ['http://127.0.0.1:8080/x', '127.0.0.1 is a loopback, private or link-local address'],
    ['http://169.254.169.254/latest/meta-data', '169.254.169.254 is a loopback'],
    ['http://[fd00::5]/x', 'fd00::5 is a loopback'],
    ['https://localhost:7070/', 'localhost is this machine'],
  ])('refuse %s unless the operator allows internal receivers', (raw, why) => {
    let caught: unknown
    try {
      checkWebhookUrl(raw)
    } catch (err) {
      caught = err
    }
    expect(caught).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'url', message: expect.stringContaining(why) as string }],
    })
    expect((caught as Error).message).toContain('TRESOR_WEBHOOK_ALLOW_PRIVATE=true')
    expect(checkWebhookUrl(raw, { allowInternal: true })).toBe(new URL(raw).href)
  })

  it.each([
    ['not a url', 'must be an absolute http:// or https:// URL'],
    ['/relative/path', 'must be an absolute http:// or https:// URL'],
    ['ftp://example.com/x', 'must use http or https'],
    ['file:///etc/passwd', 'must use http or https'],
    ['javascript:alert(1)', 'must use http or https'],
    ['https://example.com/#frag', 'must not have a #fragment'],
  ])('refuse %s, naming the url field', (raw, message) => {
    const err = refusal(raw)
    expect(err.code).toBe('VALIDATION_FAILED')
    expect(err.errors).toEqual([{ field: 'url', message }])
  })

  it('refuse credentials in the URL without repeating them', () => {
    for (const raw of ['https://deploy:hunter2-canary@example.com/', 'https://only-user@x.io/']) {
      const err = refusal(raw)
      expect(err.errors[0]?.field).toBe('url')
      expect(err.errors[0]?.message).toMatch(/must not contain credentials/)
      expect(JSON.stringify([err.message, err.errors])).not.toMatch(/hunter2|only-user/)
    }
  })

  it('name only the origin of a URL for audit events', () => {
    expect(webhookOrigin('https://hooks.example.com:8443/services/T0/B0/SECRETPATH?token=t')).toBe(
      'https://hooks.example.com:8443',
    )
  })

  it('make secrets of whsec_ and 256 random bits, never twice the same', () => {
    const a = newWebhookSecret()
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/)
    expect(Buffer.from(a.slice(6), 'base64url')).toHaveLength(32)
    expect(new Set(Array.from({ length: 100 }, newWebhookSecret)).size).toBe(100)
  })

  it('back off 1 s, 2 s, 4 s … capped at 60 s', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8, 40].map((n) => retryDelayMs(n, DEFAULT_RETRY_POLICY))
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000])
    expect(DEFAULT_RETRY_POLICY).toMatchObject({ maxAttempts: 8, timeoutMs: 5000 })
  })
})
