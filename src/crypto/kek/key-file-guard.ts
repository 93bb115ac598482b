import { join } from 'node:path'
import { AppError } from '../../core/errors.ts'
import { ROOT_KEY_FILE } from './key-file.ts'
import { loadExistingKeyFile } from './key-file-rotation.ts'
import type { KeyProvider } from './key-provider.ts'

/**
 * The key-file provider of a running server: unwraps with the keys it loaded, and before every
 * wrap checks that `root.key` on disk is still the key it wraps with. `tresor keys:rotate-root`
 * replaces the file while servers keep serving; a server not restarted since would wrap a new
 * data key with the old key, which the next rotation removes from disk. Such a wrap is refused
 * (UNAVAILABLE, nothing written) until the server restarts with the new key. Wraps are rare
 * (a new workspace, a data key rotation, a re-wrap), so reading the file each time costs little.
 */
export function guardKeyFileWraps(provider: KeyProvider, dataDir: string): KeyProvider {
  const path = join(dataDir, ROOT_KEY_FILE)
  return Object.freeze({
    id: provider.id,
    ids: provider.ids,
    unwrap: (wrapped, context) => provider.unwrap(wrapped, context),
    wrap: async (dataKey, context) => {
      const onDisk = await loadExistingKeyFile(dataDir)
      if (onDisk.id !== provider.id) {
        throw new AppError(
          'UNAVAILABLE',
          `the root key file ${path} was rotated (now root key ${onDisk.id}) after this server started with root key ${provider.id}: restart the server before it wraps new keys`,
        )
      }
      return provider.wrap(dataKey, context)
    },
  } satisfies KeyProvider)
}
