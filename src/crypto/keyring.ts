import { AppError } from '../core/errors.ts'
import type { Aad } from './aad.ts'
import { openValue, parseSealedHeader, sealValue, type Sealed } from './aead.ts'
import { generateDataKey, type DataKey } from './data-key.ts'
import type { WrappedKey } from './envelope.ts'
import type { KeyProvider } from './kek/key-provider.ts'
import { createLoadCache } from './key-cache.ts'

/** What the keyring needs from storage: two small lookups, so it imports no store. */
export interface KeyringOptions {
  readonly provider: KeyProvider
  /** The wrapped data key `keyId` of `workspaceId`, or undefined if that workspace has none. */
  readonly loadWrappedKey: (workspaceId: string, keyId: string) => Promise<WrappedKey | undefined>
  /** The versioned id of the data key new seals in `workspaceId` must use. */
  readonly loadCurrentKeyId: (workspaceId: string) => Promise<string | undefined>
  /** Most unwrapped keys kept in memory (least recently used go first); default 10,000. */
  readonly maxKeys?: number
  /** How long a workspace's current key id is trusted before asking again; default 30 s. */
  readonly currentKeyTtlMs?: number
  readonly now?: () => number
}

/** Unwrapped data keys cached per workspace, so a read costs one AES-GCM open and no unwrap. */
export interface Keyring {
  /** The key new seals in the workspace use. */
  currentKey(workspaceId: string): Promise<DataKey>
  /** The key `keyId` (e.g. from `parseSealedHeader`), only if it belongs to the workspace. */
  keyFor(workspaceId: string, keyId: string): Promise<DataKey>
  /**
   * The key `keyId` if `keyFor` already loaded it, without waiting: for code inside a store
   * transaction, which must not await a KMS while it holds the document's lock.
   */
  cachedKey(workspaceId: string, keyId: string): DataKey | undefined
  /** Seals under the workspace's current key. */
  seal(plaintext: Buffer | string, aad: Aad): Promise<Sealed>
  /** Opens with the key named in the blob's header, looked up in `aad.workspaceId` only. */
  open(sealed: Sealed, aad: Aad): Promise<Buffer>
  /** Drops cached keys and current-key ids of one workspace (or all), e.g. after a rotation. */
  forget(workspaceId?: string): void
}

// Length-prefixed, so no (workspace, key id) pair can spell another's slot.
const prefixOf = (workspaceId: string): string => `${workspaceId.length}:${workspaceId}`

/** Creates a keyring over a KeyProvider and two storage lookups. */
export function createKeyring(options: KeyringOptions): Keyring {
  const { provider, loadWrappedKey, loadCurrentKeyId } = options
  const ttl = options.currentKeyTtlMs ?? 30_000
  const now = options.now ?? Date.now
  const keys = createLoadCache<DataKey>(options.maxKeys ?? 10_000)
  const current = new Map<string, { keyId: string; at: number }>()

  // Keyed by workspace too: a key id presented under another workspace is looked up afresh
  // (and refused by the store), never served from the other workspace's entry.
  const keyFor = (workspaceId: string, keyId: string): Promise<DataKey> =>
    keys.getOrLoad(prefixOf(workspaceId) + keyId, async () => {
      const wrapped = await loadWrappedKey(workspaceId, keyId)
      if (wrapped === undefined) {
        throw new AppError('CRYPTO_ERROR', `data key ${keyId} does not belong to this workspace`)
      }
      return provider.unwrap(wrapped, { workspaceId, keyId })
    })

  async function currentKey(workspaceId: string): Promise<DataKey> {
    const cached = current.get(workspaceId)
    if (cached !== undefined && now() - cached.at < ttl) return keyFor(workspaceId, cached.keyId)
    const keyId = await loadCurrentKeyId(workspaceId)
    if (keyId === undefined) throw new AppError('CRYPTO_ERROR', 'workspace has no data key')
    current.set(workspaceId, { keyId, at: now() })
    return keyFor(workspaceId, keyId)
  }

  return Object.freeze({
    currentKey,
    keyFor,
    cachedKey: (workspaceId, keyId) => keys.peek(prefixOf(workspaceId) + keyId),
    seal: async (plaintext, aad) => sealValue(await currentKey(aad.workspaceId), plaintext, aad),
    open: async (sealed, aad) => {
      const { keyId } = parseSealedHeader(sealed)
      return openValue(await keyFor(aad.workspaceId, keyId), sealed, aad)
    },
    forget: (workspaceId) => {
      if (workspaceId === undefined) current.clear()
      else current.delete(workspaceId)
      const prefix = workspaceId === undefined ? '' : prefixOf(workspaceId)
      keys.deleteWhere((slot) => slot.startsWith(prefix))
    },
  } satisfies Keyring)
}

/** A new data key and its wrapped form, to store when a workspace is created or rotated. */
export async function createWrappedDataKey(
  provider: KeyProvider,
  workspaceId: string,
  keyId?: string,
): Promise<{ dataKey: DataKey; wrapped: WrappedKey }> {
  const dataKey = keyId === undefined ? generateDataKey() : generateDataKey(keyId)
  return { dataKey, wrapped: await provider.wrap(dataKey, { workspaceId }) }
}
