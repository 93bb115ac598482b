import { expect, it } from 'vitest'
import { mergeDocument } from '../../src/core/dotenv/index.ts'
import { AppError, isAppError } from '../../src/core/errors.ts'
import { forEachStore } from '../helpers/stores.ts'
import { rawQuery } from './helpers/raw.ts'
import { createDocumentService } from '../../src/services/documents/document-service.ts'
import { createKeyService } from '../../src/services/keys/key-service.ts'
import { canary, clock, createWorld, keyringOf, mergePlan } from './helpers/world.ts'

const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as AppError,
  )

forEachStore('document service', (db) => {
  it('round-trips values, kinds and per-key stamps; readAt returns older revisions', async () => {
    const w = await createWorld(db().store)
    const secret = canary()
    const first = await w.documents.commit(
      w.production,
      w.ctx,
      mergePlan({ API_URL: 'https://api.example', TOKEN: secret }, { TOKEN: 'secret' }),
    )
    expect(first).toMatchObject({ changed: true, state: { revision: 1 } })
    await w.documents.commit(w.production, w.ctx, mergePlan({ API_URL: 'https://v2.example' }))
    const now = await w.documents.read(w.production)
    expect(now.revision).toBe(2)
    expect([...now.values]).toEqual([
      ['API_URL', 'https://v2.example'],
      ['TOKEN', secret],
    ])
    expect(now.meta.get('TOKEN')).toEqual({
      kind: 'secret',
      updatedAt: first.state.updatedAt,
      updatedBy: w.ctx.actor.id,
    })
    expect(now.meta.get('API_URL')?.kind).toBe('config')
    const old = await w.documents.readAt(w.production, 1)
    expect(old.values.get('API_URL')).toBe('https://api.example')
    expect((await w.documents.read(w.staging)).revision).toBe(0)
  })

  it('keeps the shared document apart, sealed to the shared marker', async () => {
    const w = await createWorld(db().store)
    await w.documents.commit(w.shared, w.ctx, mergePlan({ REGION: 'eu' }))
    expect((await w.documents.read(w.shared)).values.get('REGION')).toBe('eu')
    expect((await w.documents.read(w.production)).values.size).toBe(0)
  })

  it('revision metadata holds names, kinds and changed keys, never a value', async () => {
    const w = await createWorld(db().store)
    const [config, secret] = [canary(), canary()]
    await w.documents.commit(w.production, w.ctx, mergePlan({ A: config }))
    await w.documents.commit(w.production, w.ctx, mergePlan({ B: secret }, { B: 'secret' }))
    const metas = await w.store.revisions.list(w.production)
    expect(metas.map((m) => [m.number, m.changedKeys, m.keyIndex])).toEqual([
      [
        2,
        ['B'],
        [
          { key: 'A', kind: 'config' },
          { key: 'B', kind: 'secret' },
        ],
      ],
      [1, ['A'], [{ key: 'A', kind: 'config' }]],
    ])
    const row = await w.store.revisions.latest(w.production)
    const clear = JSON.stringify({ ...row, sealed: undefined })
    for (const value of [config, secret]) {
      expect(clear).not.toContain(value)
      expect(row?.sealed.includes(Buffer.from(value))).toBe(false)
    }
  })

  it('a stale base is PRECONDITION_FAILED with the current revision, and writes nothing', async () => {
    const w = await createWorld(db().store)
    await w.documents.commit(w.production, w.ctx, mergePlan({ A: '1' }))
    await w.documents.commit(w.production, w.ctx, mergePlan({ A: '2' }))
    const auditBefore = await w.store.auditEvents.head(w.workspaceId)
    const err = await failure(
      w.documents.commit(w.production, w.ctx, mergePlan({ A: '3' }), { baseRevision: 1 }),
    )
    expect(err).toMatchObject({ code: 'PRECONDITION_FAILED', meta: { currentRevision: 2 } })
    expect((await w.documents.read(w.production)).values.get('A')).toBe('2')
    expect((await w.store.revisions.list(w.production)).length).toBe(2)
    expect(await w.store.auditEvents.head(w.workspaceId)).toEqual(auditBefore)
    const ok = await w.documents.commit(w.production, w.ctx, mergePlan({ A: '3' }), {
      baseRevision: 2,
    })
    expect(ok.state.revision).toBe(3)
  })

  it('a merge without a base re-applies on the latest revision, keeping the other write', async () => {
    const w = await createWorld(db().store)
    await w.documents.commit(w.production, w.ctx, mergePlan({ A: '1' }))
    const seen = await w.documents.read(w.production)
    await w.documents.commit(w.production, w.ctx, mergePlan({ B: '2' }))
    const out = await w.documents.commit(w.production, w.ctx, mergePlan({ C: '3' }))
    expect(seen.revision).toBe(1)
    expect(out.state.revision).toBe(3)
    expect(Object.fromEntries(out.state.values)).toEqual({ A: '1', B: '2', C: '3' })
  })

  it('30 concurrent merges of distinct keys all land: 30 keys, 30 revisions', async () => {
    const w = await createWorld(db().store)
    const keys = Array.from({ length: 30 }, (_, i) => `KEY_${i}`)
    const outs = await Promise.all(
      keys.map((k) => w.documents.commit(w.production, w.ctx, mergePlan({ [k]: `v-${k}` }))),
    )
    expect(outs.map((o) => o.state.revision).sort((a, b) => a - b)).toEqual(
      keys.map((_, i) => i + 1),
    )
    const final = await w.documents.read(w.production)
    expect(final.revision).toBe(30)
    expect(Object.fromEntries(final.values)).toEqual(
      Object.fromEntries(keys.map((k) => [k, `v-${k}`])),
    )
    expect((await w.store.revisions.list(w.production)).length).toBe(30)
  })

  it('concurrent commits to different documents of one workspace all land (no deadlock)', async () => {
    const w = await createWorld(db().store)
    const burst = (scope: typeof w.production, prefix: string) =>
      Array.from({ length: 10 }, (_, i) =>
        w.documents.commit(scope, w.ctx, mergePlan({ [`${prefix}${i}`]: `${i}` })),
      )
    await Promise.all([
      ...burst(w.production, 'P'),
      ...burst(w.staging, 'S'),
      ...burst(w.shared, 'H'),
    ])
    for (const scope of [w.production, w.staging, w.shared]) {
      const state = await w.documents.read(scope)
      expect([state.revision, state.values.size]).toEqual([10, 10])
    }
    const head = await w.store.auditEvents.head(w.workspaceId)
    expect(head?.seq).toBe(31) // project.create + 30 commits, one chain without gaps
  })

  it('a ciphertext moved to another row fails to open with CRYPTO_ERROR', async () => {
    const w = await createWorld(db().store)
    await w.documents.commit(w.production, w.ctx, mergePlan({ A: canary() }))
    await w.documents.commit(w.production, w.ctx, mergePlan({ B: canary() }))
    await w.documents.commit(w.staging, w.ctx, mergePlan({ C: canary() }))
    const [r1, r2, s1] = await Promise.all([
      w.store.revisions.get(w.production, 1),
      w.store.revisions.get(w.production, 2),
      w.store.revisions.get(w.staging, 1),
    ])
    // Swap revisions 1 and 2 of production; copy staging's into production's revision 2 too.
    const set = 'update revisions set sealed = ? where id = ?'
    await rawQuery(db(), set, [r2?.sealed, r1?.id])
    await rawQuery(db(), set, [s1?.sealed, r2?.id])
    for (const read of [
      () => w.documents.read(w.production),
      () => w.documents.readAt(w.production, 1),
      () => w.documents.readAt(w.production, 2),
    ]) {
      const err = await failure(read())
      expect(isAppError(err, 'CRYPTO_ERROR')).toBe(true)
      expect(err?.message).toBe('ciphertext could not be opened')
    }
    expect((await w.documents.read(w.staging)).values.has('C')).toBe(true)
  })

  it('a cached head is used only while it is the head (another writer, a refused plan)', async () => {
    const w = await createWorld(db().store)
    const other = createDocumentService({ store: w.store, keyring: w.keyring, clock })
    await w.documents.commit(w.production, w.ctx, mergePlan({ A: '1' }))
    await other.commit(w.production, w.ctx, mergePlan({ B: '2' }))
    const out = await w.documents.commit(w.production, w.ctx, mergePlan({ C: '3' }))
    expect(out.state.revision).toBe(3)
    expect([...out.state.values]).toEqual([
      ['A', '1'],
      ['B', '2'],
      ['C', '3'],
    ])
    const stale = await failure(
      w.documents.commit(w.production, w.ctx, mergePlan({ D: '4' }), { baseRevision: 2 }),
    )
    expect(stale).toMatchObject({ code: 'PRECONDITION_FAILED', meta: { currentRevision: 3 } })
    const refused = await failure(
      w.documents.commit(w.production, w.ctx, () => {
        throw new AppError('VALIDATION_FAILED', 'refused by the plan')
      }),
    )
    expect(isAppError(refused, 'VALIDATION_FAILED')).toBe(true)
    const next = await w.documents.commit(w.production, w.ctx, mergePlan({ A: '5' }))
    expect(next.state.revision).toBe(4)
    const read = await w.documents.read(w.production)
    expect([...read.values]).toEqual([...next.state.values])
    expect(read.values.get('A')).toBe('5')
    expect((await w.store.revisions.list(w.production)).map((r) => r.number)).toEqual([4, 3, 2, 1])
  })

  it('the clear key index follows a kind change, a removal and a re-ordering of keys', async () => {
    const w = await createWorld(db().store)
    const index = async () => (await w.store.revisions.latest(w.production))?.keyIndex
    await w.documents.commit(w.production, w.ctx, mergePlan({ A: '1', B: '2' }))
    await w.documents.commit(w.production, w.ctx, mergePlan({ A: '3' }))
    expect(await index()).toEqual([
      { key: 'A', kind: 'config' },
      { key: 'B', kind: 'config' },
    ])
    await w.documents.commit(w.production, w.ctx, mergePlan({ B: '4' }, { B: 'secret' }))
    expect(await index()).toEqual([
      { key: 'A', kind: 'config' },
      { key: 'B', kind: 'secret' },
    ])
    await w.documents.commit(w.production, w.ctx, (state) => ({
      doc: mergeDocument(state.doc, { delete: ['A'] }).doc,
      changedKeys: ['A'],
      audit: { action: 'vars.delete', keys: ['A'] },
      result: undefined,
    }))
    expect(await index()).toEqual([{ key: 'B', kind: 'secret' }])
    await w.documents.commit(w.production, w.ctx, mergePlan({ A: '5' }))
    expect(await index()).toEqual([
      { key: 'B', kind: 'secret' },
      { key: 'A', kind: 'config' },
    ])
  })

  it('a head re-sealed under a newer data key elsewhere makes the next write seal under it', async () => {
    const w = await createWorld(db().store)
    await w.documents.commit(w.production, w.ctx, mergePlan({ A: '1' }))
    const v1 = (await w.keyring.currentKey(w.workspaceId)).keyId
    // Another process (its own keyring) rotates and re-seals; this keyring still trusts v1.
    const elsewhere = keyringOf(w.store, w.provider)
    const keys = createKeyService({
      store: w.store,
      keyring: elsewhere,
      provider: w.provider,
      clock,
    })
    const { keyId: v2 } = await keys.rotateDataKey(w.ctx)
    expect(v2).not.toBe(v1)
    const out = await w.documents.commit(w.production, w.ctx, mergePlan({ B: '2' }))
    expect(out.state.revision).toBe(2)
    expect((await w.store.revisions.latestSealed(w.production))?.keyId).toBe(v2)
    expect([...(await w.documents.read(w.production)).values]).toEqual([
      ['A', '1'],
      ['B', '2'],
    ])
  })

  it('a commit whose audit append fails leaves no revision (one transaction)', async () => {
    const w = await createWorld(db().store)
    await w.documents.commit(w.production, w.ctx, mergePlan({ A: '1' }))
    const head = await w.store.auditEvents.head(w.workspaceId)
    // A forged event takes the next sequence number, so the commit's own audit insert collides.
    await rawQuery(
      db(),
      `insert into audit_events (id, workspace_id, seq, at, actor_id, actor_kind, action, keys,
        outcome, detail, hash) values (?, ?, ?, ?, 'mem_x', 'member', 'forged', '[]', 'success',
        '{}', 'x')`,
      ['aud_forged', w.workspaceId, (head?.seq ?? 0) + 1, new Date().toISOString()],
    )
    const err = await failure(w.documents.commit(w.production, w.ctx, mergePlan({ A: '2' })))
    expect(isAppError(err, 'CONFLICT')).toBe(true)
    const state = await w.documents.read(w.production)
    expect([state.revision, state.values.get('A')]).toEqual([1, '1'])
    expect(
      (await w.store.environments.get(w.workspaceId, w.production.environmentId ?? ''))
        ?.headRevision,
    ).toBe(1)
  })
})
