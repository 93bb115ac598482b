import { expect, it } from 'vitest'
import { newId } from '../../src/core/ids.ts'
import type { NewMember } from '../../src/storage/store.ts'
import { forEachStore } from '../helpers/stores.ts'
import { T0 } from './seed.ts'

function member(workspaceId: string, email: string): NewMember {
  return {
    id: newId('member'),
    workspaceId,
    email,
    name: 'Ada',
    role: 'developer',
    disabled: false,
    createdAt: T0,
  }
}

forEachStore('workspaces and members', (db) => {
  it('creates, gets, lists, counts and renames a workspace', async () => {
    const { store } = db()
    const before = await store.workspaces.count()
    const id = newId('workspace')
    const created = await store.transaction((tx) =>
      tx.workspaces.create({ id, name: 'Acme', createdAt: T0 }),
    )
    expect(created).toEqual({ id, name: 'Acme', createdAt: T0, auditSeq: 0, auditHash: null })
    expect(await store.workspaces.get(id)).toEqual(created)
    expect(await store.workspaces.count()).toBe(before + 1)
    expect((await store.workspaces.list()).map((w) => w.id)).toContain(id)
    const renamed = await store.transaction((tx) => tx.workspaces.rename(id, 'Acme Inc'))
    expect(renamed.name).toBe('Acme Inc')
    expect((await store.workspaces.get(id))?.name).toBe('Acme Inc')
  })

  it('a duplicate workspace id is CONFLICT; an unknown one is undefined or NOT_FOUND', async () => {
    const { store } = db()
    const id = newId('workspace')
    await store.transaction((tx) => tx.workspaces.create({ id, name: 'A', createdAt: T0 }))
    const dup = store.transaction((tx) => tx.workspaces.create({ id, name: 'B', createdAt: T0 }))
    await expect(dup).rejects.toMatchObject({ code: 'CONFLICT', errors: [{ field: 'id' }] })
    expect((await store.workspaces.get(id))?.name).toBe('A')
    expect(await store.workspaces.get('wsp_unknown')).toBeUndefined()
    const rename = store.transaction((tx) => tx.workspaces.rename('wsp_unknown', 'x'))
    await expect(rename).rejects.toMatchObject({ code: 'NOT_FOUND' })
    const lock = store.transaction((tx) => tx.workspaces.lockAuditHead('wsp_unknown'))
    await expect(lock).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('members: create, get, getByEmail, list, update', async () => {
    const { store } = db()
    const ws = newId('workspace')
    // A member starts without the grant to reveal production secrets unless given it.
    const given = member(ws, 'ada@example.com')
    const ada = { ...given, revealProduction: false }
    const trusted = { ...member(ws, 'bo@example.com'), revealProduction: true }
    await store.transaction(async (tx) => {
      await tx.workspaces.create({ id: ws, name: 'W', createdAt: T0 })
      expect(await tx.members.create(given)).toEqual(ada)
      expect(await tx.members.create(trusted)).toEqual(trusted)
    })
    expect(await store.members.get(ws, ada.id)).toEqual(ada)
    expect(await store.members.getByEmail(ws, 'ada@example.com')).toEqual(ada)
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id)
    expect((await store.members.list(ws)).sort(byId)).toEqual([ada, trusted].sort(byId))
    const updated = await store.transaction((tx) =>
      tx.members.update(ws, ada.id, { role: 'admin', disabled: true, revealProduction: true }),
    )
    expect(updated).toEqual({ ...ada, role: 'admin', disabled: true, revealProduction: true })
    const same = await store.transaction((tx) => tx.members.update(ws, ada.id, {}))
    expect(same).toEqual(updated)
    const ungranted = await store.transaction((tx) =>
      tx.members.update(ws, trusted.id, { revealProduction: false }),
    )
    expect(await store.members.get(ws, trusted.id)).toEqual({
      ...trusted,
      revealProduction: false,
    })
    expect(ungranted.revealProduction).toBe(false)
  })

  it('member email is unique per workspace (CONFLICT naming the field), not across them', async () => {
    const { store } = db()
    const [a, b] = [newId('workspace'), newId('workspace')]
    await store.transaction(async (tx) => {
      await tx.workspaces.create({ id: a, name: 'A', createdAt: T0 })
      await tx.workspaces.create({ id: b, name: 'B', createdAt: T0 })
      await tx.members.create(member(a, 'x@example.com'))
      await tx.members.create(member(b, 'x@example.com'))
    })
    const dup = store.transaction((tx) => tx.members.create(member(a, 'x@example.com')))
    await expect(dup).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'a member with this email already exists in the workspace',
      errors: [{ field: 'email' }],
    })
    expect(await store.members.list(a)).toHaveLength(1)
  })

  it('a member of an unknown workspace is NOT_FOUND (foreign key)', async () => {
    const { store } = db()
    const bad = store.transaction((tx) => tx.members.create(member('wsp_nowhere', 'y@example.com')))
    await expect(bad).rejects.toMatchObject({ code: 'NOT_FOUND' })
    expect(await store.members.list('wsp_nowhere')).toEqual([])
  })

  it('another workspace cannot read or update a member', async () => {
    const { store } = db()
    const [a, b] = [newId('workspace'), newId('workspace')]
    const m = member(a, 'z@example.com')
    await store.transaction(async (tx) => {
      await tx.workspaces.create({ id: a, name: 'A', createdAt: T0 })
      await tx.workspaces.create({ id: b, name: 'B', createdAt: T0 })
      await tx.members.create(m)
    })
    expect(await store.members.get(b, m.id)).toBeUndefined()
    const upd = store.transaction((tx) => tx.members.update(b, m.id, { role: 'owner' }))
    await expect(upd).rejects.toMatchObject({ code: 'NOT_FOUND' })
    expect((await store.members.get(a, m.id))?.role).toBe('developer')
  })
})
