import type { DataKey } from '../data-key.ts'
import type { UnwrapContext, WrapContext, WrappedKey } from '../envelope.ts'

/**
 * The root-key port: wraps and unwraps workspace data keys. Async so a KMS can implement it.
 * Every implementation starts its wrapped form with `encodeWrappedHeader(id)` so that
 * `createMultiKeyProvider` can route a wrapped key to the provider that made it.
 */
export interface KeyProvider {
  /** Public fingerprint of the root key new wraps use; never the key itself. */
  readonly id: string
  /** Every root key id this provider can unwrap (the current one first). */
  readonly ids: readonly string[]
  wrap(dataKey: DataKey, context: WrapContext): Promise<WrappedKey>
  unwrap(wrapped: WrappedKey, context: UnwrapContext): Promise<DataKey>
}
