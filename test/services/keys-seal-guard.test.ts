import { expect, it } from 'vitest'
import { createDocumentService } from '../../src/services/documents/document-service.ts'
import { createKeyService } from '../../src/services/keys/key-service.ts'
import { SEAL_CHECK_EVERY, SEAL_LIMIT } from '../../src/services/keys/seal-guard.ts'
import { forEachStore } from '../helpers/stores.ts'
import { clock, createWorld, mergePlan } from './helpers/world.ts'

async function until(check: () => Promise<boolean>, ms = 3000): Promise<void> {
  const end = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not reached in time')
    await new Promise((r) => setTimeout(r, 10))
  }
}

it('the nonce budget is a quarter of the 2^32 seals NIST allows per key, checked every 10,000', () => {
  expect([SEAL_LIMIT, SEAL_CHECK_EVERY]).toEqual([2 ** 30, 10_000])
})

forEachStore('nonce guard', (db) => {
  it('rolls the data key once the rows sealed under it reach the limit', async () => {
    const w = await createWorld(db().store)
    const errors: unknown[] = []
    const keys = createKeyService({
      ...{ store: w.store, keyring: w.keyring, provider: w.provider, clock },
      ...{ sealLimit: 3, sealCheckEvery: 1, onGuardError: (e) => errors.push(e) },
    })
    const documents = createDocumentService({
      ...{ store: w.store, keyring: w.keyring, clock },
      onSealed: keys.sealGuard,
    })
    const v1 = (await w.keyring.currentKey(w.workspaceId)).keyId
    await documents.commit(w.production, w.ctx, mergePlan({ A: '1' }))
    await documents.commit(w.staging, w.ctx, mergePlan({ B: '1' }))
    await new Promise((r) => setTimeout(r, 50))
    expect(await w.store.dataKeys.loadCurrentKeyId(w.workspaceId)).toBe(v1)
    await documents.commit(w.production, w.ctx, mergePlan({ A: '2' }))
    await until(async () => (await w.store.dataKeys.loadCurrentKeyId(w.workspaceId)) !== v1)
    const status = await keys.status(w.ctx)
    expect(status.keys.map((k) => [k.version, k.state, k.sealedRows])).toEqual([
      [1, 'retired', 3],
      [2, 'current', 0],
    ])
    await documents.commit(w.production, w.ctx, mergePlan({ A: '3' }))
    const head = await w.store.revisions.latestSealed(w.production)
    expect(head?.keyId).toBe(status.keys[1]?.id)
    expect((await documents.readAt(w.production, 1)).values.get('A')).toBe('1')
    expect(errors).toEqual([])
    const actions = await w.store.auditEvents.list(w.workspaceId, {
      action: 'keys.rotate_data_key',
    })
    expect(actions.map((e) => e.actorKind)).toEqual(['system'])
  })
})
