import BetterSqlite3 from 'better-sqlite3'
import { expect, it } from 'vitest'
import { parseDocument, serializeDocument } from '../../src/core/dotenv/index.ts'
import { resolveEnvironment, resolveShared } from '../../src/services/projects/targets.ts'
import { createVariableService } from '../../src/services/variables/variable-service.ts'
import { loadOrCreatePepper } from '../../src/services/workspaces/pepper.ts'
import { forEachStore, type TestDatabase } from '../helpers/stores.ts'
import { atRest, findAll } from './helpers/scan.ts'
import { canary, clock, createWorld, type World } from './helpers/world.ts'

/** Writes canaries through the services in every place a value can go; returns them. */
async function writeCanaries(w: World) {
  const c = {
    secret: canary('SECRET'),
    secretOverwritten: canary('OLDSECRET'),
    config: canary('CONFIG'),
    shared: canary('SHARED'),
    comment: canary('COMMENT'),
  }
  const variables = createVariableService({ store: w.store, documents: w.documents, clock })
  const target = await resolveEnvironment(w.store, w.ctx, w.projectId, 'production', 'write')
  await variables.set(target, w.ctx, { key: 'DB_PASSWORD', value: c.secretOverwritten })
  await variables.set(target, w.ctx, { key: 'DB_PASSWORD', value: c.secret, kind: 'secret' })
  await variables.patch(target, w.ctx, { env: { PUBLIC_URL: c.config, NAME_PROBE_KEY: 'x' } })
  const shared = await resolveShared(w.store, w.ctx, w.projectId, 'write')
  await variables.set(shared, w.ctx, { key: 'SHARED_TOKEN', value: c.shared })
  await w.documents.commit(w.staging, w.ctx, () => ({
    doc: parseDocument(`# rotated by ${c.comment}\nREGION=eu\n`),
    changedKeys: ['REGION'],
    audit: { action: 'document.put', keys: ['REGION'] },
    result: undefined,
  }))
  const back = await w.documents.read(w.staging)
  expect(serializeDocument(back.doc)).toContain(c.comment)
  return c
}

async function secretsOf(w: World, c: Record<string, string>) {
  const pepper = await loadOrCreatePepper(w.store, w.provider, clock)
  const dataKey = (await w.keyring.currentKey(w.workspaceId)).key.export()
  return {
    ...Object.fromEntries(Object.entries(c).map(([k, v]) => [k, Buffer.from(v)])),
    rootKey: w.rootKey,
    pepper,
    dataKey,
  }
}

function checkpoint(db: TestDatabase) {
  const raw = new BetterSqlite3(db.options.sqlitePath ?? '')
  try {
    raw.pragma('busy_timeout = 2000')
    raw.pragma('wal_checkpoint(TRUNCATE)')
  } finally {
    raw.close()
  }
}

it('the scanner finds a secret in each form it claims to search', () => {
  const secret = Buffer.from(canary())
  const noise = (n: number) => Buffer.alloc(n, 0x2e)
  const blobs: Record<string, Buffer> = {
    utf16: Buffer.concat([noise(3), Buffer.from(secret.toString(), 'utf16le')]),
    hex: Buffer.from(`\\x00${secret.toString('hex')}ff`),
  }
  for (let offset = 0; offset < 3; offset++) {
    const embedded = Buffer.concat([noise(offset), secret, noise(5)])
    blobs[`b64_${offset}`] = Buffer.from(embedded.toString('base64'))
  }
  expect(findAll(blobs, { s: secret }).sort()).toEqual(
    [
      's:utf16le@utf16',
      's:hex@hex',
      's:base64+0@b64_0',
      's:base64+1@b64_1',
      's:base64+2@b64_2',
    ].sort(),
  )
})

forEachStore('no plaintext at rest', (db) => {
  it(
    'values, comments, root key, data key and pepper appear nowhere at rest; key names do',
    { timeout: 20_000 },
    async () => {
      const w = await createWorld(db().store)
      const c = await writeCanaries(w)
      const secrets = await secretsOf(w, c)
      const before = atRest(db())
      // The probe: a key name is stored in clear, so a scan that misses it scans nothing.
      expect(findAll(before, { name: Buffer.from('NAME_PROBE_KEY') }).length).toBeGreaterThan(0)
      expect(findAll(before, secrets)).toEqual([])
      if (db().engine === 'sqlite') {
        expect(Object.keys(before)).toEqual(['db', 'db-wal', 'db-shm'])
        checkpoint(db())
        const after = atRest(db())
        const probe = { name: Buffer.from('NAME_PROBE_KEY') }
        expect(findAll({ db: after['db'] ?? Buffer.alloc(0) }, probe)).toEqual(['name:utf8@db'])
        expect(findAll(after, secrets)).toEqual([])
      }
    },
  )
})
