import { randomBytes } from 'node:crypto'
import { link, mkdir, open, stat, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { AppError } from '../../core/errors.ts'
import { KEY_BYTES } from '../gcm.ts'
import type { KeyProvider } from './key-provider.ts'
import { createStaticKeyProvider } from './static-provider.ts'

/** The root key file's name inside the data directory. */
export const ROOT_KEY_FILE = 'root.key'

/** The provider over the data directory's key file, its path, and whether this call made it. */
export interface KeyFile {
  readonly provider: KeyProvider
  readonly path: string
  readonly created: boolean
}

/**
 * Loads `<dataDir>/root.key` (32 raw bytes, mode 0600), creating it on first start. Refuses a
 * file that group or others can access, or that is not exactly 32 bytes, with CONFIG_INVALID.
 */
export async function loadOrCreateKeyFile(dataDir: string): Promise<KeyFile> {
  const path = join(dataDir, ROOT_KEY_FILE)
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  const created = (await exists(path)) ? false : await createKeyFile(dataDir, path)
  const bytes = await readKeyFile(path)
  try {
    return Object.freeze({ provider: createStaticKeyProvider(bytes, path), path, created })
  } finally {
    bytes.fill(0)
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return false
    throw err
  }
}

// Written under a temporary name, fsynced, then hard-linked into place: link() never replaces an
// existing file, so a concurrent first start keeps the winner's key, and a crash mid-write can
// never leave a short root.key behind.
async function createKeyFile(dir: string, path: string): Promise<boolean> {
  const tmp = join(dir, `.${ROOT_KEY_FILE}.${randomBytes(8).toString('hex')}.tmp`)
  const bytes = randomBytes(KEY_BYTES)
  const handle = await open(tmp, 'wx', 0o600)
  try {
    await handle.chmod(0o600)
    await handle.writeFile(bytes)
    await handle.sync()
  } finally {
    bytes.fill(0)
    await handle.close()
  }
  try {
    await link(tmp, path)
    await syncDirectory(dir)
    return true
  } catch (err) {
    if (errorCode(err) === 'EEXIST') return false
    throw err
  } finally {
    await unlink(tmp)
  }
}

/** Fsyncs a directory, so that a link or rename in it survives a power loss. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** Reads a root key file after checking it is a regular 0600 file of exactly 32 bytes. */
export async function readKeyFile(path: string): Promise<Buffer> {
  const handle = await open(path, 'r')
  try {
    // fstat on the open handle, so the checks apply to the very file that is read.
    const info = await handle.stat()
    const mode = (info.mode & 0o777).toString(8).padStart(4, '0')
    if (!info.isFile()) refuse(path, mode, 'is not a regular file')
    if ((info.mode & 0o077) !== 0) {
      refuse(path, mode, `has mode ${mode}; group and others must have no access (chmod 600)`)
    }
    if (info.size !== KEY_BYTES) refuse(path, mode, `must hold exactly 32 bytes, has ${info.size}`)
    const bytes = Buffer.alloc(KEY_BYTES)
    const { bytesRead } = await handle.read(bytes, 0, KEY_BYTES, 0)
    if (bytesRead !== KEY_BYTES) refuse(path, mode, 'could not be read in full')
    return bytes
  } finally {
    await handle.close()
  }
}

function refuse(path: string, mode: string, why: string): never {
  throw new AppError(
    'CONFIG_INVALID',
    `root key file ${path} ${why}`,
    [{ field: path, message: why }],
    {
      path,
      mode,
    },
  )
}

/** The `code` of a Node.js system error (`ENOENT`, `EEXIST`…), if any. */
export function errorCode(err: unknown): unknown {
  return typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined
}
