import type { KeyProvider } from './key-provider.ts'
import { unwrapDataKey, wrapDataKey } from '../envelope.ts'
import { rootKeyFromBytes } from '../root-key.ts'

/**
 * A KeyProvider over one 32-byte root key held in memory (from `TRESOR_ROOT_KEY` via
 * `parseRootKeyBase64`, or from the key file). The bytes are copied; the caller may zero its own.
 */
export function createStaticKeyProvider(rootKey: Buffer, source = 'root key'): KeyProvider {
  const root = rootKeyFromBytes(rootKey, source)
  // `.then` turns a synchronous throw into a rejection, as a KMS-backed provider would behave.
  return Object.freeze({
    id: root.id,
    ids: Object.freeze([root.id]),
    wrap: (dataKey, context) => Promise.resolve().then(() => wrapDataKey(root, dataKey, context)),
    unwrap: (wrapped, context) =>
      Promise.resolve().then(() => unwrapDataKey(root, wrapped, context)),
  } satisfies KeyProvider)
}
