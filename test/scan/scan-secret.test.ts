// The server's scan secret on every engine: made once and shared by replicas, per-project scan
// keys derived from it, and replaced (not a dead end) when the root key that wrapped it is gone.
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMultiKeyProvider, createStaticKeyProvider } from '../../src/crypto/index.ts'
import {
  deriveScanKey,
  loadOrCreateScanSecret,
  SCAN_SECRET_NAME,
} from '../../src/services/scan/scan-secret.ts'
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/stores.ts'

const clock = { now: () => new Date('2026-01-02T03:04:05Z') }

describe.each(ENGINES)('scan secret [%s]', (engine) => {
  let db: TestDatabase
  const oldRoot = createStaticKeyProvider(randomBytes(32))
  const newRoot = createStaticKeyProvider(randomBytes(32))
  beforeAll(async () => {
    db = await createTestDatabase(engine)
  })
  afterAll(async () => db.dispose())

  it('is made once, stored wrapped (never in clear), and the same for every replica', async () => {
    const replica = await db.open()
    const load = () => [db.store, replica].map((s) => loadOrCreateScanSecret(s, oldRoot, clock))
    // Replicas race on PostgreSQL; SQLite has one writer per file, so one process at a time.
    const [a, b] =
      engine === 'postgres'
        ? await Promise.all(load())
        : [
            await loadOrCreateScanSecret(db.store, oldRoot, clock),
            await loadOrCreateScanSecret(replica, oldRoot, clock),
          ]
    if (a === undefined || b === undefined) throw new Error('no secret')
    expect(a).toHaveLength(32)
    expect(b.equals(a)).toBe(true)
    const row = await db.store.serverSecrets.get(SCAN_SECRET_NAME)
    expect(row?.rootKeyId).toBe(oldRoot.id)
    expect(row?.wrapped.includes(a)).toBe(false)
    expect((await loadOrCreateScanSecret(db.store, oldRoot, clock)).equals(a)).toBe(true)
  })

  it('derives a different 32-byte key per project', async () => {
    const secret = await loadOrCreateScanSecret(db.store, oldRoot, clock)
    const a = deriveScanKey(secret, 'prj_0000000000000001')
    expect(a).toHaveLength(32)
    expect(deriveScanKey(secret, 'prj_0000000000000001').equals(a)).toBe(true)
    expect(deriveScanKey(secret, 'prj_0000000000000002').equals(a)).toBe(false)
  })

  it('stays readable while the old root key is configured, and is replaced once it is gone', async () => {
    const original = await loadOrCreateScanSecret(db.store, oldRoot, clock)
    const both = createMultiKeyProvider(newRoot, [oldRoot])
    expect((await loadOrCreateScanSecret(db.store, both, clock)).equals(original)).toBe(true)
    const replaced = await loadOrCreateScanSecret(db.store, newRoot, clock)
    expect(replaced.equals(original)).toBe(false)
    expect((await db.store.serverSecrets.get(SCAN_SECRET_NAME))?.rootKeyId).toBe(newRoot.id)
    expect((await loadOrCreateScanSecret(db.store, newRoot, clock)).equals(replaced)).toBe(true)
  })
})
