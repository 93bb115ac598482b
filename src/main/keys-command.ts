// `tresor keys:rotate-root [--data-dir D]`: root-key rotation for key-file mode, run on the
// server's machine next to (or instead of) a running server. It works on the store directly.
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { parseServerConfig, type ServerConfig } from '../config/server-config.ts'
import { AppError } from '../core/errors.ts'
import {
  createMultiKeyProvider,
  createStaticKeyProvider,
  loadExistingKeyFile,
  loadPreviousKeyFile,
  PREVIOUS_ROOT_KEY_FILE,
  rotateKeyFile,
} from '../crypto/index.ts'
import { systemClock } from '../services/context.ts'
import { rotateRoot, type RootRotationReport } from '../services/keys/root-rotation.ts'
import { openStore } from '../storage/open-store.ts'
import type { Store } from '../storage/store.ts'
import type { ServerIo } from './server.ts'

/**
 * Finishes any earlier rotation (everything still under root.key.previous moves to root.key),
 * then keeps root.key as root.key.previous (0600), writes a new root.key and re-wraps every data
 * key and server secret under it. Prints what it did, never a key. Exit 0, 1 on a problem.
 */
export async function runRotateRootCommand(
  args: string[],
  env: Record<string, string | undefined>,
  io: ServerIo,
): Promise<number> {
  const parsed = configOf(args, env, io)
  if (typeof parsed === 'number') return parsed
  if (parsed.rootKey !== undefined) {
    io.stderr(
      'TRESOR_ROOT_KEY is set, so the key file is not used: put the old key in ' +
        'TRESOR_ROOT_KEY_PREVIOUS and a new one in TRESOR_ROOT_KEY, restart, then ' +
        'POST /v1/admin/keys/rewrap\n',
    )
    return 1
  }
  try {
    const report = await withStore(parsed, (store) => rotate(store, parsed))
    io.stdout(
      `Root key rotated: ${report.dataKeys} data keys and ${report.serverSecrets} server ` +
        `secrets re-wrapped under root key ${report.rootKeyId}. The previous key stays in ` +
        `${join(parsed.dataDir, PREVIOUS_ROOT_KEY_FILE)} until the next rotation; restart ` +
        `running servers so that they wrap new keys with the new one.\n`,
    )
    for (const u of report.unreadable) {
      io.stderr(`${u.id} is wrapped by root key ${u.rootKeyId}, which is not configured\n`)
    }
    return report.unreadable.length === 0 ? 0 : 1
  } catch (err) {
    if (!(err instanceof AppError)) throw err
    io.stderr(`${err.code}: ${err.message}\n`)
    return 1
  }
}

async function withStore<T>(config: ServerConfig, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(
    config.databaseUrl === undefined
      ? { sqlitePath: join(config.dataDir, 'tresor.db') }
      : { url: config.databaseUrl },
  )
  try {
    return await fn(store)
  } finally {
    await store.close()
  }
}

async function rotate(store: Store, config: ServerConfig): Promise<RootRotationReport> {
  const deps = { store, clock: systemClock }
  const extra = (config.rootKeyPrevious ?? []).map((k) => createStaticKeyProvider(k))
  const current = await loadExistingKeyFile(config.dataDir)
  const previous = await loadPreviousKeyFile(config.dataDir)
  // root.key.previous is about to be replaced: first move whatever an interrupted rotation (or a
  // server not restarted since the last one) left under it.
  await rotateRoot({
    ...deps,
    provider: createMultiKeyProvider(current, previous ? [previous, ...extra] : extra),
  })
  const next = await rotateKeyFile(config.dataDir)
  return rotateRoot({
    ...deps,
    provider: createMultiKeyProvider(next.current, [next.previous, ...extra]),
  })
}

/** The parsed settings, or the exit code after printing why they are not usable. */
function configOf(
  args: string[],
  env: Record<string, string | undefined>,
  io: ServerIo,
): Readonly<ServerConfig> | number {
  let dataDir: string | undefined
  try {
    const { values } = parseArgs({
      args,
      options: { 'data-dir': { type: 'string' } },
      strict: true,
      allowPositionals: false,
    })
    dataDir = values['data-dir']
  } catch (err) {
    io.stderr(`${err instanceof Error ? err.message : 'invalid arguments'}\n`)
    return 2
  }
  const parsed = parseServerConfig(env, { dataDir })
  if (parsed.ok) return parsed.config
  for (const p of parsed.problems) io.stderr(`${p.setting}: ${p.message}\n`)
  return 1
}
