import { randomBytes } from 'node:crypto'
import { isAppError } from '../../core/errors.ts'
import { dataKeyFromBytes, type KeyProvider, type UnwrapContext } from '../../crypto/index.ts'
import type { Store } from '../../storage/store.ts'
import type { Clock } from '../context.ts'
import { SCAN_SECRET_CONTEXT, SCAN_SECRET_NAME } from '../scan/scan-secret.ts'

const PEPPER = 'token-pepper'
// The pepper is wrapped like a data key, bound to this pseudo-workspace id so it can never be
// unwrapped as (or swapped with) a workspace's data key.
const CONTEXT = { workspaceId: '~server' }
const KEY_ID = 'dk_0000000000pepper:v1'

/** How each server secret was bound when wrapped, by name: what root-key rotation re-wraps. */
export const SERVER_SECRET_CONTEXTS: Readonly<Record<string, UnwrapContext>> = Object.freeze({
  [PEPPER]: { ...CONTEXT, keyId: KEY_ID },
  [SCAN_SECRET_NAME]: SCAN_SECRET_CONTEXT,
})

/**
 * The server-wide key under which token hashes are computed (HMAC). Made once, stored wrapped by
 * the root key in the database, so every replica shares it and a copy of the database alone
 * cannot test guessed tokens offline.
 */
export async function loadOrCreatePepper(
  store: Store,
  provider: KeyProvider,
  clock: Clock,
): Promise<Buffer> {
  const existing = await store.serverSecrets.get(PEPPER)
  if (existing !== undefined) return unwrap(provider, existing.wrapped)
  const pepper = randomBytes(32)
  const wrapped = await provider.wrap(dataKeyFromBytes(KEY_ID, pepper), CONTEXT)
  try {
    await store.transaction((tx) =>
      tx.serverSecrets.create({
        name: PEPPER,
        wrapped,
        rootKeyId: provider.id,
        createdAt: clock.now().toISOString(),
      }),
    )
    return pepper
  } catch (err) {
    // Another replica created it first: use theirs.
    if (!isAppError(err, 'CONFLICT')) throw err
    const row = await store.serverSecrets.get(PEPPER)
    if (row === undefined) throw err
    return unwrap(provider, row.wrapped)
  }
}

async function unwrap(provider: KeyProvider, wrapped: Buffer): Promise<Buffer> {
  const key = await provider.unwrap(wrapped, { ...CONTEXT, keyId: KEY_ID })
  return key.key.export()
}
