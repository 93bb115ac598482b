// The built-in postgres add-on against the real PostgreSQL on 127.0.0.1: a database and role
// per environment, previews with their own fork (template copy, or pg_dump when the parent is
// busy), rotation, expiry and detach dropping them, and nothing left behind after the suite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ENGINES } from '../helpers/stores.ts'
import { call, ok, startApp, type AppUnderTest } from '../http/helpers/app.ts'
import { mintToken, newProject, type TestProject } from '../http/helpers/fixtures.ts'
import {
  ADDON_ADMIN_URL,
  addonServerAnswers,
  dropLeftovers,
  leftovers,
  newPrefix,
  passwordAccepted,
  withDb,
} from './helpers.ts'

const prefix = newPrefix()
const available = await addonServerAnswers()
/** Every password the add-on generated in this run: none may appear anywhere but a release. */
const passwords = new Set<string>()

type Addon = { name: string; mode: string; database?: string; changedKeys: string[] }
type Preview = { id: string; database?: { mode: string; reason: string }; warnings: string[] }

async function releasedUrl(t: AppUnderTest, p: TestProject, env: string): Promise<string> {
  const base = `/v1/projects/${p.slug}/environments/${env}`
  const rel = await ok<{ id: string }>(t, 'POST', `${base}/releases`, { status: 201 })
  const { token } = await mintToken(t, { scopes: ['deploy'], project: p.id })
  const out = await ok<{ env: Record<string, string> }>(
    t,
    'GET',
    `${base}/releases/${rel.id}/env`,
    {
      token,
    },
  )
  const url = out.env['DATABASE_URL'] ?? ''
  passwords.add(decodeURIComponent(new URL(url).password))
  return url
}

const databases = async () => (await leftovers(prefix)).databases

/** A trigger that makes the app's store refuse every new revision (a failing commit). */
async function injectCommitFailure(t: AppUnderTest): Promise<void> {
  if (t.engine === 'sqlite') {
    await t.sql(
      "create trigger tresor_test_fail before insert on revisions begin select raise(abort, 'injected commit failure'); end",
    )
    return
  }
  await t.sql(
    "create or replace function tresor_test_fail() returns trigger language plpgsql as $$ begin raise exception 'injected commit failure'; end $$",
  )
  await t.sql(
    'create trigger tresor_test_fail before insert on revisions for each row execute function tresor_test_fail()',
  )
}

async function removeCommitFailure(t: AppUnderTest): Promise<void> {
  await t.sql('drop trigger tresor_test_fail' + (t.engine === 'sqlite' ? '' : ' on revisions'))
}

