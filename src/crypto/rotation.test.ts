import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { isAppError } from '../core/errors.ts'
import type { Aad } from './aad.ts'
import { openValue, parseSealedHeader, sealValue } from './aead.ts'
import { generateDataKey, nextDataKeyId } from './data-key.ts'
import { parseWrappedHeader } from './envelope.ts'
import { createMultiKeyProvider } from './kek/multi-provider.ts'
import { createStaticKeyProvider } from './kek/static-provider.ts'
import { rewrapAll, resealBlob } from './rotation.ts'

const AAD: Aad = {
  workspaceId: 'wsp_0000000000000001',
  projectId: 'prj_0000000000000001',
  environmentId: 'env_0000000000000001',
  revisionId: 'rev_0000000000000001',
}

describe('rewrapAll (root-key rotation)', () => {
  it('moves every data key to the new root key; the new one alone then unwraps them', async () => {
    const oldRoot = createStaticKeyProvider(randomBytes(32))
    const newRoot = createStaticKeyProvider(randomBytes(32))
    const keys = Array.from({ length: 5 }, (_, i) => ({ ws: `wsp_${i}`, key: generateDataKey() }))
    const records = await Promise.all(
      keys.map(async ({ ws, key }) => ({
        workspaceId: ws,
        keyId: key.keyId,
        wrapped: await oldRoot.wrap(key, { workspaceId: ws }),
      })),
    )
    const during = createMultiKeyProvider(newRoot, [oldRoot])
    for (const r of records) await during.unwrap(r.wrapped, r)
    // Half-done run: the first record is already under the new root key.
    const partial = [...records]
    partial[0] = (await rewrapAll([records[0]!], oldRoot, newRoot))[0]!

    const out = await rewrapAll(partial, during, newRoot)
    expect(out.map((r) => r.changed)).toEqual([false, true, true, true, true])
    for (const [i, r] of out.entries()) {
      expect(parseWrappedHeader(r.wrapped).rootKeyId).toBe(newRoot.id)
      const back = await newRoot.unwrap(r.wrapped, r)
      expect(back.key.export().equals(keys[i]!.key.key.export())).toBe(true)
      const err: unknown = await oldRoot.unwrap(r.wrapped, r).catch((e: unknown) => e)
      expect(isAppError(err, 'UNAVAILABLE')).toBe(true)
    }
  })
})

describe('resealBlob (data-key rotation)', () => {
  it('re-seals under the new key version, keeping plaintext and row binding', () => {
    const v1 = generateDataKey()
    const v2 = generateDataKey(nextDataKeyId(v1.keyId))
    const blob = sealValue(v1, 'A=1\n', AAD)
    const moved = resealBlob(blob, AAD, v1, v2)
    expect(parseSealedHeader(moved).keyId).toBe(v2.keyId)
    expect(openValue(v2, moved, AAD).toString()).toBe('A=1\n')
    expect(() => openValue(v2, moved, { ...AAD, revisionId: 'rev_other' })).toThrow()
    expect(resealBlob(moved, AAD, v1, v2)).toBe(moved)
  })

  it('refuses a blob that does not open (tampered or wrong row)', () => {
    const v1 = generateDataKey()
    const v2 = generateDataKey(nextDataKeyId(v1.keyId))
    const blob = sealValue(v1, 'A=1\n', AAD)
    expect(() => resealBlob(blob, { ...AAD, projectId: 'prj_x' }, v1, v2)).toThrow(
      'ciphertext could not be opened',
    )
  })
})
