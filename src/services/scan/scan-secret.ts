import { createHmac, randomBytes } from 'node:crypto'
import { isAppError } from '../../core/errors.ts'
import { dataKeyFromBytes, type KeyProvider, type UnwrapContext } from '../../crypto/index.ts'
import type { Store } from '../../storage/store.ts'
import type { Clock } from '../context.ts'

/** The `server_secrets` row of the scan secret. */
export const SCAN_SECRET_NAME = 'scan-key'

/**
 * How the scan secret is bound when wrapped: like the token pepper, to a pseudo-workspace and a
 * key id of its own, so it can never be unwrapped as (or swapped with) another key. Root-key
 * rotation re-wraps it given this context.
 */
export const SCAN_SECRET_CONTEXT: UnwrapContext = Object.freeze({
  workspaceId: '~server',
  keyId: 'dk_00000000scankey0:v1',
})

/**
 * The server-wide secret from which every project's scan key is derived. Made once and stored
 * wrapped by the root key, so every replica derives the same keys.
 */
export async function loadOrCreateScanSecret(
  store: Store,
  provider: KeyProvider,
  clock: Clock,
): Promise<Buffer> {
  const existing = await store.serverSecrets.get(SCAN_SECRET_NAME)
  if (existing === undefined) return create(store, provider, clock)
  if (provider.ids.includes(existing.rootKeyId)) return unwrap(provider, existing.wrapped)
  // Wrapped by a root key no longer configured. Nothing stored depends on this secret (each
  // answer carries the scan key its fingerprints were made with), so a new one replaces it.
  const secret = randomBytes(32)
  const wrapped = await wrap(provider, secret)
  await store.transaction((tx) => tx.serverSecrets.rewrap(SCAN_SECRET_NAME, wrapped, provider.id))
  return secret
}

async function create(store: Store, provider: KeyProvider, clock: Clock): Promise<Buffer> {
  const secret = randomBytes(32)
  const wrapped = await wrap(provider, secret)
  try {
    await store.transaction((tx) =>
      tx.serverSecrets.create({
        name: SCAN_SECRET_NAME,
        wrapped,
        rootKeyId: provider.id,
        createdAt: clock.now().toISOString(),
      }),
    )
    return secret
  } catch (err) {
    // Another replica created it first: use theirs.
    if (!isAppError(err, 'CONFLICT')) throw err
    const row = await store.serverSecrets.get(SCAN_SECRET_NAME)
    if (row === undefined) throw err
    return unwrap(provider, row.wrapped)
  }
}

/**
 * A project's scan key: HMAC of its id under the server's scan secret. Fingerprints made under
 * it are useless for any other project, and the key can be handed to scanners without the
 * secret behind it.
 */
export function deriveScanKey(scanSecret: Buffer, projectId: string): Buffer {
  return createHmac('sha256', scanSecret).update(`tresor-scan-key:v1:${projectId}`).digest()
}

function wrap(provider: KeyProvider, secret: Buffer) {
  const { workspaceId, keyId } = SCAN_SECRET_CONTEXT
  return provider.wrap(dataKeyFromBytes(keyId, secret), { workspaceId })
}

async function unwrap(provider: KeyProvider, wrapped: Buffer): Promise<Buffer> {
  const key = await provider.unwrap(wrapped, SCAN_SECRET_CONTEXT)
  return key.key.export()
}
