import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { isAppError } from '../core/errors.ts'
import type { Aad } from './aad.ts'
import { nextDataKeyId } from './data-key.ts'
import type { WrappedKey } from './envelope.ts'
import type { KeyProvider } from './kek/key-provider.ts'
import { createStaticKeyProvider } from './kek/static-provider.ts'
import { createKeyring, createWrappedDataKey } from './keyring.ts'

const A = 'wsp_000000000000000a'
const B = 'wsp_000000000000000b'
const aadOf = (workspaceId: string): Aad => ({
  workspaceId,
  projectId: 'prj_0000000000000001',
  environmentId: 'env_0000000000000001',
  revisionId: 'rev_0000000000000001',
})

/** An in-memory stand-in for the data_keys table, counting unwraps done through the provider. */
function setup(options: { ttl?: number } = {}) {
  const base = createStaticKeyProvider(randomBytes(32))
  const counts = { unwraps: 0, currentLookups: 0 }
  const provider: KeyProvider = {
    ...base,
    unwrap: (wrapped, ctx) => {
      counts.unwraps++
      return base.unwrap(wrapped, ctx)
    },
  }
  const rows = new Map<string, { workspaceId: string; wrapped: WrappedKey }>()
  const current = new Map<string, string>()
  async function addKey(workspaceId: string, keyId?: string) {
    const { dataKey, wrapped } = await createWrappedDataKey(base, workspaceId, keyId)
    rows.set(dataKey.keyId, { workspaceId, wrapped })
    current.set(workspaceId, dataKey.keyId)
    return dataKey
  }
  let clock = 0
  const keyring = createKeyring({
    provider,
    loadWrappedKey: (ws, keyId) => {
      const row = rows.get(keyId)
      return Promise.resolve(row?.workspaceId === ws ? row.wrapped : undefined)
    },
    loadCurrentKeyId: (ws) => {
      counts.currentLookups++
      return Promise.resolve(current.get(ws))
    },
    currentKeyTtlMs: options.ttl ?? 1000,
    now: () => clock,
  })
  return { keyring, counts, addKey, rows, tick: (ms: number) => (clock += ms) }
}

describe('createKeyring', () => {
  it('seals under the current key and opens with one unwrap for many reads', async () => {
    const { keyring, counts, addKey } = setup()
    const key = await addKey(A)
    const blob = await keyring.seal('SECRET=1', aadOf(A))
    const reads = await Promise.all(Array.from({ length: 50 }, () => keyring.open(blob, aadOf(A))))
    expect(reads.every((r) => r.toString() === 'SECRET=1')).toBe(true)
    expect(counts.unwraps).toBe(1)
    expect((await keyring.currentKey(A)).keyId).toBe(key.keyId)
  })

  it('never opens a blob of workspace A under workspace B, even with A’s key cached', async () => {
    const { keyring, addKey } = setup()
    await addKey(A)
    await addKey(B)
    const blob = await keyring.seal('x', aadOf(A))
    await keyring.open(blob, aadOf(A))
    const err: unknown = await keyring.open(blob, aadOf(B)).catch((e: unknown) => e)
    expect(isAppError(err, 'CRYPTO_ERROR')).toBe(true)
    const keyA = await keyring.currentKey(A)
    const refused: unknown = await keyring.keyFor(B, keyA.keyId).catch((e: unknown) => e)
    expect((refused as Error).message).toBe(
      `data key ${keyA.keyId} does not belong to this workspace`,
    )
  })

  it('keeps old versions readable after a data-key rotation, and picks the new one after the TTL', async () => {
    const { keyring, addKey, tick, counts } = setup({ ttl: 1000 })
    const v1 = await addKey(A)
    const old = await keyring.seal('old', aadOf(A))
    const v2 = await addKey(A, nextDataKeyId(v1.keyId))
    expect((await keyring.currentKey(A)).keyId).toBe(v1.keyId)
    expect(counts.currentLookups).toBe(1)
    tick(1000)
    expect((await keyring.currentKey(A)).keyId).toBe(v2.keyId)
    const fresh = await keyring.seal('new', aadOf(A))
    expect(fresh.includes(Buffer.from(v2.keyId))).toBe(true)
    expect((await keyring.open(old, aadOf(A))).toString()).toBe('old')
    expect((await keyring.open(fresh, aadOf(A))).toString()).toBe('new')
  })

  it('forget() drops cached keys so the next read unwraps again', async () => {
    const { keyring, addKey, counts } = setup()
    await addKey(A)
    const blob = await keyring.seal('x', aadOf(A))
    keyring.forget(A)
    await keyring.open(blob, aadOf(A))
    keyring.forget()
    await keyring.open(blob, aadOf(A))
    expect(counts.unwraps).toBe(3)
  })

  it('cachedKey() answers without I/O only for a key already loaded in that workspace', async () => {
    const { keyring, addKey, counts } = setup()
    const key = await addKey(A)
    expect(keyring.cachedKey(A, key.keyId)).toBeUndefined()
    const pending = keyring.keyFor(A, key.keyId)
    expect(keyring.cachedKey(A, key.keyId)).toBeUndefined()
    await pending
    expect(keyring.cachedKey(A, key.keyId)?.key.export().equals(key.key.export())).toBe(true)
    expect(keyring.cachedKey(B, key.keyId)).toBeUndefined()
    keyring.forget(A)
    expect(keyring.cachedKey(A, key.keyId)).toBeUndefined()
    expect(counts.unwraps).toBe(1)
  })

  it('does not cache a failure: a missing key can appear later', async () => {
    const { keyring, addKey, rows } = setup()
    const key = await addKey(A)
    const saved = rows.get(key.keyId)!
    rows.delete(key.keyId)
    await expect(keyring.keyFor(A, key.keyId)).rejects.toThrow('does not belong')
    rows.set(key.keyId, saved)
    expect((await keyring.keyFor(A, key.keyId)).keyId).toBe(key.keyId)
  })

  it('refuses to seal for a workspace without a data key', async () => {
    const { keyring } = setup()
    await expect(keyring.seal('x', aadOf(A))).rejects.toThrow('workspace has no data key')
  })
})
