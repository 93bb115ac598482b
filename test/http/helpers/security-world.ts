// The world the security suite attacks: a project holding one secret everywhere (environments,
// shared document, a release), and a token of every kind the suite needs.
import { ok, type AppUnderTest } from './app.ts'
import { addWorkspace, canaryValue, mintToken, newProject, type TestProject } from './fixtures.ts'
import type { Ids } from './route-samples.ts'

export interface World {
  secret: string
  p: TestProject
  /** Another project of the same workspace (outside the restricted token's reach). */
  q: TestProject
  /** The owner's sweep target: same content as p, may be changed and destroyed. */
  r: TestProject
  ids: Ids
  sweepIds: Ids
  tokens: Record<'readOnly' | 'restricted' | 'expired' | 'revoked' | 'other', string>
  /** Ids and slugs of workspace A that another workspace must never see. */
  identifiers: string[]
}

type Made = Pick<Ids, 'secretRequestId' | 'webhookId' | 'deliveryId'>

/** Fills `p` with the secret everywhere, a webhook, a release and a secret request. */
async function fill(t: AppUnderTest, p: TestProject, secret: string): Promise<Made> {
  for (const env of ['staging', 'production']) {
    const vars = `/v1/projects/${p.slug}/environments/${env}/vars`
    await ok(t, 'PUT', vars, { body: { key: 'SECRET_KEY', value: secret } })
    await ok(t, 'PUT', vars, { body: { key: 'MODE', value: 'live', kind: 'config' } })
  }
  await ok(t, 'PUT', `/v1/projects/${p.slug}/vars`, { body: { key: 'SECRET_KEY', value: secret } })
  const hooks = `/v1/projects/${p.slug}/webhooks`
  const hook = await ok<{ id: string }>(t, 'POST', hooks, {
    body: { url: 'http://127.0.0.1:9/hook' },
    status: 201,
  })
  const prod = `/v1/projects/${p.slug}/environments/production`
  await ok(t, 'POST', `${prod}/releases`, { body: {}, status: 201 })
  const request = await ok<{ id: string }>(t, 'POST', `${prod}/secret-requests`, {
    body: { key: 'ASKED' },
    status: 201,
  })
  const sent = await ok<{ deliveries: { id: string }[] }>(
    t,
    'GET',
    `${hooks}/${hook.id}/deliveries`,
  )
  return {
    secretRequestId: request.id,
    webhookId: hook.id,
    deliveryId: sent.deliveries[0]?.id ?? '',
  }
}

/** Builds the world through the API (and the second workspace through the store). */
export async function buildWorld(t: AppUnderTest): Promise<World> {
  const secret = canaryValue(48)
  const [p, q, r] = [
    await newProject(t, 'sec-p'),
    await newProject(t, 'sec-q'),
    await newProject(t, 'sec-r'),
  ]
  const made: Made[] = []
  for (const x of [p, q, r]) made.push(await fill(t, x, secret))
  const dev = await ok<{ id: string }>(t, 'POST', '/v1/members', {
    body: { email: 'dev@sec.example', role: 'developer' },
    status: 201,
  })
  const victim = await mintToken(t, { name: 'victim', scopes: ['read'] })
  const readOnly = await mintToken(t, { scopes: ['read'] })
  const restricted = await mintToken(t, {
    scopes: ['read', 'write', 'secrets:reveal', 'deploy'],
    project: p.slug,
    environments: ['staging'],
  })
  const expired = await mintToken(t, { scopes: ['read', 'write'], ttl: '1h' })
  const revoked = await mintToken(t, { scopes: ['read', 'write'] })
  await ok(t, 'DELETE', `/v1/tokens/${revoked.id}`)
  const other = await addWorkspace(t)
  const who = await ok<{ workspaceId: string; memberId: string; tokenId: string }>(
    t,
    'GET',
    '/v1/whoami',
  )
  const base = { key: 'SECRET_KEY', tokenId: victim.id, memberId: dev.id, release: '1' }
  return {
    secret,
    p,
    q,
    r,
    ids: { ...base, ...(made[0] as Made), project: p.id, env: p.envs['production'] ?? '' },
    sweepIds: { ...base, ...(made[2] as Made), project: r.id, env: r.envs['production'] ?? '' },
    tokens: {
      readOnly: readOnly.token,
      restricted: restricted.token,
      expired: expired.token,
      revoked: revoked.token,
      other: other.token,
    },
    identifiers: [
      p.id,
      p.slug,
      ...Object.values(p.envs),
      who.workspaceId,
      who.memberId,
      who.tokenId,
      dev.id,
      victim.id,
    ],
  }
}
