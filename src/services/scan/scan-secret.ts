import { createHmac, randomBytes } from 'node:crypto'
import { isAppError } from '../../core/errors.ts'
import { dataKeyFromBytes, type KeyProvider } from '../../crypto/index.ts'
import type { Store } from '../../storage/store.ts'
import type { Clock } from '../context.ts'

const NAME = 'scan-key'
// Wrapped like the token pepper: bound to a pseudo-workspace and its own key id, so it can never
// be unwrapped as (or swapped with) a workspace's data key or the pepper.
const CONTEXT = { workspaceId: '~server' }
const KEY_ID = 'dk_00000000scankey0:v1'

/**
 * The server-wide secret from which every project's scan key is derived. Made once and stored
 * wrapped by the root key, so every replica derives the same keys.
 */
export async function loadOrCreateScanSecret(
  store: Store,
  provider: KeyProvider,
  clock: Clock,
): Promise<Buffer> {
  const existing = await store.serverSecrets.get(NAME)
  if (existing !== undefined) return unwrap(provider, existing.wrapped)
  const secret = randomBytes(32)
  const wrapped = await provider.wrap(dataKeyFromBytes(KEY_ID, secret), CONTEXT)
  try {
    await store.transaction((tx) =>
      tx.serverSecrets.create({
        name: NAME,
        wrapped,
        rootKeyId: provider.id,
        createdAt: clock.now().toISOString(),
      }),
    )
    return secret
  } catch (err) {
    // Another replica created it first: use theirs.
    if (!isAppError(err, 'CONFLICT')) throw err
    const row = await store.serverSecrets.get(NAME)
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

async function unwrap(provider: KeyProvider, wrapped: Buffer): Promise<Buffer> {
  const key = await provider.unwrap(wrapped, { ...CONTEXT, keyId: KEY_ID })
  return key.key.export()
}
