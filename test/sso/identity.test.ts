// Members are bound to the provider identity (issuer + subject), not to an email: an email
// changed at the provider keeps its member, an email reused by another subject reaches nobody,
// and a first login links an existing member only on a verified email.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { deviceLogin } from './helpers/device.ts'
import { startSsoWorld, type SsoWorld } from './helpers/tresor.ts'

let w: SsoWorld
beforeAll(async () => {
  w = await startSsoWorld()
  await w.configureSso()
  w.provider.deviceInterval = 1
}, 60_000)
afterAll(() => w?.close())

type Member = { id: string; email: string; role: string }
const members = async () => (await w.call('GET', '/v1/members')).body.members as Member[]
const whoami = async (session: string) =>
  (await w.call('GET', '/v1/whoami', undefined, session)).body as { memberId: string }
const lastFailure = async () =>
  (
    (await w.call('GET', '/v1/audit?action=auth.sso_failed')).body.events as Array<{
      detail: Record<string, unknown>
    }>
  )[0]?.detail

async function login(sub: string) {
  const { res } = await deviceLogin(w.call, sub)
  return res
}

it('binds the member to (issuer, subject): an email changed at the provider keeps its member', async () => {
  w.provider.users.set('sub-gina', { email: 'gina@example.com', groups: ['engineers'] })
  const first = await login('sub-gina')
  expect(first.status).toBe(200)
  const gina = await whoami(String(first.body.session))
  const rows = await w.store.sessions.getIdentity(
    (await w.store.workspaces.list())[0]!.id,
    w.provider.issuer,
    'sub-gina',
  )
  expect(rows).toMatchObject({ memberId: gina.memberId, email: 'gina@example.com' })
  w.provider.users.set('sub-gina', { email: 'gina.new@example.com', groups: ['engineers'] })
  const again = await login('sub-gina')
  expect(again.status).toBe(200)
  expect((await whoami(String(again.body.session))).memberId).toBe(gina.memberId)
  expect((await members()).filter((m) => m.email.startsWith('gina')).map((m) => m.email)).toEqual([
    'gina@example.com',
  ])
})

it('refuses another subject claiming a bound member’s email, even verified (no takeover, no new member)', async () => {
  // gina's old address, now handed to someone else at the provider.
  w.provider.users.set('sub-mallory', { email: 'Gina@Example.com', groups: ['tresor-admins'] })
  const before = await members()
  const res = await login('sub-mallory')
  expect([res.status, res.body.code]).toEqual([403, 'FORBIDDEN'])
  expect(res.body.detail).toBe(
    'single sign-on refused: email belongs to a member bound to another identity',
  )
  expect(res.text).not.toContain('tresor_ses_')
  expect(await members()).toEqual(before)
  expect(await lastFailure()).toMatchObject({
    reason: 'email belongs to a member bound to another identity',
    sub: 'sub-mallory',
  })
})

it('links an existing member on its first SSO login only when the email is verified', async () => {
  const created = await w.call('POST', '/v1/members', {
    email: 'hal@example.com',
    role: 'viewer',
  })
  expect(created.status).toBe(201)
  const halId = String(created.body.id)
  w.provider.users.set('sub-hal', { email: 'hal@example.com', groups: [], emailVerified: null })
  await w.configureSso({ defaultRole: 'viewer' })
  const unverified = await login('sub-hal')
  expect([unverified.status, unverified.body.detail]).toEqual([
    403,
    'single sign-on refused: email not verified: cannot link an existing member',
  ])
  w.provider.users.set('sub-hal', { email: 'hal@example.com', groups: [], emailVerified: true })
  const verified = await login('sub-hal')
  expect(verified.status).toBe(200)
  expect((await whoami(String(verified.body.session))).memberId).toBe(halId)
  const links = (await w.call('GET', '/v1/audit?action=member.sso_link')).body.events as Array<{
    detail: Record<string, unknown>
  }>
  expect(links[0]?.detail).toEqual({ memberId: halId, issuer: w.provider.issuer, sub: 'sub-hal' })
})
