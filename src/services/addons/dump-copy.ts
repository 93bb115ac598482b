import { spawn } from 'node:child_process'
import { AppError } from '../../core/errors.ts'

export interface DumpCopyInput {
  /** Admin connection URL (reads the source database). */
  admin: string
  /** Source database name. */
  from: string
  /** Target database name: restored into by `role`, so every object it makes is the role's. */
  to: string
  role: string
  password: string
  /** Where pg_dump and psql are found (the server's PATH); nothing else of its environment. */
  path: string
}

/** libpq settings of a URL as environment variables: credentials never go on a command line. */
function libpqEnv(url: URL, database: string): Record<string, string> {
  const env: Record<string, string> = {
    PGHOST: decodeURIComponent(url.hostname.replace(/^\[|\]$/g, '')) || '127.0.0.1',
    PGPORT: url.port || '5432',
    PGUSER: decodeURIComponent(url.username) || 'postgres',
    PGDATABASE: database,
  }
  if (url.password !== '') env['PGPASSWORD'] = decodeURIComponent(url.password)
  const sslmode = url.searchParams.get('sslmode')
  if (sslmode !== null) env['PGSSLMODE'] = sslmode
  return env
}

/**
 * Copies database `from` into the empty database `to` with `pg_dump | psql` (used when `from`
 * has sessions open and so cannot be a template). Their stderr is dropped, not reported: a
 * failing COPY line would quote the app's data.
 */
export async function copyByDump(input: DumpCopyInput): Promise<void> {
  const admin = new URL(input.admin)
  const target = new URL(admin.toString())
  target.username = input.role
  target.password = input.password
  const dump = spawn('pg_dump', ['--no-owner', '--no-privileges', '--format=plain'], {
    env: { PATH: input.path, LC_ALL: 'C', ...libpqEnv(admin, input.from) },
    stdio: ['ignore', 'pipe', 'ignore'],
  })
  const restore = spawn('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1'], {
    env: { PATH: input.path, LC_ALL: 'C', ...libpqEnv(target, input.to) },
    stdio: ['pipe', 'ignore', 'ignore'],
  })
  dump.stdout.pipe(restore.stdin)
  restore.stdin.on('error', () => {})
  const exit = (p: ReturnType<typeof spawn>, name: string) =>
    new Promise<void>((resolve, reject) => {
      p.on('error', () =>
        reject(new AppError('UNAVAILABLE', `postgres add-on: ${name} cannot be started`)),
      )
      p.on('close', (code) =>
        code === 0
          ? resolve()
          : reject(new AppError('UNAVAILABLE', `postgres add-on: ${name} exited with ${code}`)),
      )
    })
  await Promise.all([exit(dump, 'pg_dump'), exit(restore, 'psql')])
}
