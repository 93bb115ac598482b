import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { signWebhook, verifyWebhookSignature } from './signature.ts'

const SECRET = 'whsec_test-secret'
const BODY = '{"type":"release.created"}'
const T = 1_700_000_000
const NOW = T * 1000

describe('webhook signatures', () => {
  it('match an HMAC-SHA256 computed by openssl (known answer)', () => {
    // printf '%s' '1700000000.{"type":"release.created"}' | openssl dgst -sha256 -hmac 'whsec_test-secret'
    expect(signWebhook(SECRET, BODY, T)).toBe(
      't=1700000000,v1=2d8039b61d2c12607e1b84b69e5a9d1dc83e39e7e9b348143bb6b3237d161f92',
    )
  })

  it('verify what was signed, as a string or as the raw bytes', () => {
    const header = signWebhook(SECRET, BODY, T)
    expect(verifyWebhookSignature(SECRET, header, BODY, 300, NOW)).toBe(true)
    expect(verifyWebhookSignature(SECRET, header, Buffer.from(BODY), 300, NOW)).toBe(true)
  })

  it('refuse another body, another secret, or a tampered signature', () => {
    const header = signWebhook(SECRET, BODY, T)
    expect(verifyWebhookSignature(SECRET, header, `${BODY} `, 300, NOW)).toBe(false)
    expect(verifyWebhookSignature(`${SECRET}x`, header, BODY, 300, NOW)).toBe(false)
    const flipped = header.replace(/.$/, (c) => (c === '0' ? '1' : '0'))
    expect(verifyWebhookSignature(SECRET, flipped, BODY, 300, NOW)).toBe(false)
    // The timestamp is signed: moving it breaks the signature even inside the tolerance.
    const moved = header.replace(`t=${T}`, `t=${T + 1}`)
    expect(verifyWebhookSignature(SECRET, moved, BODY, 300, NOW)).toBe(false)
  })

  it('refuse a signature older or newer than the tolerance', () => {
    const header = signWebhook(SECRET, BODY, T)
    expect(verifyWebhookSignature(SECRET, header, BODY, 300, NOW + 300_000)).toBe(true)
    expect(verifyWebhookSignature(SECRET, header, BODY, 300, NOW + 301_000)).toBe(false)
    expect(verifyWebhookSignature(SECRET, header, BODY, 300, NOW - 301_000)).toBe(false)
  })

  it('accept any one of several v1 signatures (a receiver rotating secrets)', () => {
    const good = signWebhook(SECRET, BODY, T).split(',v1=')[1] ?? ''
    const header = `t=${T},v1=${'0'.repeat(64)},v1=${good}`
    expect(verifyWebhookSignature(SECRET, header, BODY, 300, NOW)).toBe(true)
  })

  it.each([
    undefined,
    '',
    'v1=abc',
    `t=${T}`,
    `t=${T},v1=zz`,
    `t=abc,v1=${'0'.repeat(64)}`,
    `t=${T},v2=${'0'.repeat(64)}`,
    'x'.repeat(5000),
  ])('say false, never throw, for a malformed header %#', (header) => {
    expect(verifyWebhookSignature(SECRET, header, BODY, 300, NOW)).toBe(false)
  })

  it('round-trip for any secret and body, and fail for any other body (1,000 cases)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.string(),
        fc.string(),
        fc.integer({ min: 0, max: 4_000_000_000 }),
        (secret, body, other, t) => {
          const header = signWebhook(secret, body, t)
          expect(verifyWebhookSignature(secret, header, body, 60, t * 1000)).toBe(true)
          if (other !== body) {
            expect(verifyWebhookSignature(secret, header, other, 60, t * 1000)).toBe(false)
          }
        },
      ),
      { numRuns: 1000 },
    )
  })
})
