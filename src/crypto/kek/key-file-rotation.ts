import { randomBytes } from 'node:crypto'
import { chmod, link, open, rename, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { AppError } from '../../core/errors.ts'
import { KEY_BYTES } from '../gcm.ts'
import { errorCode, readKeyFile, ROOT_KEY_FILE, syncDirectory } from './key-file.ts'
import type { KeyProvider } from './key-provider.ts'
import { createStaticKeyProvider } from './static-provider.ts'

/** The file root-key rotation keeps the replaced root key in, until the next rotation. */
export const PREVIOUS_ROOT_KEY_FILE = 'root.key.previous'

async function providerOf(path: string): Promise<KeyProvider> {
  const bytes = await readKeyFile(path)
  try {
    return createStaticKeyProvider(bytes, path)
  } finally {
    bytes.fill(0)
  }
}

/**
 * Loads `<dataDir>/root.key.previous` with the same checks as root.key (0600, 32 bytes), or
 * returns undefined when there is none: data keys still wrapped by it stay readable.
 */
export async function loadPreviousKeyFile(dataDir: string): Promise<KeyProvider | undefined> {
  try {
    return await providerOf(join(dataDir, PREVIOUS_ROOT_KEY_FILE))
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return undefined
    throw err
  }
}

/** Loads `<dataDir>/root.key`, refusing (never creating one) when the data dir has none. */
export async function loadExistingKeyFile(dataDir: string): Promise<KeyProvider> {
  const path = join(dataDir, ROOT_KEY_FILE)
  try {
    return await providerOf(path)
  } catch (err) {
    if (errorCode(err) !== 'ENOENT') throw err
    throw new AppError('CONFIG_INVALID', `no root key file at ${path}`, [
      { field: path, message: 'start the server once to create it, or give --data-dir' },
    ])
  }
}

/**
 * Replaces root.key by a new random key and keeps the old one as root.key.previous (0600),
 * dropping an older previous file: the caller must first have re-wrapped everything off it.
 * Each step leaves a working pair on disk: a crash at any point never loses the old key.
 */
export async function rotateKeyFile(
  dataDir: string,
): Promise<{ current: KeyProvider; previous: KeyProvider }> {
  const path = join(dataDir, ROOT_KEY_FILE)
  const previousPath = join(dataDir, PREVIOUS_ROOT_KEY_FILE)
  const previous = await loadExistingKeyFile(dataDir)
  const tmp = join(dataDir, `.${ROOT_KEY_FILE}.${randomBytes(8).toString('hex')}.tmp`)
  const bytes = randomBytes(KEY_BYTES)
  try {
    const handle = await open(tmp, 'wx', 0o600)
    try {
      await handle.chmod(0o600)
      await handle.writeFile(bytes)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await unlink(previousPath).catch((err: unknown) => {
      if (errorCode(err) !== 'ENOENT') throw err
    })
    // Both names point at the old key for a moment; then the rename swaps root.key atomically.
    await link(path, previousPath)
    await chmod(previousPath, 0o600)
    await rename(tmp, path)
    await syncDirectory(dataDir)
    return { current: createStaticKeyProvider(bytes, path), previous }
  } finally {
    bytes.fill(0)
    await unlink(tmp).catch(() => {})
  }
}
