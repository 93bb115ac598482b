// A rollback is one transaction: the rolled-back revision, its release, their audit events and
// the webhook deliveries commit together or not at all, on every engine.
import { expect, it } from 'vitest'
import { mergeDocument, serializeDocument } from '../../src/core/dotenv/index.ts'
import { AppError } from '../../src/core/errors.ts'
import type { DocumentService } from '../../src/services/documents/document-service.ts'
import { createSettingsService } from '../../src/services/projects/settings-service.ts'
import { resolveEnvironment } from '../../src/services/projects/targets.ts'
import {
  createReleaseService,
  type ReleaseHooks,
} from '../../src/services/releases/release-service.ts'
import type { StoreTx } from '../../src/storage/store.ts'
import { forEachStore } from '../helpers/stores.ts'
import { canary, clock, createWorld, mergePlan, type World } from '../services/helpers/world.ts'

const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a failure')
    },
    (e: unknown) => e as AppError,
  )

/** The release service over `w`, with hooks that fail inside the transaction when armed. */
function releasesOf(w: World, documents: DocumentService = w.documents) {
  const seen = { inTx: 0, afterCommit: 0, failNext: false }
  const hooks: ReleaseHooks = {
    inTransaction: async (tx: StoreTx) => {
      seen.inTx++
      if (seen.failNext) {
        seen.failNext = false
        // By now the transaction holds the revision, its audit row and the release row.
        expect(
          await tx.releases.latest(w.workspaceId, w.production.environmentId ?? ''),
        ).toMatchObject({ number: 3 })
        throw new Error('webhook queue unavailable')
      }
    },
    afterCommit: () => void seen.afterCommit++,
  }
  const releases = createReleaseService({
    store: w.store,
    documents,
    keyring: w.keyring,
    clock,
    hooks,
  })
  return { releases, seen }
}

const targetOf = (w: World) =>
  resolveEnvironment(w.store, w.ctx, w.projectId, w.production.environmentId ?? '', 'write')

/** Revision head, releases, current release and rollback audit rows: what must not move. */
async function snapshot(w: World) {
  const env = await w.store.environments.get(w.workspaceId, w.production.environmentId ?? '')
  const releases = await w.store.releases.list(w.workspaceId, env?.id ?? '')
  const audit = await w.store.auditEvents.list(w.workspaceId, { limit: 1000 })
  return {
    revision: (await w.documents.read(w.production)).revision,
    releases: releases.map((r) => [r.number, r.status]),
    current: env?.currentReleaseId,
    rollbacks: audit.filter((a) => a.action === 'release.rollback').length,
    releaseEvents: audit.filter((a) => a.action === 'release.create').length,
  }
}

forEachStore('rollback atomicity', (db) => {
  async function setUp() {
    const w = await createWorld(db().store)
    const { releases, seen } = releasesOf(w)
    const target = await targetOf(w)
    const secret = canary('DB')
    await w.documents.commit(w.shared, w.ctx, mergePlan({ REGION: 'eu-west' }))
    await w.documents.commit(
      w.production,
      w.ctx,
      mergePlan(
        { HOST: 'a.example', DB_PASSWORD: secret, URL: 'https://${{HOST}}/${{project.REGION}}' },
        { DB_PASSWORD: 'secret' },
      ),
    )
    await releases.create(target, w.ctx)
    await w.documents.commit(
      w.production,
      w.ctx,
      mergePlan({ HOST: 'b.example', DB_PASSWORD: 'rotated-0000000000', EXTRA: 'x' }),
    )
    await releases.create(target, w.ctx)
    return { w, releases, seen, target, secret }
  }

  it('restores the exact document of the release (text, values, kinds) and releases it', async () => {
    const { w, releases, seen, target, secret } = await setUp()
    const before = seen.inTx
    const row = await releases.rollback(target, w.ctx, '1')
    expect(row).toMatchObject({ number: 3, envRevision: 3, status: 'active' })
    expect(seen.inTx - before).toBe(1)
    const now = await w.documents.read(w.production)
    const old = await w.documents.readAt(w.production, 1)
    expect(now.revision).toBe(3)
    expect(serializeDocument(now.doc)).toBe(serializeDocument(old.doc))
    expect([...now.values]).toEqual([
      ['HOST', 'a.example'],
      ['DB_PASSWORD', secret],
      ['URL', 'https://${{HOST}}/${{project.REGION}}'],
    ])
    expect(now.meta.get('DB_PASSWORD')?.kind).toBe('secret')
    const { env } = await releases.resolvedEnv(target, w.ctx, row.id)
    expect(Object.fromEntries(env)).toMatchObject({
      HOST: 'a.example',
      DB_PASSWORD: secret,
      URL: 'https://a.example/eu-west',
    })
    expect(await snapshot(w)).toMatchObject({
      releases: [
        [3, 'active'],
        [2, 'superseded'],
        [1, 'superseded'],
      ],
      current: row.id,
      rollbacks: 1,
      releaseEvents: 3,
    })
  })

  it('a release step failing inside the transaction leaves no revision, release or audit row', async () => {
    const { w, releases, seen, target } = await setUp()
    const before = await snapshot(w)
    seen.failNext = true
    const err = await failure(releases.rollback(target, w.ctx, '1'))
    expect(err.message).toBe('webhook queue unavailable')
    expect(await snapshot(w)).toEqual(before)
    expect(before).toMatchObject({ revision: 2, rollbacks: 0 })
    expect((await w.documents.read(w.production)).values.get('HOST')).toBe('b.example')
    // Nothing was announced after a commit that did not happen; the next rollback works.
    const afterCommits = seen.afterCommit
    const row = await releases.rollback(target, w.ctx, '1')
    expect([row.number, row.envRevision, seen.afterCommit - afterCommits]).toEqual([3, 3, 1])
  })

  it('a shared variable removed after the request began fails the rollback and changes nothing', async () => {
    const { w, target } = await setUp()
    // The concurrent write lands between the rollback's reads and its transaction.
    let armed = true
    const racing: DocumentService = {
      ...w.documents,
      commit: async (scope, ctx, plan, opts) => {
        if (armed && scope.environmentId !== null) {
          armed = false
          await w.documents.commit(w.shared, w.ctx, (state) => ({
            doc: mergeDocument(state.doc, { delete: ['REGION'] }).doc,
            changedKeys: ['REGION'],
            audit: { action: 'vars.delete', keys: ['REGION'] },
            result: undefined,
          }))
        }
        return w.documents.commit(scope, ctx, plan, opts)
      },
    }
    const { releases } = releasesOf(w, racing)
    const before = await snapshot(w)
    const err = await failure(releases.rollback(target, w.ctx, '1'))
    expect(err.code).toBe('REFERENCE_ERROR')
    expect(err.errors).toEqual([
      { key: 'URL', message: 'references ${{project.REGION}}, which is not set in the project' },
    ])
    expect(await snapshot(w)).toEqual(before)
  })

  it('a required key added after the request began fails the rollback and changes nothing', async () => {
    const { w, releases, target } = await setUp()
    // `target` was resolved before the settings change, as a request's would be.
    await createSettingsService({ store: w.store, clock }).updateProject(w.ctx, w.projectId, {
      requiredKeys: ['EXTRA'],
    })
    const before = await snapshot(w)
    const err = await failure(releases.rollback(target, w.ctx, '1'))
    expect(err.code).toBe('REFERENCE_ERROR')
    expect(err.errors).toEqual([
      { key: 'EXTRA', message: 'EXTRA is required but not set in production' },
    ])
    expect(await snapshot(w)).toEqual(before)
  })
})
