import { timingSafeEqual } from 'node:crypto'
import { AppError } from '../core/errors.ts'
import type { Aad } from './aad.ts'
import { openValue, parseSealedHeader, sealValue, type Sealed } from './aead.ts'
import type { DataKey } from './data-key.ts'
import { parseWrappedHeader, type WrappedKey } from './envelope.ts'
import type { KeyProvider } from './kek/key-provider.ts'

/** One stored wrapped data key, as the store-side rotation loop reads and writes it. */
export interface WrappedKeyRecord {
  readonly workspaceId: string
  readonly keyId: string
  readonly wrapped: WrappedKey
}

/**
 * Re-wraps data keys from one root key to another (root-key rotation). Records already wrapped
 * by `to` are returned unchanged, so an interrupted run can simply be repeated. Each new wrap is
 * unwrapped again and compared before it is returned: replacing a wrapped key with a bad one
 * would lose every value under it.
 */
export async function rewrapAll<R extends WrappedKeyRecord>(
  records: readonly R[],
  from: KeyProvider,
  to: KeyProvider,
): Promise<(R & { readonly changed: boolean })[]> {
  const out: (R & { changed: boolean })[] = []
  for (const record of records) {
    if (parseWrappedHeader(record.wrapped).rootKeyId === to.id) {
      out.push({ ...record, changed: false })
      continue
    }
    const context = { workspaceId: record.workspaceId, keyId: record.keyId }
    const dataKey = await from.unwrap(record.wrapped, context)
    const wrapped = await to.wrap(dataKey, { workspaceId: record.workspaceId })
    if (!sameKey(dataKey, await to.unwrap(wrapped, context))) {
      throw new AppError('CRYPTO_ERROR', `re-wrapped data key ${record.keyId} did not verify`)
    }
    out.push({ ...record, wrapped, changed: true })
  }
  return out
}

function sameKey(a: DataKey, b: DataKey): boolean {
  const x = a.key.export()
  const y = b.key.export()
  try {
    return a.keyId === b.keyId && x.length === y.length && timingSafeEqual(x, y)
  } finally {
    x.fill(0)
    y.fill(0)
  }
}

/**
 * Re-seals one blob under a newer data key (data-key rotation), keeping its row binding. A blob
 * already under `toKey` is checked and returned as is, so the store-side loop can be re-run. The
 * new blob is opened again and compared before it is returned: it replaces the only copy.
 */
export function resealBlob(blob: Sealed, aad: Aad, fromKey: DataKey, toKey: DataKey): Sealed {
  if (parseSealedHeader(blob).keyId === toKey.keyId) {
    openValue(toKey, blob, aad).fill(0)
    return blob
  }
  const plaintext = openValue(fromKey, blob, aad)
  let check: Buffer | undefined
  try {
    const resealed = sealValue(toKey, plaintext, aad)
    check = openValue(toKey, resealed, aad)
    if (!check.equals(plaintext)) {
      throw new AppError('CRYPTO_ERROR', `re-sealed blob under ${toKey.keyId} did not verify`)
    }
    return resealed
  } finally {
    plaintext.fill(0)
    check?.fill(0)
  }
}
