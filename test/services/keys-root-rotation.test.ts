import { randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { isAppError } from '../../src/core/errors.ts'
import { createMultiKeyProvider, createStaticKeyProvider } from '../../src/crypto/index.ts'
import { createDocumentService } from '../../src/services/documents/document-service.ts'
import { rollDataKey } from '../../src/services/keys/data-key-rotation.ts'
import { rotateRoot } from '../../src/services/keys/root-rotation.ts'
import { loadOrCreatePepper } from '../../src/services/workspaces/pepper.ts'
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/stores.ts'
import { canary, clock, createWorld, keyringOf, mergePlan } from './helpers/world.ts'

let open: TestDatabase[] = []
afterEach(async () => {
  await Promise.all(open.map((d) => d.dispose()))
  open = []
})

async function fresh(engine: (typeof ENGINES)[number]) {
  const db = await createTestDatabase(engine)
  open.push(db)
  return db
}

// Each test gets its own database: a root-key rotation touches every workspace in it.
describe.each(ENGINES)('root-key rotation [%s]', { timeout: 20_000 }, (engine) => {
  it('re-wraps every data key and the pepper; the new root key alone then reads everything', async () => {
    const { store } = await fresh(engine)
    const oldRoot = randomBytes(32)
    const w = await createWorld(store, oldRoot)
    const pepper = await loadOrCreatePepper(store, w.provider, clock)
    const [a, b] = [canary(), canary()]
    await w.documents.commit(w.production, w.ctx, mergePlan({ A: a }, { A: 'secret' }))
    await rollDataKey({ store, keyring: w.keyring, provider: w.provider, clock }, w.workspaceId)
    await w.documents.commit(w.shared, w.ctx, mergePlan({ B: b }))

    const next = createStaticKeyProvider(randomBytes(32))
    const provider = createMultiKeyProvider(next, [w.provider])
    const report = await rotateRoot({ store, provider, clock, batchSize: 1 }, w.ctx)
    expect(report).toEqual({
      rootKeyId: next.id,
      dataKeys: 2,
      serverSecrets: 1,
      alreadyCurrent: 0,
      unreadable: [],
    })
    const keys = await store.dataKeys.list(w.workspaceId)
    expect(keys.map((k) => [k.version, k.rootKeyId])).toEqual([
      [1, next.id],
      [2, next.id],
    ])
    expect((await store.serverSecrets.list()).map((s) => s.rootKeyId)).toEqual([next.id])

    const onlyNew = createDocumentService({ store, keyring: keyringOf(store, next), clock })
    expect((await onlyNew.read(w.production)).values.get('A')).toBe(a)
    expect((await onlyNew.read(w.shared)).values.get('B')).toBe(b)
    expect((await loadOrCreatePepper(store, next, clock)).equals(pepper)).toBe(true)
    const onlyOld = createDocumentService({ store, keyring: keyringOf(store, w.provider), clock })
    const refused = await onlyOld.read(w.production).catch((e: unknown) => e)
    expect(isAppError(refused, 'UNAVAILABLE')).toBe(true)

    const events = await store.auditEvents.list(w.workspaceId, { action: 'keys.rotate_root' })
    expect(events.map((e) => [e.actorId, e.detail['dataKeys']])).toEqual([
      [w.ctx.actor.id, 1],
      [w.ctx.actor.id, 1],
    ])
    // Idempotent: a second run (or the rest of an interrupted one) has nothing left to move.
    const again = await rotateRoot({ store, provider, clock }, w.ctx)
    expect(again).toMatchObject({ dataKeys: 0, serverSecrets: 0, alreadyCurrent: 3 })
  })

  it('reports a key wrapped by a root key that is not configured, and leaves it as it is', async () => {
    const { store } = await fresh(engine)
    const w = await createWorld(store)
    const stranger = await createWorld(store)
    const before = await store.dataKeys.list(stranger.workspaceId)
    const next = createStaticKeyProvider(randomBytes(32))
    const provider = createMultiKeyProvider(next, [w.provider])
    const report = await rotateRoot({ store, provider, clock })
    expect(report.dataKeys).toBe(1)
    expect(report.unreadable).toEqual([{ id: before[0]?.id, rootKeyId: stranger.provider.id }])
    expect(await store.dataKeys.list(stranger.workspaceId)).toEqual(before)
  })

  it('a running server keeps serving reads and writes while its keys are re-wrapped', async () => {
    const { store } = await fresh(engine)
    const w = await createWorld(store)
    const values = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`K${i}`, canary()]))
    await w.documents.commit(w.production, w.ctx, mergePlan(values))
    await w.documents.read(w.production) // the server has its data key unwrapped and cached
    let stop = false
    const served: string[] = []
    const reader = (async () => {
      while (!stop) served.push((await w.documents.read(w.production)).values.get('K7') ?? '')
    })()
    const writer = (async () => {
      for (let i = 0; !stop; i++)
        await w.documents.commit(w.production, w.ctx, mergePlan({ W: `${i}` }))
    })()
    const next = createStaticKeyProvider(randomBytes(32))
    const before = served.length
    await rotateRoot({ store, provider: createMultiKeyProvider(next, [w.provider]), clock })
    const during = served.length - before
    stop = true
    await Promise.all([reader, writer])
    expect(during).toBeGreaterThan(0)
    expect(new Set(served)).toEqual(new Set([values['K7']]))
    const onlyNew = createDocumentService({ store, keyring: keyringOf(store, next), clock })
    expect((await onlyNew.read(w.production)).values.get('K7')).toBe(values['K7'])
  })
})
