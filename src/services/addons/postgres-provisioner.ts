import pg from 'pg'
import { AppError } from '../../core/errors.ts'
import { copyByDump } from './dump-copy.ts'
import { quoteIdent, type DatabaseNames } from './pg-identifiers.ts'
import { generatePassword, scramVerifier } from './scram.ts'

/** How a preview's database was made from its parent's. */
export interface ForkResult {
  url: string
  mode: 'template' | 'dump'
  reason: string
}

/** Makes, forks, re-keys and drops databases and roles on one PostgreSQL server. */
export interface PostgresProvisioner {
  /** A new role with a generated password and a database it owns; returns the app's URL. */
  provision(names: DatabaseNames): Promise<{ url: string }>
  /** A copy of `parent`'s database owned by a new role that has no right on the parent. */
  fork(parent: DatabaseNames, child: DatabaseNames): Promise<ForkResult>
  /**
   * A new password for the role, made effective only when `store(url)` resolves: the ALTER ROLE
   * runs in a transaction left open while `store` commits the new URL, so the old password keeps
   * working until then and a failed `store` leaves the role as it was (its error is rethrown).
   */
  rotate<T>(names: DatabaseNames, store: (url: string) => Promise<T>): Promise<T>
  /** Drops the database (closing its sessions) and the role; nothing to drop is fine. */
  drop(names: DatabaseNames): Promise<void>
}

export interface PostgresProvisionerOptions {
  /** Connection URL of a role with CREATEDB and CREATEROLE (a superuser for forks). */
  adminUrl: string
  /** Host (and port) the apps connect to, when not the admin URL's. */
  publicHost?: string
  /** PATH to find pg_dump and psql (forks of a busy database); default the usual bin dirs. */
  path?: string | undefined
}

// SQLSTATE 55006 object_in_use: "source database is being accessed by other users".
const OBJECT_IN_USE = '55006'

/** Errors of the database server in Tresor's words: its SQLSTATE and message, no URL. */
function refused(what: string, err: unknown): AppError {
  const e = err as { code?: unknown; message?: unknown }
  const detail =
    typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)
      ? `${e.code}: ${String(e.message)}`
      : 'the add-on database server cannot be reached'
  return new AppError('UNAVAILABLE', `postgres add-on: ${what} failed (${detail})`)
}

