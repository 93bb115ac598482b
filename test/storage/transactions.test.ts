import { expect, it } from 'vitest'
import { AppError, isAppError } from '../../src/core/errors.ts'
import { newId } from '../../src/core/ids.ts'
import type { Store, StoreTx } from '../../src/storage/store.ts'
import { forEachStore } from '../helpers/stores.ts'
import { expectFailure, revision, seed, T0, type Seeded } from './seed.ts'

// The read-head-append step a service runs for every document write.
async function lockAndAppend(tx: StoreTx, s: Seeded): Promise<number> {
  const env = await tx.environments.lockForUpdate(s.workspace.id, s.env.id)
  const next = env.headRevision + 1
  await tx.revisions.append(revision(s.scope, s.keyId, next))
  return next
}

async function numbers(store: Store, s: Seeded): Promise<number[]> {
  const list = await store.revisions.list(s.scope, { limit: 1000 })
  return list.map((r) => r.number).sort((a, b) => a - b)
}

forEachStore('transactions', (db) => {
  it('a callback that throws rolls back every write and rethrows the same error', async () => {
    const { store } = db()
    const s = await seed(store)
    const boom = new Error('boom')
    const wsId = newId('workspace')
    const result = store.transaction(async (tx) => {
      await tx.workspaces.create({ id: wsId, name: 'Gone', createdAt: T0 })
      await tx.revisions.append(revision(s.scope, s.keyId, 1))
      await tx.releases.create({
        id: newId('release'),
        workspaceId: s.workspace.id,
        projectId: s.project.id,
        environmentId: s.env.id,
        number: 1,
        envRevision: 1,
        projectRevision: 0,
        systemVars: {},
        deployId: 'd',
        authorId: 'a',
        status: 'pending',
        sealed: null,
        keyId: null,
        createdAt: T0,
      })
      throw boom
    })
    await expect(result).rejects.toBe(boom)
    expect(await store.workspaces.get(wsId)).toBeUndefined()
    expect(await store.revisions.latest(s.scope)).toBeUndefined()
    expect((await store.environments.get(s.workspace.id, s.env.id))?.headRevision).toBe(0)
    expect(await store.releases.latest(s.workspace.id, s.env.id)).toBeUndefined()
  })

  it('after a refused statement the transaction refuses everything and rolls back (both engines alike)', async () => {
    const { store } = db()
    const s = await seed(store)
    const wsId = newId('workspace')
    const result = store.transaction(async (tx) => {
      await tx.workspaces.create({ id: wsId, name: 'First', createdAt: T0 })
      const dup = await tx.workspaces
        .create({ id: wsId, name: 'Again', createdAt: T0 })
        .catch((e: unknown) => e)
      expect(dup).toMatchObject({ code: 'CONFLICT' })
      await tx.revisions.append(revision(s.scope, s.keyId, 1))
    })
    await expectFailure(result, 'INTERNAL', 'already failed')
    expect(await store.workspaces.get(wsId)).toBeUndefined()
    expect(await store.revisions.latest(s.scope)).toBeUndefined()
  })

  it('the outer store used inside its own transaction fails after busyTimeoutMs, never hangs', async () => {
    const t = db()
    const s = await seed(t.store)
    // One connection (SQLite always, PostgreSQL with a pool of 1): the transaction holds it.
    const store = await t.open({ poolSize: 1, busyTimeoutMs: 300 })
    const started = Date.now()
    const inner = await store.transaction(async () => {
      const read = await store.workspaces.get(s.workspace.id).catch((e: unknown) => e)
      const nested = await store.transaction(() => Promise.resolve(1)).catch((e: unknown) => e)
      return [read, nested].map((e) => (e as AppError).code)
    })
    expect(inner).toEqual(['UNAVAILABLE', 'UNAVAILABLE'])
    expect(Date.now() - started).toBeLessThan(3_000)
    expect((await store.workspaces.get(s.workspace.id))?.id).toBe(s.workspace.id)
  })

  it('a tx kept after its callback returned is refused', async () => {
    const { store } = db()
    const s = await seed(store)
    let kept: StoreTx | undefined
    await store.transaction((tx) => {
      kept = tx
      return Promise.resolve()
    })
    expect(() => kept?.revisions).toThrow(/transaction is over/)
    expect(await store.revisions.latest(s.scope)).toBeUndefined()
  })

  it('30 concurrent lock-read-append transactions all land as revisions 1..30', async () => {
    const { store } = db()
    const s = await seed(store)
    const acked = await Promise.all(
      Array.from({ length: 30 }, () => store.transaction((tx) => lockAndAppend(tx, s))),
    )
    const expected = Array.from({ length: 30 }, (_, i) => i + 1)
    expect([...acked].sort((a, b) => a - b)).toEqual(expected)
    expect(await numbers(store, s)).toEqual(expected)
    expect((await store.environments.get(s.workspace.id, s.env.id))?.headRevision).toBe(30)
  })

  it('without the lock, racing appends either land or get CONFLICT: nothing acknowledged is lost', async () => {
    const { store } = db()
    const s = await seed(store)
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () =>
        store
          .transaction(async (tx) => {
            const env = await tx.environments.get(s.workspace.id, s.env.id)
            await tx.revisions.append(revision(s.scope, s.keyId, (env?.headRevision ?? 0) + 1))
            return 'ok' as const
          })
          .catch((e: unknown) => (isAppError(e, 'CONFLICT') ? ('conflict' as const) : e)),
      ),
    )
    const ok = outcomes.filter((o) => o === 'ok').length
    expect(outcomes.every((o) => o === 'ok' || o === 'conflict')).toBe(true)
    expect(ok).toBeGreaterThan(0)
    expect(await numbers(store, s)).toEqual(Array.from({ length: ok }, (_, i) => i + 1))
  })

  it('a lock held by a failed transaction is released: the next writer proceeds', async () => {
    const { store } = db()
    const s = await seed(store)
    const failed = store.transaction(async (tx) => {
      await tx.environments.lockForUpdate(s.workspace.id, s.env.id)
      throw new AppError('BAD_REQUEST', 'nope')
    })
    await expect(failed).rejects.toMatchObject({ code: 'BAD_REQUEST' })
    expect(await store.transaction((tx) => lockAndAppend(tx, s))).toBe(1)
  })

  it('no error message, detail or meta carries a stored value', async () => {
    const { store } = db()
    const s = await seed(store)
    const canary = `canary-${newId('request')}`
    const member = {
      id: newId('member'),
      workspaceId: s.workspace.id,
      email: `${canary}@example.com`,
      name: canary,
      role: 'viewer' as const,
      disabled: false,
      createdAt: T0,
    }
    await store.transaction((tx) => tx.members.create(member))
    const errors = await Promise.all([
      store
        .transaction((tx) => tx.members.create({ ...member, id: newId('member') }))
        .catch((e: unknown) => e),
      store.transaction((tx) => tx.members.create(member)).catch((e: unknown) => e),
      store
        .transaction((tx) =>
          tx.members.create({ ...member, id: newId('member'), workspaceId: canary }),
        )
        .catch((e: unknown) => e),
    ])
    expect(errors.map((e) => (e as AppError).code)).toEqual(['CONFLICT', 'CONFLICT', 'NOT_FOUND'])
    for (const e of errors) {
      expect(e).toBeInstanceOf(AppError)
      const err = e as AppError
      const shown = JSON.stringify({
        m: err.message,
        e: err.errors,
        meta: err.meta,
        s: err.stack,
        c: err.cause,
      })
      expect(shown).not.toContain(canary)
    }
  })
})
