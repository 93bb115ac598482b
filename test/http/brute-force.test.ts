// Brute force against the real app: repeated bad tokens from one address are answered 429 with
// Retry-After (before any token is looked at), other addresses are unaffected, and the address
// may try again once its failures leave the window.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startApp, type AppUnderTest } from './helpers/app.ts'
import { expectProblem } from './helpers/fixtures.ts'

let t: AppUnderTest
beforeAll(async () => {
  t = await startApp({ maxFailures: 5, logLevel: 'silent' })
})
afterAll(async () => {
  await t.close()
})

const attempt = (token: string, remoteAddress = '203.0.113.7') =>
  t.app.inject({
    url: '/v1/projects',
    remoteAddress,
    headers: { authorization: `Bearer ${token}` },
  })

it('slows an address down after repeated bad tokens: 429 with Retry-After, even for a good token', async () => {
  for (let i = 0; i < 5; i++) {
    expectProblem(await attempt(`tresor_pat_guess${i}`), 401, 'UNAUTHENTICATED')
  }
  const limited = await attempt('tresor_pat_guess5')
  const problem = expectProblem(limited, 429, 'RATE_LIMITED')
  expect(limited.headers['retry-after']).toBe('60')
  expect(problem).toMatchObject({
    detail: 'Too many failed authentications from this address; retry later',
    retryAfter: 60,
  })
  // Refused before the token is checked: a correct guess now would teach the attacker nothing.
  expectProblem(await attempt(t.ownerToken), 429, 'RATE_LIMITED')
  // Another address is not affected.
  expect((await attempt(t.ownerToken, '198.51.100.2')).statusCode).toBe(200)
})

it('counts down Retry-After and lets the address in once its failures leave the window', async () => {
  t.limiterClock.now += 45_000
  const later = await attempt(t.ownerToken)
  expect([later.statusCode, later.headers['retry-after']]).toEqual([429, '15'])
  t.limiterClock.now += 15_001
  expect((await attempt(t.ownerToken)).statusCode).toBe(200)
})

it('records each failed authentication in the audit log with its address, never the token', async () => {
  const rows = await t.sql(
    "select ip, detail from audit_events where action = 'auth.failed' order by seq",
  )
  expect(rows.map((r) => [r['ip'], JSON.parse(String(r['detail'])) as unknown])).toEqual(
    Array.from({ length: 5 }, () => ['203.0.113.7', { reason: 'unknown token' }]),
  )
  expect(JSON.stringify(rows)).not.toContain('guess')
})

it('counts bad session bearers (tresor_ses_…) like bad tokens', async () => {
  const from = '192.0.2.44'
  for (let i = 0; i < 5; i++) {
    const res = await attempt(`tresor_ses_${'x'.repeat(42)}${i}`, from)
    expectProblem(res, 401, 'UNAUTHENTICATED')
  }
  expectProblem(await attempt(`tresor_ses_${'y'.repeat(43)}`, from), 429, 'RATE_LIMITED')
  expectProblem(await attempt(t.ownerToken, from), 429, 'RATE_LIMITED')
})
