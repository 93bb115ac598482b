import { AppError } from '../../core/errors.ts'
import { foreignKeyViolation, uniqueConflict } from '../kysely/constraints.ts'
import type { QueryContext } from '../kysely/engine.ts'

// better-sqlite3 errors carry an extended result code (`SQLITE_CONSTRAINT_UNIQUE`, …). Their
// constraint messages name tables and columns only, but other messages are never passed on.

const UNAVAILABLE_PREFIXES = [
  'SQLITE_FULL',
  'SQLITE_IOERR',
  'SQLITE_READONLY',
  'SQLITE_CANTOPEN',
  'SQLITE_CORRUPT',
  'SQLITE_NOTADB',
  'SQLITE_PERM',
]

/** Translates a better-sqlite3 error into an AppError without any value or parameter. */
export function translateSqliteError(err: unknown, ctx: QueryContext): AppError {
  if (err instanceof AppError) return err
  const e = err as { code?: unknown; message?: unknown } | null
  const code = typeof e?.code === 'string' ? e.code : undefined
  const message = typeof e?.message === 'string' ? e.message : ''
  const meta = { engine: 'sqlite', driverCode: code, op: ctx.op }
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    const { table, columns } = constraintColumns(message)
    return uniqueConflict({ table: table ?? ctx.table ?? 'row', columns }, meta)
  }
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
    return foreignKeyViolation(ctx.op, ctx.table, undefined, meta)
  }
  if (code === 'SQLITE_CONSTRAINT_NOTNULL') {
    const { table, columns } = constraintColumns(message)
    return new AppError(
      'INTERNAL',
      `${table ?? 'row'}.${columns[0] ?? '?'} must not be null`,
      [],
      meta,
    )
  }
  if (code?.startsWith('SQLITE_BUSY') || code?.startsWith('SQLITE_LOCKED')) {
    return new AppError(
      'UNAVAILABLE',
      'the database is busy (another writer holds it); retry',
      [],
      meta,
    )
  }
  if (code && UNAVAILABLE_PREFIXES.some((p) => code.startsWith(p))) {
    return new AppError('UNAVAILABLE', `the database cannot be read or written (${code})`, [], meta)
  }
  if (message === 'The database connection is not open') {
    return new AppError('UNAVAILABLE', 'the store is closed', [], meta)
  }
  const what = code ?? (err instanceof Error ? err.name : 'unknown error')
  return new AppError('INTERNAL', `the database refused a statement (${what})`, [], meta)
}

/** `UNIQUE constraint failed: projects.workspace_id, projects.slug` → table and columns. */
function constraintColumns(message: string): { table: string | undefined; columns: string[] } {
  const list = message.slice(message.indexOf(': ') + 2).split(', ')
  const pairs = list.map((p) => p.split('.'))
  return {
    table: pairs[0]?.[0],
    columns: pairs.map((p) => p[1] ?? p[0] ?? '?'),
  }
}
