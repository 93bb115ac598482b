import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { AppError } from '../../src/core/errors.ts'
import { openStore } from '../../src/storage/open-store.ts'
import { ENGINES, TEST_POSTGRES_URL } from '../helpers/stores.ts'
import { expectFailure } from './seed.ts'

describe('openStore options', { timeout: 5_000 }, () => {
  it('needs exactly one of url and sqlitePath', async () => {
    await expect(openStore({})).rejects.toMatchObject({ code: 'CONFIG_INVALID' })
    const both = openStore({ url: 'postgres://x', sqlitePath: '/tmp/x.db' })
    await expect(both).rejects.toMatchObject({ code: 'CONFIG_INVALID' })
  })

  it('refuses a url that is not postgres:// without echoing it', async () => {
    const err = (await openStore({ url: 'mysql://root:hunter2@db/x' }).catch(
      (e: unknown) => e,
    )) as AppError
    expect(err.code).toBe('CONFIG_INVALID')
    expect(JSON.stringify([err.message, err.errors, err.meta])).not.toContain('hunter2')
  })

  it('an unreachable PostgreSQL is UNAVAILABLE and the password appears nowhere', async () => {
    const password = 'pw-canary-7f3a'
    const err = (await openStore({ url: `postgres://tresor:${password}@127.0.0.1:1/x` }).catch(
      (e: unknown) => e,
    )) as AppError
    expect(err).toMatchObject({ name: 'AppError', code: 'UNAVAILABLE' })
    expect(JSON.stringify([err.message, err.errors, err.meta, err.stack])).not.toContain(password)
  })

  it('refuses a malformed postgres url without echoing it', async () => {
    for (const url of [
      'postgres://u:pw-canary@127.0.0.1:notaport/x',
      'postgres://u:pw-canary@[::1/x',
    ]) {
      const err = await expectFailure(openStore({ url }), 'CONFIG_INVALID')
      expect(JSON.stringify([err.message, err.errors, err.meta, err.stack])).not.toContain(
        'pw-canary',
      )
    }
  })

  it.runIf(ENGINES.includes('postgres'))(
    'wrong PostgreSQL credentials are UNAVAILABLE naming credentials, never the password (needs postgres)',
    async () => {
      const url = new URL(TEST_POSTGRES_URL)
      url.username = 'no_such_role_tresor'
      url.password = 'pw-canary-2'
      const err = await expectFailure(openStore({ url: url.href }), 'UNAVAILABLE', 'credentials')
      expect(JSON.stringify([err.message, err.errors, err.meta, err.stack])).not.toContain(
        'pw-canary',
      )
    },
  )

  it('refuses a schema name that is not a plain identifier', async () => {
    const err = openStore({ url: 'postgres://127.0.0.1:1/x', schema: 'a; drop table x' })
    await expect(err).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      errors: [{ field: 'schema' }],
    })
  })

  it('a SQLite path that cannot be opened is UNAVAILABLE naming the path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tresor-open-'))
    try {
      const file = join(dir, 'not-a-dir')
      writeFileSync(file, 'x')
      const path = join(file, 'tresor.db')
      await expectFailure(openStore({ sqlitePath: path }), 'UNAVAILABLE', path)
      const garbage = join(dir, 'garbage.db')
      writeFileSync(garbage, Buffer.alloc(4096, 7))
      await expect(openStore({ sqlitePath: garbage })).rejects.toMatchObject({
        code: 'UNAVAILABLE',
      })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
