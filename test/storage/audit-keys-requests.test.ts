import { createHash, randomBytes } from 'node:crypto'
import { expect, it } from 'vitest'
import { newId } from '../../src/core/ids.ts'
import type {
  AuditHead,
  NewAuditEvent,
  NewSecretRequest,
  StoreTx,
} from '../../src/storage/store.ts'
import { forEachStore } from '../helpers/stores.ts'
import { expectFailure, seed, T0, type Seeded } from './seed.ts'

function event(s: Seeded, head: AuditHead, at = T0): NewAuditEvent {
  const seq = head.seq + 1
  const hash = createHash('sha256')
    .update(`${head.hash ?? ''}|${seq}`)
    .digest('hex')
  return {
    id: newId('audit'),
    workspaceId: s.workspace.id,
    seq,
    at,
    actorId: 'mem_1',
    actorKind: 'member',
    action: 'vars.set',
    projectId: s.project.id,
    environmentId: s.env.id,
    keys: ['DATABASE_URL'],
    outcome: 'success',
    ip: '127.0.0.1',
    requestId: 'req_1',
    detail: { count: 1, replace: false, kinds: ['secret'] },
    prevHash: head.hash,
    hash,
  }
}

async function appendNext(tx: StoreTx, s: Seeded, at?: string): Promise<NewAuditEvent> {
  const head = await tx.workspaces.lockAuditHead(s.workspace.id)
  const e = event(s, head, at)
  await tx.auditEvents.append(e)
  return e
}

function request(s: Seeded, expiresAt: string): NewSecretRequest {
  return {
    id: newId('secretRequest'),
    workspaceId: s.workspace.id,
    projectId: s.project.id,
    environmentId: s.env.id,
    key: 'STRIPE_KEY',
    description: 'live key',
    tokenHash: randomBytes(32),
    createdBy: 'tok_agent',
    expiresAt,
    createdAt: T0,
  }
}

forEachStore('audit events, data keys and secret requests', (db) => {
  it('audit append chains seq and hash and moves the workspace head', async () => {
    const { store } = db()
    const s = await seed(store)
    const e1 = await store.transaction((tx) => appendNext(tx, s, '2025-01-01T00:00:01.000Z'))
    const e2 = await store.transaction((tx) => appendNext(tx, s, '2025-01-01T00:00:02.000Z'))
    expect(e2).toMatchObject({ seq: 2, prevHash: e1.hash })
    expect(await store.auditEvents.head(s.workspace.id)).toEqual({ seq: 2, hash: e2.hash })
    expect(await store.auditEvents.list(s.workspace.id)).toEqual([e2, e1])
    expect(await store.auditEvents.list(s.workspace.id, { order: 'asc', afterSeq: 1 })).toEqual([
      e2,
    ])
    const since = await store.auditEvents.list(s.workspace.id, {
      since: '2025-01-01T00:00:02.000Z',
    })
    expect(since.map((e) => e.seq)).toEqual([2])
    expect(await store.auditEvents.list(s.workspace.id, { environmentId: 'env_other' })).toEqual([])
    expect(await store.auditEvents.list(s.workspace.id, { limit: 1, beforeSeq: 2 })).toEqual([e1])
  })

  it('an audit event that is not head + 1 is CONFLICT and writes nothing', async () => {
    const { store } = db()
    const s = await seed(store)
    const e1 = await store.transaction((tx) => appendNext(tx, s))
    const stale = { ...event(s, { seq: 0, hash: null }), id: newId('audit') }
    const err = store.transaction((tx) => tx.auditEvents.append(stale))
    await expect(err).rejects.toMatchObject({ code: 'CONFLICT', meta: { head: 1 } })
    expect(await store.auditEvents.list(s.workspace.id)).toEqual([e1])
    expect(await store.auditEvents.head(s.workspace.id)).toEqual({ seq: 1, hash: e1.hash })
  })

  it('data keys: one current key per workspace, rotation in one transaction, rewrap', async () => {
    const { store } = db()
    const s = await seed(store)
    expect(await store.dataKeys.loadCurrentKeyId(s.workspace.id)).toBe(s.keyId)
    const v2 = {
      id: newId('dataKey'),
      workspaceId: s.workspace.id,
      version: 2,
      wrappedKey: randomBytes(60),
      rootKeyId: 'root-file',
      state: 'current' as const,
      createdAt: T0,
    }
    const twoCurrent = store.transaction((tx) => tx.dataKeys.create(v2))
    await expectFailure(twoCurrent, 'CONFLICT', 'current data key')
    await store.transaction(async (tx) => {
      await tx.dataKeys.retire(s.workspace.id, s.keyId)
      await tx.dataKeys.create(v2)
    })
    expect(await store.dataKeys.loadCurrentKeyId(s.workspace.id)).toBe(v2.id)
    expect((await store.dataKeys.list(s.workspace.id)).map((k) => [k.version, k.state])).toEqual([
      [1, 'retired'],
      [2, 'current'],
    ])
    const rewrapped = randomBytes(61)
    await store.transaction((tx) => tx.dataKeys.rewrap(v2.id, rewrapped, 'root-kms'))
    const loaded = await store.dataKeys.loadWrappedKey(s.workspace.id, v2.id)
    expect(Buffer.from(loaded?.wrappedKey ?? []).equals(rewrapped)).toBe(true)
    expect((await store.dataKeys.listByRootKey('root-kms')).map((k) => k.id)).toEqual([v2.id])
    const sameVersion = store.transaction((tx) =>
      tx.dataKeys.create({ ...v2, id: newId('dataKey'), state: 'retired' }),
    )
    await expectFailure(sameVersion, 'CONFLICT', 'version')
    expect(await store.dataKeys.loadWrappedKey(s.workspace.id, 'dk_none')).toBeUndefined()
    const other = await seed(store)
    expect(await store.dataKeys.loadWrappedKey(other.workspace.id, v2.id)).toBeUndefined()
  })

  it('a secret request is fulfilled exactly once, and never after it expires', async () => {
    const { store } = db()
    const s = await seed(store)
    const live = request(s, '2025-06-01T00:00:00.000Z')
    const old = request(s, '2025-01-01T00:00:00.000Z')
    await store.transaction(async (tx) => {
      await tx.secretRequests.create(live)
      await tx.secretRequests.create(old)
    })
    expect(await store.secretRequests.getByTokenHash(live.tokenHash)).toEqual({
      ...live,
      fulfilledAt: null,
    })
    const at = '2025-05-01T00:00:00.000Z'
    const results = await Promise.all(
      [1, 2, 3].map(() => store.transaction((tx) => tx.secretRequests.fulfill(live.id, at))),
    )
    expect(results.filter(Boolean)).toHaveLength(1)
    expect((await store.secretRequests.get(s.workspace.id, live.id))?.fulfilledAt).toBe(at)
    expect(await store.transaction((tx) => tx.secretRequests.fulfill(old.id, at))).toBe(false)
    expect(
      (await store.secretRequests.list(s.workspace.id, { environmentId: s.env.id })).length,
    ).toBe(2)
    const dup = store.transaction((tx) =>
      tx.secretRequests.create({ ...request(s, at), tokenHash: live.tokenHash }),
    )
    await expect(dup).rejects.toMatchObject({ code: 'CONFLICT' })
  })
})
