import { randomBytes } from 'node:crypto'
import { expect, it } from 'vitest'
import { newId } from '../../src/core/ids.ts'
import type { NewRelease, NewToken } from '../../src/storage/store.ts'
import { forEachStore } from '../helpers/stores.ts'
import { seed, T0, type Seeded } from './seed.ts'

function release(s: Seeded, number: number, sealed: Buffer | null = null): NewRelease {
  return {
    id: newId('release'),
    workspaceId: s.workspace.id,
    projectId: s.project.id,
    environmentId: s.env.id,
    number,
    envRevision: number,
    projectRevision: 0,
    systemVars: { PORT: '3000', APP_ENV: 'production' },
    deployId: `dep_${number}`,
    authorId: 'tok_deployer',
    status: 'pending',
    sealed,
    keyId: sealed ? s.keyId : null,
    createdAt: T0,
  }
}

function token(s: Seeded, hash: Buffer = randomBytes(32)): NewToken {
  return {
    id: newId('token'),
    workspaceId: s.workspace.id,
    memberId: null,
    kind: 'svc',
    name: 'deploy bot',
    tokenHash: hash,
    scopes: ['read', 'deploy'],
    projectId: s.project.id,
    environmentIds: [s.env.id],
    expiresAt: '2026-01-01T00:00:00.000Z',
    createdAt: T0,
  }
}

forEachStore('releases and tokens', (db) => {
  it('releases: create, get, getByNumber, latest, list without snapshot, setStatus', async () => {
    const { store } = db()
    const s = await seed(store)
    const snap = randomBytes(100)
    const [r1, r2] = [release(s, 1), release(s, 2, snap)]
    await store.transaction(async (tx) => {
      await tx.releases.create(r1)
      await tx.releases.create(r2)
      await tx.releases.setStatus(s.workspace.id, r2.id, 'active')
    })
    expect(await store.releases.get(s.workspace.id, r1.id)).toEqual(r1)
    const latest = await store.releases.latest(s.workspace.id, s.env.id)
    expect(latest).toMatchObject({ id: r2.id, status: 'active', keyId: s.keyId })
    expect(Buffer.from(latest?.sealed ?? []).equals(snap)).toBe(true)
    expect((await store.releases.getByNumber(s.workspace.id, s.env.id, 1))?.id).toBe(r1.id)
    const list = await store.releases.list(s.workspace.id, s.env.id)
    expect(list.map((r) => r.number)).toEqual([2, 1])
    expect(list[0]).not.toHaveProperty('sealed')
    expect(await store.releases.list(s.workspace.id, s.env.id, { beforeNumber: 2 })).toHaveLength(1)
  })

  it('a release number is unique per environment: CONFLICT', async () => {
    const { store } = db()
    const s = await seed(store)
    await store.transaction((tx) => tx.releases.create(release(s, 1)))
    const dup = store.transaction((tx) => tx.releases.create(release(s, 1)))
    await expect(dup).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'this release number already exists for the environment',
    })
    const other = await seed(store, 'staging')
    await store.transaction((tx) => tx.releases.create(release(other, 1)))
    const missing = store.transaction((tx) =>
      tx.releases.setStatus(s.workspace.id, 'rel_x', 'failed'),
    )
    await expect(missing).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('tokens: create, getByHash (exact bytes), get, list, touch, revoke once', async () => {
    const { store } = db()
    const s = await seed(store)
    const hash = Buffer.concat([Buffer.from([0, 0]), randomBytes(30)])
    const t = token(s, hash)
    expect(await store.transaction((tx) => tx.tokens.create(t))).toEqual({
      ...t,
      revokedAt: null,
      lastUsedAt: null,
      agent: false,
    })
    const found = await store.tokens.getByHash(Buffer.from(hash))
    expect(found?.id).toBe(t.id)
    expect(Buffer.from(found?.tokenHash ?? []).equals(hash)).toBe(true)
    expect(
      await store.tokens.getByHash(Buffer.concat([hash.subarray(0, 31), Buffer.from([1])])),
    ).toBeUndefined()
    expect(
      (await store.tokens.list(s.workspace.id, { projectId: s.project.id })).map((x) => x.id),
    ).toEqual([t.id])
    expect(await store.tokens.list(s.workspace.id, { memberId: 'mem_other' })).toEqual([])
    await store.transaction((tx) => tx.tokens.touch(t.id, '2025-02-01T00:00:00.000Z'))
    const first = await store.transaction((tx) =>
      tx.tokens.revoke(s.workspace.id, t.id, '2025-03-01T00:00:00.000Z'),
    )
    const second = await store.transaction((tx) =>
      tx.tokens.revoke(s.workspace.id, t.id, '2025-04-01T00:00:00.000Z'),
    )
    expect(first).toMatchObject({
      revokedAt: '2025-03-01T00:00:00.000Z',
      lastUsedAt: '2025-02-01T00:00:00.000Z',
    })
    expect(second.revokedAt).toBe('2025-03-01T00:00:00.000Z')
  })

  it('a token hash is unique (CONFLICT); a foreign workspace sees no token', async () => {
    const { store } = db()
    const s = await seed(store)
    const other = await seed(store)
    const t = token(s)
    await store.transaction((tx) => tx.tokens.create(t))
    const dup = store.transaction((tx) => tx.tokens.create(token(other, t.tokenHash)))
    await expect(dup).rejects.toMatchObject({ code: 'CONFLICT', errors: [{ field: 'token_hash' }] })
    expect(await store.tokens.get(other.workspace.id, t.id)).toBeUndefined()
    const revoke = store.transaction((tx) => tx.tokens.revoke(other.workspace.id, t.id, T0))
    await expect(revoke).rejects.toMatchObject({ code: 'NOT_FOUND' })
    expect((await store.tokens.get(s.workspace.id, t.id))?.revokedAt).toBeNull()
  })

  it('a personal token with every environment (null) and a member round-trips', async () => {
    const { store } = db()
    const s = await seed(store)
    const memberId = newId('member')
    const t: NewToken = {
      ...token(s),
      kind: 'pat',
      memberId,
      projectId: null,
      environmentIds: null,
      expiresAt: null,
    }
    await store.transaction(async (tx) => {
      await tx.members.create({
        id: memberId,
        workspaceId: s.workspace.id,
        email: 'o@example.com',
        name: 'O',
        role: 'owner',
        disabled: false,
        createdAt: T0,
      })
      await tx.tokens.create(t)
    })
    expect(await store.tokens.get(s.workspace.id, t.id)).toEqual({
      ...t,
      revokedAt: null,
      lastUsedAt: null,
      agent: false,
    })
    expect((await store.tokens.list(s.workspace.id, { memberId })).map((x) => x.id)).toEqual([t.id])
  })
})
