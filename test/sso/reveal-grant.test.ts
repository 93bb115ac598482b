// A developer reveals production secrets only when an owner or admin granted it to the member.
// A developer signed in through SSO holds the role's scopes (secrets:reveal among them) and may
// mint tokens with them; neither the session nor such a token reaches production without the
// grant, and taking the grant back takes effect on the next request.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { deviceLogin } from './helpers/device.ts'
import { startSsoWorld, type SsoWorld } from './helpers/tresor.ts'

let w: SsoWorld
let session: string
let devId: string
const PROD = '/v1/projects/grants/environments/production/vars'
const STAGING = '/v1/projects/grants/environments/staging/vars'
const PROD_VALUE = 'postgres://app:prod-pw-7f3a@db/app'
const STAGING_VALUE = 'postgres://app:staging-pw-91c2@db/app'

beforeAll(async () => {
  w = await startSsoWorld()
  await w.configureSso()
  w.provider.deviceInterval = 1
  expect((await w.call('POST', '/v1/projects', { slug: 'grants' })).status).toBe(201)
  for (const [url, value] of [
    [PROD, PROD_VALUE],
    [STAGING, STAGING_VALUE],
  ] as const) {
    const put = await w.call('PUT', url, { key: 'DB_URL', value, kind: 'secret' })
    expect(put.status).toBe(200)
  }
  w.provider.users.set('sub-dana', { email: 'dana@example.com', groups: ['engineers'] })
  const { res } = await deviceLogin(w.call, 'sub-dana')
  expect(res.status).toBe(200)
  session = String(res.body.session)
  const me = (await w.call('GET', '/v1/whoami', undefined, session)).body
  expect(me).toMatchObject({ role: 'developer', revealProduction: false })
  expect(me.scopes).toContain('secrets:reveal')
  devId = String(me.memberId)
}, 60_000)
afterAll(() => w?.close())

const reveal = (url: string, auth: string) => w.call('POST', `${url}/DB_URL/reveal`, {}, auth)
const grant = (revealProduction: boolean) =>
  w.call('PATCH', `/v1/members/${devId}`, { revealProduction })

it('an SSO developer reveals staging but not production, by session or by a token they mint', async () => {
  const staging = await reveal(STAGING, session)
  expect([staging.status, staging.body]).toEqual([200, { key: 'DB_URL', value: STAGING_VALUE }])
  const prod = await reveal(PROD, session)
  expect([prod.status, prod.body.code]).toEqual([403, 'FORBIDDEN'])
  expect(prod.text).not.toContain(PROD_VALUE)
  const minted = await w.call(
    'POST',
    '/v1/tokens',
    { name: 'mine', scopes: ['read', 'secrets:reveal'] },
    session,
  )
  expect(minted.status).toBe(201)
  const byToken = await reveal(PROD, String(minted.body.token))
  expect([byToken.status, byToken.body.code]).toEqual([403, 'FORBIDDEN'])
  // A developer cannot grant it to themselves: changing members is an admin's.
  const self = await w.call('PATCH', `/v1/members/${devId}`, { revealProduction: true }, session)
  expect([self.status, self.body.code]).toEqual([403, 'FORBIDDEN'])
  const members = (await w.call('GET', '/v1/members')).body.members as Array<{ id: string }>
  expect(members.find((m) => m.id === devId)).toMatchObject({ revealProduction: false })
})

it('with the grant the same session and token reveal production; taking it back refuses again', async () => {
  const minted = await w.call(
    'POST',
    '/v1/tokens',
    { name: 'granted', scopes: ['read', 'secrets:reveal'] },
    session,
  )
  const token = String(minted.body.token)
  const granted = await grant(true)
  expect([granted.status, granted.body]).toEqual([
    200,
    expect.objectContaining({ id: devId, role: 'developer', revealProduction: true }),
  ])
  for (const auth of [session, token]) {
    const res = await reveal(PROD, auth)
    expect([res.status, res.body]).toEqual([200, { key: 'DB_URL', value: PROD_VALUE }])
  }
  expect((await w.call('GET', '/v1/whoami', undefined, session)).body.revealProduction).toBe(true)
  // The grant does not stand in for the scope: a read-only token of the granted member.
  const readOnly = await w.call('POST', '/v1/tokens', { name: 'ro', scopes: ['read'] }, session)
  const noScope = await reveal(PROD, String(readOnly.body.token))
  expect([noScope.status, noScope.body.code]).toEqual([403, 'FORBIDDEN'])

  expect((await grant(false)).body.revealProduction).toBe(false)
  for (const auth of [session, token]) {
    const res = await reveal(PROD, auth)
    expect([res.status, res.body.code]).toEqual([403, 'FORBIDDEN'])
  }
  const audit = (await w.call('GET', '/v1/audit?action=member.update')).body.events as Array<{
    detail: Record<string, unknown>
  }>
  expect(audit.slice(0, 2).map((e) => [e.detail.memberId, e.detail.revealProduction])).toEqual([
    [devId, false],
    [devId, true],
  ])
})
