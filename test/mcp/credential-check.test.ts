// The agent-side credential rules and the output filter, as pure functions: every shape found,
// ordinary config left alone, random strings caught at a measured rate, nothing secret let out.
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  credentialIn,
  redactCredentials,
  secretName,
  shannonEntropy,
} from '../../src/core/credentials.ts'
import { filterOutput } from '../../src/mcp/output-filter.ts'

const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
const b62 = (n: number) => Array.from(randomBytes(n), (b) => B62[b % 62]).join('')

// Values a deploy's config really holds; none may be taken for a credential.
const CONFIG = [
  'db.internal',
  'https://api.example.com/v1/callback',
  'production-eu-west-1',
  '550e8400-e29b-41d4-a716-446655440000',
  'ENABLE_FEATURE_FLAG_NEW_CHECKOUT',
  'redis://localhost:6379/0',
  'postgres://app@db.internal:5432/app',
  'postgres://app:${{project.DB_PASSWORD}}@db.internal:5432/app',
  '${{project.STRIPE_SECRET_KEY}}',
  'ghcr.io/acme/web-frontend:v1.2.3',
  'us-east-1a,us-east-1b,us-east-1c',
  'max-age=31536000; includeSubDomains',
  'TheQuickBrownFoxJumpsOverTheLazyDog',
  'v2.14.3-rc1+build.20240611',
  'arn:aws:iam::123456789012:role/AppRole2024',
  'pk_live_51H8aBcDeFgHiJkLmNoPqRsTuV',
  'sha256:a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4',
  '{"retries":3,"timeout":"30s"}',
  '0 */5 * * *',
  'https://o1.ingest.sentry.io/42',
  '',
  'true',
  '3000',
]

describe('credentialIn', () => {
  it.each([
    [`sk_live_${b62(24)}`, 'Stripe secret key'],
    [`rk_test_${b62(24)}`, 'Stripe secret key'],
    [`token ghs_${b62(36)} here`, 'GitHub token'],
    [`github_pat_${b62(22)}_${b62(59)}`, 'GitHub fine-grained token'],
    [`xoxp-1234-5678-${b62(20)}`, 'Slack token'],
    [`AKIA${b62(16).toUpperCase()}`, 'AWS access key id'],
    ['-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n-----END OPENSSH PRIVATE KEY-----', 'PEM'],
    ['-----BEGIN PGP PRIVATE KEY BLOCK-----', 'PEM'],
    [`tresor_svc_${b62(39)}`, 'Tresor token'],
    [`eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.${b62(40)}`, 'JSON Web Token'],
    [`sk-proj-${b62(48)}`, 'OpenAI/Anthropic'],
    [`AIza${b62(35)}`, 'Google API key'],
    [`glpat-${b62(20)}`, 'GitLab token'],
    [`npm_${b62(36)}`, 'npm token'],
    ['https://user:hunter2@example.com/', 'URL with a password'],
    // Fixed samples: a random draw misses the entropy rule now and then (rate measured below).
    ['Jq3vX9bLk2mN8pR4tY7wZ1cF6hS0dG5a', 'high entropy'],
    ['9f86d081884c7d659a2feaa0c55ad015', 'high entropy'],
  ])('finds %s (%s) and never quotes it', (value, why) => {
    const found = credentialIn(value)
    expect(found).toContain(why)
    expect(found).not.toContain(value.slice(-6))
  })

  it.each(CONFIG)('leaves config alone: %s', (value) => {
    expect(credentialIn(value)).toBeUndefined()
  })

  it('catches ≥ 99 % of random 32-char base62, 44-char base64 and 32-char hex secrets (2,000 each)', () => {
    const rate = (gen: () => string) => {
      let hits = 0
      for (let i = 0; i < 2000; i++) if (credentialIn(gen()) !== undefined) hits++
      return hits / 2000
    }
    const rates = {
      base62x32: rate(() => b62(32)),
      base64x44: rate(() => randomBytes(32).toString('base64')),
      hex32: rate(() => randomBytes(16).toString('hex')),
    }
    for (const r of Object.values(rates)) expect(r).toBeGreaterThanOrEqual(0.99)
  })

  it('measures entropy in bits per character', () => {
    expect(shannonEntropy('aaaa')).toBe(0)
    expect(shannonEntropy('abcd')).toBe(2)
    expect(shannonEntropy('0123456789abcdef')).toBe(4)
  })
})

describe('secretName', () => {
  it.each([
    ['DB_PASSWORD', 'x', true],
    ['JWT_SECRET', 'x', true],
    ['GITHUB_TOKEN', 'x', true],
    ['SENDGRID_API_KEY', 'x', true],
    ['AWS_SECRET_ACCESS_KEY', 'x', true],
    ['DB_PASSWORD', '${{project.DB_PASSWORD}}', false],
    ['DB_PASSWORD', '', false],
    ['TOKEN_TTL', '3600', false],
    ['PASSWORD_MIN_LENGTH', '12', false],
    ['NEXT_PUBLIC_FIREBASE_API_KEY', 'x', false],
    ['STRIPE_PUBLISHABLE_KEY', 'pk_live_x', false],
  ])('%s=%s → %s', (key, value, refused) => {
    expect(secretName(key, value) !== undefined).toBe(refused)
  })
})

describe('filterOutput', () => {
  it('drops previews, hides secret and credential-like values, redacts credential shapes anywhere', () => {
    const token = `ghp_${b62(36)}`
    const out = filterOutput({
      vars: [
        { key: 'A', kind: 'secret', preview: 'super***alue', value: 'super-secret-value' },
        { key: 'B', kind: 'config', value: 'plain' },
        { key: 'C', kind: 'config', value: 'Jq3vX9bLk2mN8pR4tY7wZ1cF6hS0dG5a' },
      ],
      note: `saw ${token} and postgres://u:pw1234@h/db`,
      n: 3,
      ok: true,
      none: null,
    })
    expect(out).toEqual({
      vars: [
        { key: 'A', kind: 'secret', valueHidden: 'secret values are never shown to agents' },
        { key: 'B', kind: 'config', value: 'plain' },
        { key: 'C', kind: 'config', valueHidden: 'looks like a credential; not shown to agents' },
      ],
      note: 'saw [redacted] and postgres://u:[redacted]@h/db',
      n: 3,
      ok: true,
      none: null,
    })
    expect(redactCredentials('postgres://u:${{project.PW}}@h/db')).toBe(
      'postgres://u:${{project.PW}}@h/db',
    )
  })
})
