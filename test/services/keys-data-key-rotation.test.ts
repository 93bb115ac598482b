import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isAppError } from '../../src/core/errors.ts'
import { newId } from '../../src/core/ids.ts'
import { openValue, sealValue } from '../../src/crypto/index.ts'
import { aadOf, createDocumentService } from '../../src/services/documents/document-service.ts'
import { rollDataKey } from '../../src/services/keys/data-key-rotation.ts'
import { createKeyService } from '../../src/services/keys/key-service.ts'
import { openIdpRefresh } from '../../src/services/sessions/idp-refresh-seal.ts'
import { clientSecretAad } from '../../src/services/sessions/oidc-client.ts'
import { createSessionService } from '../../src/services/sessions/session-service.ts'
import { createSsoConfig } from '../../src/services/sessions/sso-config.ts'
import { createWebhookService } from '../../src/services/webhooks/index.ts'
import { webhookAad } from '../../src/services/webhooks/webhook-rules.ts'
import type { DocumentScope } from '../../src/storage/store.ts'
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/stores.ts'
import { canary, clock, createWorld, keyringOf, mergePlan, type World } from './helpers/world.ts'

/** A release snapshot sealed as the release service seals one, under the current key. */
async function addRelease(w: World, scope: DocumentScope, env: Record<string, string>) {
  const id = newId('release')
  const key = await w.keyring.currentKey(w.workspaceId)
  const sealed = sealValue(key, JSON.stringify(env), aadOf(scope, id))
  await w.store.transaction((tx) =>
    tx.releases.create({
      ...{ id, workspaceId: w.workspaceId, projectId: w.projectId },
      ...{ environmentId: scope.environmentId ?? '', number: 1, envRevision: 1 },
      ...{ projectRevision: 0, systemVars: {}, deployId: 'dep_1', authorId: w.ctx.actor.id },
      ...{ status: 'active', sealed, keyId: key.keyId, createdAt: new Date().toISOString() },
    }),
  )
  return id
}

const keysOf = (w: World, batchSize = 2) =>
  createKeyService({ store: w.store, keyring: w.keyring, provider: w.provider, clock, batchSize })

async function sealedUnder(w: World, keyId: string) {
  const n = await w.store.revisions.countByKey(w.workspaceId, keyId)
  return n + (await w.store.releases.countByKey(w.workspaceId, keyId))
}