describe.skipIf(!available)(
  'built-in postgres add-on (skipped: no PostgreSQL at 127.0.0.1)',
  () => {
    afterAll(async () => {
      try {
        // Nothing of this run is left on the server: every database and role was dropped.
        expect(await leftovers(prefix)).toEqual({ databases: [], roles: [] })
      } finally {
        await dropLeftovers(prefix)
      }
    })

    describe.each(ENGINES)('store %s', (engine) => {
      let t: AppUnderTest
      let p: TestProject
      let parentUrl = ''
      beforeAll(async () => {
        t = await startApp({ engine, addonPostgres: { adminUrl: ADDON_ADMIN_URL, prefix } })
        p = await newProject(t)
      })
      afterAll(async () => {
        await t.close()
      })
      const envPath = (env: string) => `/v1/projects/${p.slug}/environments/${env}`

      it('provision: a database and role of its own, listed as system variables', async () => {
        const res = await ok<Addon>(t, 'PUT', `${envPath('staging')}/addons/postgres`, {
          body: { provision: true },
        })
        expect(res).toMatchObject({
          name: 'postgres',
          mode: 'provisioned',
          database: `${prefix}${p.envs['staging']}`,
          changedKeys: ['DATABASE_URL', 'DATABASE_POOL_SIZE'],
        })
        const vars = await ok<{ vars: Array<Record<string, unknown>> }>(
          t,
          'GET',
          `${envPath('staging')}/vars`,
        )
        expect(vars.vars.filter((v) => v.addon === 'postgres')).toEqual([
          {
            key: 'DATABASE_URL',
            kind: 'system',
            preview: expect.any(String) as unknown,
            system: true,
            addon: 'postgres',
          },
          {
            key: 'DATABASE_POOL_SIZE',
            kind: 'system',
            value: '5',
            system: true,
            addon: 'postgres',
          },
        ])
        parentUrl = await releasedUrl(t, p, 'staging')
        expect(new URL(parentUrl).pathname).toBe(`/${res.database}`)
        await withDb(parentUrl, async (c) => {
          expect((await c.query('select current_user as u')).rows[0]).toEqual({
            u: res.database,
          })
          await c.query('create table items (id int primary key, name text)')
          await c.query("insert into items values (1, 'one'), (2, 'two')")
        })
        const refused = await call(t, 'PUT', `${envPath('staging')}/vars`, {
          body: { key: 'DATABASE_URL', value: 'postgres://elsewhere/db' },
        })
        expect(refused.statusCode).toBe(422)
        expect(refused.json<{ detail: string }>().detail).toContain('managed by add-on postgres')
      })

      it('a preview forks the database (template): equal at first, then independent', async () => {
        const made = await ok<Preview>(t, 'POST', `/v1/projects/${p.slug}/previews`, {
          body: { slug: `pr-1`, parent: 'staging' },
          status: 201,
        })
        expect(made.database).toEqual({
          mode: 'template',
          reason: expect.stringContaining('TEMPLATE') as unknown,
        })
        expect(made.warnings).toEqual([expect.stringContaining('forked from staging')])
        const forkUrl = await releasedUrl(t, p, 'pr-1')
        expect(new URL(forkUrl).pathname).toBe(`/${prefix}${made.id}`)
        expect(new URL(forkUrl).username).not.toBe(new URL(parentUrl).username)
        await withDb(forkUrl, async (c) => {
          expect((await c.query('select * from items order by id')).rows).toEqual([
            { id: 1, name: 'one' },
            { id: 2, name: 'two' },
          ])
          // Migrations run against the preview: its role owns the forked tables.
          await c.query('alter table items add column note text')
          await c.query("insert into items (id, name) values (3, 'preview only')")
        })
        await withDb(parentUrl, (c) => c.query("insert into items values (4, 'parent only')"))
        const ids = (url: string) =>
          withDb(url, async (c) =>
            (await c.query<{ id: number }>('select id from items order by id')).rows.map(
              (r) => r.id,
            ),
          )
        expect(await ids(parentUrl)).toEqual([1, 2, 4])
        expect(await ids(forkUrl)).toEqual([1, 2, 3])
        // The preview's role has no right on the parent's database, not even to connect.
        const parentDb = new URL(parentUrl).pathname.slice(1)
        const intoParent = new URL(forkUrl)
        intoParent.pathname = `/${parentDb}`
        await expect(withDb(intoParent.toString(), (c) => c.query('select 1'))).rejects.toThrow(
          /permission denied for database/,
        )
      })

      it('a busy parent is copied with pg_dump instead, and the response says why', async () => {
        const parentDb = new URL(parentUrl).pathname.slice(1)
        const admin = new URL(ADDON_ADMIN_URL)
        admin.pathname = `/${parentDb}`
        const made = await withDb(admin.toString(), () =>
          ok<Preview>(t, 'POST', `/v1/projects/${p.slug}/previews`, {
            body: { slug: 'pr-2', parent: 'staging' },
            status: 201,
          }),
        )
        expect(made.database?.mode).toBe('dump')
        expect(made.database?.reason).toMatch(/open session\(s\).*pg_dump/)
        expect(made.warnings[0]).toContain('(dump)')
        const forkUrl = await releasedUrl(t, p, 'pr-2')
        await withDb(forkUrl, async (c) => {
          expect((await c.query('select id from items order by id')).rows).toEqual([
            { id: 1 },
            { id: 2 },
            { id: 4 },
          ])
          await c.query("insert into items values (5, 'dump preview')")
        })
      })

      it('shareDatabase: true keeps the parent database, with a warning', async () => {
        const before = await databases()
        const made = await ok<Preview>(t, 'POST', `/v1/projects/${p.slug}/previews`, {
          body: { slug: 'pr-3', parent: 'staging', shareDatabase: true },
          status: 201,
        })
        expect(made.database).toEqual({
          mode: 'shared',
          reason: expect.stringContaining('shareDatabase') as unknown,
        })
        expect(made.warnings[0]).toContain('shared with staging')
        expect(await releasedUrl(t, p, 'pr-3')).toBe(parentUrl)
        expect(await databases()).toEqual(before)
      })

      it('deleting or expiring a preview drops its database and role', async () => {
        const pr1 = `${prefix}${(await ok<{ id: string }>(t, 'GET', envPath('pr-1'))).id}`
        await ok(t, 'DELETE', envPath('pr-1'), { status: 204 })
        expect(await databases()).not.toContain(pr1)
        t.clock.offsetMs = 8 * 24 * 3600 * 1000
        try {
          expect(await t.sweepExpired()).toBeGreaterThanOrEqual(2)
        } finally {
          t.clock.offsetMs = 0
        }
        const left = await leftovers(prefix)
        expect(left.databases).toEqual([`${prefix}${p.envs['staging']}`])
        expect(left.roles).toEqual([`${prefix}${p.envs['staging']}`])
      })

      it('rotate: a new password in one call, redeploy required', async () => {
        const res = await ok<Addon & { redeployRequired: boolean }>(
          t,
          'POST',
          `${envPath('staging')}/addons/postgres/rotate`,
        )
        expect(res).toMatchObject({ changedKeys: ['DATABASE_URL'], redeployRequired: true })
        const next = await releasedUrl(t, p, 'staging')
        expect(new URL(next).password).not.toBe(new URL(parentUrl).password)
        expect(new URL(next).pathname).toBe(new URL(parentUrl).pathname)
      })

      it('rotate is atomic: a failed commit leaves the role and the stored URL as they were', async () => {
        const reveal = async () =>
          (
            await ok<{ key: string; value: string }>(
              t,
              'POST',
              `${envPath('staging')}/vars/DATABASE_URL/reveal`,
            )
          ).value
        const before = await reveal()
        const revisionsBefore = await t.sql('select count(*) as n from revisions')
        // The store refuses the rotation's revision: the commit fails after ALTER ROLE ran.
        await injectCommitFailure(t)
        try {
          const res = await call(t, 'POST', `${envPath('staging')}/addons/postgres/rotate`)
          expect(res.statusCode, res.body).toBe(500)
          expect(res.json<{ code: string }>().code).toBe('INTERNAL')
        } finally {
          await removeCommitFailure(t)
        }
        expect(await t.sql('select count(*) as n from revisions')).toEqual(revisionsBefore)
        expect(await reveal()).toBe(before)
        // The stored URL still works: the new password was never committed on the server.
        expect(await passwordAccepted(before)).toBe(true)
        await withDb(before, async (c) => {
          expect((await c.query('select count(*)::int as n from items')).rows).toEqual([{ n: 3 }])
        })
        // Once the store takes it, the rotation lands: the old URL stops working, the new one works.
        await ok(t, 'POST', `${envPath('staging')}/addons/postgres/rotate`)
        const after = await reveal()
        passwords.add(decodeURIComponent(new URL(after).password))
        expect(after).not.toBe(before)
        expect(await passwordAccepted(after)).toBe(true)
        expect(await passwordAccepted(before)).toBe(false)
        await withDb(after, (c) => c.query('select 1'))
      })

      it('a regular environment with a database is not deleted; detach needs dropDatabase', async () => {
        const del = await call(t, 'DELETE', envPath('staging'))
        expect(del.statusCode).toBe(409)
        expect(del.body).toContain('dropDatabase=true')
        const refused = await call(t, 'DELETE', `${envPath('staging')}/addons/postgres`)
        expect(refused.statusCode).toBe(409)
        expect(refused.json<{ detail: string }>().detail).toContain('?dropDatabase=true')
        expect(await databases()).toHaveLength(1)
        const out = await ok<{ droppedDatabase: boolean }>(
          t,
          'DELETE',
          `${envPath('staging')}/addons/postgres?dropDatabase=true`,
        )
        expect(out.droppedDatabase).toBe(true)
        expect(await leftovers(prefix)).toEqual({ databases: [], roles: [] })
      })

      it('leak canary: no generated password in logs, audit, listings or errors', async () => {
        expect(passwords.size).toBeGreaterThanOrEqual(4)
        const audit = await ok(t, 'GET', `/v1/audit?project=${p.id}&limit=1000`)
        const seen = [
          t.logs.join('\n'),
          JSON.stringify(audit),
          JSON.stringify(await ok(t, 'GET', `${envPath('staging')}/vars`)),
          JSON.stringify(await ok(t, 'GET', `${envPath('staging')}/addons`)),
          JSON.stringify(await t.sql('select * from revisions')),
          JSON.stringify(await t.sql('select * from releases')),
          JSON.stringify(await t.sql('select * from addons')),
        ].join('\n')
        for (const pw of passwords) expect(seen).not.toContain(pw)
      })
    })
  },
)
