import { expect, it } from 'vitest'
import { newId } from '../../src/core/ids.ts'
import type { NewEnvironment } from '../../src/storage/store.ts'
import { forEachStore } from '../helpers/stores.ts'
import { revision, seed, T0 } from './seed.ts'

function env(workspaceId: string, projectId: string, slug: string): NewEnvironment {
  return {
    id: newId('environment'),
    workspaceId,
    projectId,
    slug,
    parentId: null,
    expiresAt: null,
    autoDeploy: false,
    requiredKeys: [],
    createdAt: T0,
  }
}

forEachStore('projects and environments', (db) => {
  it('a project round-trips with its JSON required keys and starts at revision 0', async () => {
    const { store } = db()
    const s = await seed(store)
    expect(await store.projects.get(s.workspace.id, s.project.id)).toEqual({
      ...s.project,
      requiredKeys: [],
      headRevision: 0,
      deletedAt: null,
    })
    const updated = await store.transaction((tx) =>
      tx.projects.update(s.workspace.id, s.project.id, {
        name: 'App 2',
        requiredKeys: ['DB', 'K'],
      }),
    )
    expect(updated).toMatchObject({ name: 'App 2', requiredKeys: ['DB', 'K'] })
    expect(await store.projects.getBySlug(s.workspace.id, s.project.slug)).toEqual(updated)
  })

  it('a project slug is unique per workspace; soft delete hides the project and frees the slug', async () => {
    const { store } = db()
    const s = await seed(store)
    const again = { ...s.project, id: newId('project') }
    const dup = store.transaction((tx) => tx.projects.create(again))
    await expect(dup).rejects.toMatchObject({ code: 'CONFLICT', errors: [{ field: 'slug' }] })
    await store.transaction((tx) => tx.projects.softDelete(s.workspace.id, s.project.id, T0))
    expect(await store.projects.get(s.workspace.id, s.project.id)).toBeUndefined()
    expect(await store.projects.getBySlug(s.workspace.id, s.project.slug)).toBeUndefined()
    const dead = await store.projects.get(s.workspace.id, s.project.id, { includeDeleted: true })
    expect(dead?.deletedAt).toBe(T0)
    await store.transaction((tx) => tx.projects.create(again))
    expect((await store.projects.list(s.workspace.id)).map((p) => p.id)).toEqual([again.id])
    const twice = store.transaction((tx) =>
      tx.projects.softDelete(s.workspace.id, s.project.id, T0),
    )
    await expect(twice).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('environment slug is unique per project, not across projects', async () => {
    const { store } = db()
    const s = await seed(store)
    const dup = store.transaction((tx) =>
      tx.environments.create(env(s.workspace.id, s.project.id, s.env.slug)),
    )
    await expect(dup).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'an environment with this slug already exists in the project',
    })
    const other = await seed(store)
    expect(other.env.slug).toBe(s.env.slug)
    expect(await store.environments.getBySlug(s.workspace.id, s.project.id, 'production')).toEqual(
      s.env,
    )
  })

  it('an environment of an unknown project is NOT_FOUND', async () => {
    const { store } = db()
    const s = await seed(store)
    const bad = store.transaction((tx) =>
      tx.environments.create(env(s.workspace.id, 'prj_none', 'x')),
    )
    await expect(bad).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('previews: parent, TTL, listExpired, update and delete with cascade', async () => {
    const { store } = db()
    const s = await seed(store)
    const preview = { ...env(s.workspace.id, s.project.id, 'pr-42'), parentId: s.env.id }
    preview.expiresAt = '2025-01-03T00:00:00.000Z'
    await store.transaction(async (tx) => {
      await tx.environments.create(preview)
      await tx.revisions.append(revision({ ...s.scope, environmentId: preview.id }, s.keyId, 1))
    })
    const expired = await store.environments.listExpired('2025-01-03T00:00:00.000Z')
    expect(expired.map((e) => e.id)).toContain(preview.id)
    expect(
      (await store.environments.listExpired('2025-01-02T23:59:59.999Z')).map((e) => e.id),
    ).not.toContain(preview.id)
    const upd = await store.transaction((tx) =>
      tx.environments.update(s.workspace.id, preview.id, {
        autoDeploy: true,
        expiresAt: null,
        requiredKeys: ['A'],
      }),
    )
    expect(upd).toMatchObject({
      autoDeploy: true,
      expiresAt: null,
      requiredKeys: ['A'],
      headRevision: 1,
      parentId: s.env.id,
    })
    await store.transaction((tx) => tx.environments.delete(s.workspace.id, preview.id))
    expect(await store.environments.get(s.workspace.id, preview.id)).toBeUndefined()
    expect(await store.revisions.latest({ ...s.scope, environmentId: preview.id })).toBeUndefined()
    expect((await store.environments.list(s.workspace.id, s.project.id)).map((e) => e.id)).toEqual([
      s.env.id,
    ])
  })

  it('deleting a parent leaves its preview with no parent', async () => {
    const { store } = db()
    const s = await seed(store)
    const preview = { ...env(s.workspace.id, s.project.id, 'pr-1'), parentId: s.env.id }
    await store.transaction((tx) => tx.environments.create(preview))
    await store.transaction((tx) => tx.environments.delete(s.workspace.id, s.env.id))
    expect((await store.environments.get(s.workspace.id, preview.id))?.parentId).toBeNull()
  })

  it('lockForUpdate returns the row inside a transaction; unknown or foreign ids are NOT_FOUND', async () => {
    const { store } = db()
    const s = await seed(store)
    const other = await seed(store)
    const row = await store.transaction((tx) =>
      tx.environments.lockForUpdate(s.workspace.id, s.env.id),
    )
    expect(row).toEqual(s.env)
    const foreign = store.transaction((tx) =>
      tx.environments.lockForUpdate(other.workspace.id, s.env.id),
    )
    await expect(foreign).rejects.toMatchObject({ code: 'NOT_FOUND' })
    const proj = await store.transaction((tx) =>
      tx.projects.lockForUpdate(s.workspace.id, s.project.id),
    )
    expect(proj.id).toBe(s.project.id)
  })

  it('setCurrentRelease accepts only a release of the same environment', async () => {
    const { store } = db()
    const s = await seed(store)
    const other = await seed(store, 'staging')
    const release = {
      id: newId('release'),
      workspaceId: s.workspace.id,
      projectId: s.project.id,
      environmentId: s.env.id,
      number: 1,
      envRevision: 0,
      projectRevision: 0,
      systemVars: { PORT: '3000' },
      deployId: 'dep_1',
      authorId: 'mem_1',
      status: 'active' as const,
      sealed: null,
      keyId: null,
      createdAt: T0,
    }
    await store.transaction(async (tx) => {
      await tx.releases.create(release)
      await tx.environments.setCurrentRelease(s.workspace.id, s.env.id, release.id)
    })
    expect((await store.environments.get(s.workspace.id, s.env.id))?.currentReleaseId).toBe(
      release.id,
    )
    const wrong = store.transaction((tx) =>
      tx.environments.setCurrentRelease(other.workspace.id, other.env.id, release.id),
    )
    await expect(wrong).rejects.toMatchObject({ code: 'NOT_FOUND' })
    expect(
      (await store.environments.get(other.workspace.id, other.env.id))?.currentReleaseId,
    ).toBeNull()
  })
})