describe.each(ENGINES)('data-key rotation [%s]', { timeout: 20_000 }, (engine) => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await createTestDatabase(engine)
  })
  afterAll(async () => db.dispose())

  it('rolls to v2, re-seals every revision and release under it, and every value stays readable', async () => {
    const w = await createWorld(db.store)
    for (let i = 0; i < 3; i++) {
      await w.documents.commit(w.production, w.ctx, mergePlan({ [`P${i}`]: canary() }))
    }
    await w.documents.commit(w.shared, w.ctx, mergePlan({ S: canary() }))
    await w.documents.commit(w.staging, w.ctx, mergePlan({ T: canary() }, { T: 'secret' }))
    const snapshot = { P0: canary() }
    const releaseId = await addRelease(w, w.production, snapshot)
    const project = await w.store.projects.get(w.workspaceId, w.projectId)
    if (project === undefined) throw new Error('no project')
    const hooks = createWebhookService({ store: w.store, keyring: w.keyring, clock })
    const { webhook, secret } = await hooks.create(w.ctx, project, {
      url: 'https://hooks.example.test/tresor',
    })
    const before = await Promise.all([1, 2, 3].map((n) => w.documents.readAt(w.production, n)))
    const v1 = (await w.keyring.currentKey(w.workspaceId)).keyId

    const report = await keysOf(w).rotateDataKey(w.ctx)
    const v2 = report.keyId
    expect(v2).toBe(v1.replace(/:v1$/, ':v2'))
    expect(report).toEqual({
      ...{ workspaceId: w.workspaceId, keyId: v2, rotatedFrom: v1 },
      ...{ revisions: 5, releases: 1, webhooks: 1, sessions: 0, ssoClientSecret: 0, remaining: 0 },
    })
    expect(await sealedUnder(w, v1)).toBe(0)
    expect(await sealedUnder(w, v2)).toBe(6)
    expect(await w.store.webhooks.countByKey(w.workspaceId, v1)).toBe(0)
    const states = (await w.store.dataKeys.list(w.workspaceId)).map((k) => [k.id, k.state])
    expect(states).toEqual([
      [v1, 'retired'],
      [v2, 'current'],
    ])

    const cold = createDocumentService({
      store: w.store,
      keyring: keyringOf(w.store, w.provider),
      clock,
    })
    for (const [i, old] of before.entries()) {
      const now = await cold.readAt(w.production, i + 1)
      expect(Object.fromEntries(now.values)).toEqual(Object.fromEntries(old.values))
      expect(now.meta).toEqual(old.meta)
    }
    expect((await cold.read(w.staging)).meta.get('T')?.kind).toBe('secret')
    const release = await w.store.releases.get(w.workspaceId, releaseId)
    const key = await w.keyring.keyFor(w.workspaceId, v2)
    const opened = openValue(
      key,
      release?.sealed ?? Buffer.alloc(0),
      aadOf(w.production, releaseId),
    )
    expect(JSON.parse(opened.toString())).toEqual(snapshot)
    // The webhook's signing secret moved to v2 too and still opens (with its own AAD) to the
    // secret handed out at registration.
    const hook = await w.store.webhooks.get(w.workspaceId, webhook.id)
    expect(hook?.keyId).toBe(v2)
    const hookSecret = openValue(
      key,
      hook?.sealedSecret ?? Buffer.alloc(0),
      webhookAad({ ...w, id: webhook.id }),
    )
    expect(hookSecret.toString()).toBe(secret)
    const actions = (await w.store.auditEvents.list(w.workspaceId, { order: 'asc' })).map(
      (e) => e.action,
    )
    expect(actions.slice(-2)).toEqual(['keys.rotate_data_key', 'keys.reseal'])
  })

  it('re-seals the SSO client secret and SSO sessions’ IdP refresh tokens; both still open', async () => {
    const w = await createWorld(db.store)
    const clientSecret = canary('CLIENT_SECRET')
    await createSsoConfig({ store: w.store, keyring: w.keyring, clock }).put(
      w.ctx,
      {
        ...{ issuer: 'https://idp.example.test', clientId: 'tresor', clientSecret },
        ...{ allowedDomains: [], roleClaim: null, roleMap: {}, defaultRole: 'viewer' },
      },
      'https://tresor.example.test/v1/sso/callback',
    )
    const member = await w.store.members.get(w.workspaceId, w.ctx.actor.id)
    if (member === undefined) throw new Error('no member')
    const sessions = createSessionService({
      ...{ store: w.store, keyring: w.keyring, pepper: Buffer.alloc(32, 7), clock },
    })
    const refreshTokens = [canary('IDP_REFRESH'), canary('IDP_REFRESH')]
    const opened = []
    for (const refreshToken of refreshTokens)
      opened.push(
        await sessions.open({
          ...{ member, kind: 'sso', client: 'cli' },
          idp: { refreshToken, refreshAfterSeconds: 300 },
          audit: { action: 'auth.sso_login', detail: {} },
        }),
      )
    // An ended session keeps nothing sealed: there is nothing of it left to re-seal.
    const ended = await sessions.open({
      ...{ member, kind: 'sso', client: 'browser' },
      idp: { refreshToken: canary('IDP_REFRESH'), refreshAfterSeconds: 300 },
      audit: { action: 'auth.sso_login', detail: {} },
    })
    await sessions.end(ended.session, 'sign-out')
    const endedRow = await w.store.sessions.get(w.workspaceId, ended.session.id)
    expect([endedRow?.sealedIdpRefresh, endedRow?.keyId]).toEqual([null, null])
    const v1 = (await w.keyring.currentKey(w.workspaceId)).keyId
    expect(await w.store.sessions.countByKey(w.workspaceId, v1)).toBe(2)
    expect(await w.store.authSettings.countByKey(w.workspaceId, v1)).toBe(1)

    const report = await keysOf(w, 1).rotateDataKey(w.ctx)
    const v2 = report.keyId
    expect(report).toMatchObject({ sessions: 2, ssoClientSecret: 1, remaining: 0 })
    expect(await w.store.sessions.countByKey(w.workspaceId, v1)).toBe(0)
    expect(await w.store.authSettings.countByKey(w.workspaceId, v1)).toBe(0)
    expect((await keysOf(w).status(w.ctx)).keys.map((k) => [k.state, k.sealedRows])).toEqual([
      ['retired', 0],
      ['current', 2 + 1],
    ])
    // Opened by a keyring that never saw v1 in memory: the blobs are really under v2.
    const cold = keyringOf(w.store, w.provider)
    const settings = await w.store.authSettings.get(w.workspaceId)
    expect(settings?.ssoKeyId).toBe(v2)
    const secret = await cold.open(
      settings?.ssoSealedSecret ?? Buffer.alloc(0),
      clientSecretAad(w.workspaceId),
    )
    expect(secret.toString()).toBe(clientSecret)
    for (const [i, o] of opened.entries()) {
      const row = await w.store.sessions.get(w.workspaceId, o.session.id)
      expect(row?.keyId).toBe(v2)
      expect(await openIdpRefresh(cold, o.session, row?.sealedIdpRefresh ?? Buffer.alloc(0))).toBe(
        refreshTokens[i],
      )
    }
  })

  it('an interrupted rotation is finished by resumeOnly; the next rotation makes v3', async () => {
    const w = await createWorld(db.store)
    for (let i = 0; i < 5; i++)
      await w.documents.commit(w.production, w.ctx, mergePlan({ [`K${i}`]: `${i}` }))
    const v1 = (await w.keyring.currentKey(w.workspaceId)).keyId
    // The roll committed, then the process died before re-sealing anything.
    const { to: v2 } = await rollDataKey({ ...w, clock }, w.workspaceId)
    expect(await sealedUnder(w, v1)).toBe(5)
    const keys = keysOf(w)
    expect(await keys.rotateDataKey(w.ctx, { resumeOnly: true })).toMatchObject({
      ...{ keyId: v2, rotatedFrom: null, revisions: 5, webhooks: 0, remaining: 0 },
    })
    expect(await keys.rotateDataKey(w.ctx, { resumeOnly: true })).toMatchObject({ revisions: 0 })
    const third = await keys.rotateDataKey(w.ctx)
    expect([third.rotatedFrom, third.keyId, third.revisions]).toEqual([
      v2,
      v1.replace(/1$/, '3'),
      5,
    ])
    expect(
      Object.keys(Object.fromEntries((await w.documents.read(w.production)).values)),
    ).toHaveLength(5)
  })

  it('writes during a rotation all land; a replica with a stale current key follows the new key', async () => {
    const w = await createWorld(db.store)
    await w.documents.commit(w.production, w.ctx, mergePlan({ START: '1' }))
    // Another replica: its own keyring, trusting its cached current key id for a minute.
    const replica = createDocumentService({
      store: w.store,
      keyring: keyringOf(w.store, w.provider, 60_000),
      clock,
    })
    await replica.commit(w.production, w.ctx, mergePlan({ WARM: '1' }))
    const writer = (docs: typeof replica, prefix: string) => async () => {
      for (let i = 0; i < 10; i++)
        await docs.commit(w.production, w.ctx, mergePlan({ [`${prefix}${i}`]: `${i}` }))
    }
    const keys = keysOf(w)
    const [report] = await Promise.all([
      keys.rotateDataKey(w.ctx),
      writer(w.documents, 'A')(),
      writer(replica, 'B')(),
      writer(w.documents, 'C')(),
    ])
    const state = await w.documents.read(w.production)
    expect(state.revision).toBe(32)
    for (const p of ['A', 'B', 'C'])
      for (let i = 0; i < 10; i++) expect(state.values.get(`${p}${i}`)).toBe(`${i}`)
    // Whatever a writer sealed under v1 while the passes ran is moved by a re-run.
    await keys.rotateDataKey(w.ctx, { resumeOnly: true })
    expect(await sealedUnder(w, report.rotatedFrom ?? '')).toBe(0)
    await replica.commit(w.production, w.ctx, mergePlan({ AFTER: '1' }))
    expect((await w.store.revisions.latestSealed(w.production))?.keyId).toBe(report.keyId)
  })

  it('two rotations racing: one wins, the other is CONFLICT', async () => {
    const w = await createWorld(db.store)
    const deps = { ...w, clock }
    const out = await Promise.allSettled([
      rollDataKey(deps, w.workspaceId),
      rollDataKey(deps, w.workspaceId),
    ])
    expect(out.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected'])
    const err = out.find((o) => o.status === 'rejected')?.reason as unknown
    expect(isAppError(err, 'CONFLICT')).toBe(true)
    expect((await w.store.dataKeys.list(w.workspaceId)).map((k) => k.state)).toEqual([
      'retired',
      'current',
    ])
  })

  it('only admins rotate', async () => {
    const w = await createWorld(db.store)
    const developer = {
      actor: { ...w.ctx.actor, role: 'developer' as const, scopes: ['write' as const] },
    }
    const err = await keysOf(w)
      .rotateDataKey(developer)
      .catch((e: unknown) => e)
    expect(isAppError(err, 'FORBIDDEN')).toBe(true)
    expect(await w.store.dataKeys.list(w.workspaceId)).toHaveLength(1)
  })
})
