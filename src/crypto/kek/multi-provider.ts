import { AppError } from '../../core/errors.ts'
import { parseWrappedHeader, rootKeyMissing } from '../envelope.ts'
import type { KeyProvider } from './key-provider.ts'

/**
 * A KeyProvider for root-key rotation: wraps with `current`, unwraps with whichever provider
 * holds the root key id recorded in the wrapped key. Old keys stay readable until rewrapped.
 */
export function createMultiKeyProvider(
  current: KeyProvider,
  previous: readonly KeyProvider[] = [],
): KeyProvider {
  const byId = new Map<string, KeyProvider>()
  for (const provider of [current, ...previous]) {
    for (const id of provider.ids) {
      // The first provider to claim an id wins, so the current key is always preferred.
      if (!byId.has(id)) byId.set(id, provider)
    }
  }
  if (byId.size === 0) throw new AppError('CONFIG_INVALID', 'no root key configured')
  return Object.freeze({
    id: current.id,
    ids: Object.freeze([...byId.keys()]),
    wrap: (dataKey, context) => current.wrap(dataKey, context),
    unwrap: async (wrapped, context) => {
      const { rootKeyId } = parseWrappedHeader(wrapped)
      const provider = byId.get(rootKeyId)
      if (provider === undefined) throw rootKeyMissing(rootKeyId)
      return await provider.unwrap(wrapped, context)
    },
  } satisfies KeyProvider)
}