/** The built-in `postgres` add-on's provisioner over the `pg` driver (and pg_dump for forks). */
export function createPostgresProvisioner(
  options: PostgresProvisionerOptions,
): PostgresProvisioner {
  const admin = new URL(options.adminUrl)

  function urlOf(database: string): string {
    const url = new URL(admin.toString())
    url.pathname = `/${database}`
    return url.toString()
  }

  /** Runs `fn` on a fresh admin connection to `database` (the admin URL's by default). */
  async function withAdmin<T>(
    what: string,
    fn: (c: pg.Client) => Promise<T>,
    database?: string,
  ): Promise<T> {
    const client = new pg.Client({
      connectionString: database === undefined ? options.adminUrl : urlOf(database),
    })
    client.on('error', () => {})
    try {
      await client.connect()
      return await fn(client)
    } catch (err) {
      if (err instanceof AppError) throw err
      throw refused(what, err)
    } finally {
      await client.end().catch(() => {})
    }
  }

  /** The URL an app uses: the role's name and password, the public host, its database. */
  function appUrl(names: DatabaseNames, password: string): string {
    const url = new URL(`postgresql://${options.publicHost ?? admin.host}`)
    url.username = names.role
    url.password = password
    url.pathname = `/${names.database}`
    return url.toString()
  }

  async function createRole(c: pg.Client, role: string): Promise<string> {
    const password = generatePassword()
    await c.query(`CREATE ROLE ${quoteIdent(role)} LOGIN PASSWORD '${scramVerifier(password)}'`)
    return password
  }

  // New databases let PUBLIC connect; only the owner (and the admin) may, so a preview's role
  // cannot even open its parent's database.
  const lockDown = (c: pg.Client, database: string) =>
    c.query(`REVOKE ALL ON DATABASE ${quoteIdent(database)} FROM PUBLIC`)

  async function provision(names: DatabaseNames) {
    return withAdmin('creating the database', async (c) => {
      const password = await createRole(c, names.role)
      try {
        await c.query(
          `CREATE DATABASE ${quoteIdent(names.database)} OWNER ${quoteIdent(names.role)}`,
        )
        await lockDown(c, names.database)
      } catch (err) {
        await dropWith(c, names).catch(() => {})
        throw err
      }
      return { url: appUrl(names, password) }
    })
  }

  async function fork(parent: DatabaseNames, child: DatabaseNames): Promise<ForkResult> {
    const made = await withAdmin('forking the database', async (c) => {
      const password = await createRole(c, child.role)
      // A template with sessions makes CREATE DATABASE wait ~5 s before failing: look first (a
      // session opening meanwhile still lands in the catch below).
      const open = await sessionsOn(c, parent.database)
      try {
        if (open > 0) throw Object.assign(new Error('template busy'), { code: OBJECT_IN_USE })
        await c.query(
          `CREATE DATABASE ${quoteIdent(child.database)} TEMPLATE ${quoteIdent(parent.database)} OWNER ${quoteIdent(child.role)}`,
        )
        await lockDown(c, child.database)
        return { password, busy: undefined }
      } catch (err) {
        if ((err as { code?: unknown }).code !== OBJECT_IN_USE) {
          await dropWith(c, child).catch(() => {})
          throw err
        }
        const busy = open > 0 ? open : await sessionsOn(c, parent.database)
        await c.query(
          `CREATE DATABASE ${quoteIdent(child.database)} OWNER ${quoteIdent(child.role)}`,
        )
        await lockDown(c, child.database)
        return { password, busy }
      }
    })
    try {
      if (made.busy === undefined) {
        await reassign(parent, child)
        return {
          url: appUrl(child, made.password),
          mode: 'template',
          reason: 'copied with CREATE DATABASE … TEMPLATE (no session was connected to the parent)',
        }
      }
      await copyByDump({
        admin: options.adminUrl,
        from: parent.database,
        to: child.database,
        role: child.role,
        password: made.password,
        path: options.path ?? '/usr/local/bin:/usr/bin:/bin',
      })
      return {
        url: appUrl(child, made.password),
        mode: 'dump',
        reason: `the parent database had ${made.busy} open session(s), so it could not serve as a template; copied with pg_dump and psql instead`,
      }
    } catch (err) {
      await drop(child).catch(() => {})
      throw err instanceof AppError ? err : refused('copying the database', err)
    }
  }

  // A template copy keeps the parent role as owner of every object in the fork. REASSIGN OWNED
  // also moves shared objects (the parent's database itself), so the same transaction gives the
  // parent database back: the fork's role never owns, nor can reach, anything of the parent.
  async function reassign(parent: DatabaseNames, child: DatabaseNames) {
    await withAdmin(
      'handing the fork to its role',
      async (c) => {
        await c.query('BEGIN')
        await c.query(`REASSIGN OWNED BY ${quoteIdent(parent.role)} TO ${quoteIdent(child.role)}`)
        await c.query(
          `ALTER DATABASE ${quoteIdent(parent.database)} OWNER TO ${quoteIdent(parent.role)}`,
        )
        await c.query('COMMIT')
      },
      child.database,
    )
  }

  async function sessionsOn(c: pg.Client, database: string): Promise<number> {
    const r = await c.query<{ n: string }>(
      'SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [database],
    )
    return Number(r.rows[0]?.n ?? 0)
  }

  async function rotate<T>(names: DatabaseNames, store: (url: string) => Promise<T>): Promise<T> {
    const password = generatePassword()
    const alter = `ALTER ROLE ${quoteIdent(names.role)} PASSWORD '${scramVerifier(password)}'`
    // `store`'s own failure must reach the caller as it is, not as a database-server error.
    let stored: { value: T } | { error: unknown } | undefined
    const out = await withAdmin('rotating the password', async (c) => {
      await c.query('BEGIN')
      // A concurrent rotation of the same role waits for this one's COMMIT (row lock), not forever.
      await c.query(`SET LOCAL lock_timeout = '10s'`)
      await c.query(alter)
      try {
        stored = { value: await store(appUrl(names, password)) }
      } catch (error) {
        stored = { error }
        await c.query('ROLLBACK')
        return undefined
      }
      await c.query('COMMIT')
      return stored
    }).catch(async (err: unknown) => {
      if (stored === undefined) throw err
      // A ROLLBACK lost with its connection rolls back all the same: `store`'s error is the news.
      if ('error' in stored) throw stored.error
      // The new URL is stored but the COMMIT was lost (connection dropped): apply it again.
      await withAdmin('applying the rotated password', (c) => c.query(alter)).catch(() => {
        throw new AppError(
          'UNAVAILABLE',
          'postgres add-on: the new credentials are stored but the database server did not take the new password; rotate again',
        )
      })
      return stored
    })
    if (out === undefined) throw (stored as { error: unknown }).error
    return out.value
  }

  async function dropWith(c: pg.Client, names: DatabaseNames) {
    await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(names.database)} WITH (FORCE)`)
    await c.query(`DROP ROLE IF EXISTS ${quoteIdent(names.role)}`)
  }

  const drop = (names: DatabaseNames) =>
    withAdmin('dropping the database', (c) => dropWith(c, names))

  return { provision, fork, rotate, drop }
}
