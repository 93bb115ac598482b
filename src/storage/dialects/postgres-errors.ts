import { AppError } from '../../core/errors.ts'
import { foreignKeyViolation, uniqueConflict, UNIQUE_KEYS } from '../kysely/constraints.ts'
import type { QueryContext } from '../kysely/engine.ts'

// A pg error's message and `detail` may quote values ("Key (slug)=(x)", "Failing row contains
// …", "invalid input syntax for type integer: …"), so only its SQLSTATE and the constraint,
// table and column names are used here.

const NODE_NETWORK = [
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EPIPE',
]

/** Translates a pg (or socket) error into an AppError without any value, parameter or password. */
export function translatePostgresError(err: unknown, ctx: QueryContext): AppError {
  if (err instanceof AppError) return err
  const e = (err ?? {}) as {
    code?: unknown
    constraint?: unknown
    table?: unknown
    column?: unknown
  }
  const code = typeof e.code === 'string' ? e.code : undefined
  const constraint = typeof e.constraint === 'string' ? e.constraint : undefined
  const table = typeof e.table === 'string' ? e.table : ctx.table
  const meta = { engine: 'postgres', driverCode: code, op: ctx.op }
  switch (code) {
    case '23505':
      return constraint && UNIQUE_KEYS.some((k) => k.name === constraint)
        ? uniqueConflict({ name: constraint }, meta)
        : uniqueConflict({ table: table ?? 'row', columns: ['id'] }, meta)
    case '23503':
      return foreignKeyViolation(ctx.op, table, fkColumn(constraint, table), meta)
    case '23502':
      return new AppError(
        'INTERNAL',
        `${table ?? 'row'}.${String(e.column)} must not be null`,
        [],
        meta,
      )
    case '40001':
    case '40P01':
      return new AppError(
        'CONFLICT',
        'a concurrent transaction conflicted with this one; retry',
        [],
        meta,
      )
    case '57014':
      return new AppError('UNAVAILABLE', 'the database cancelled a statement (timeout)', [], meta)
    case '25P02':
      return new AppError('INTERNAL', 'the transaction already failed', [], meta)
  }
  if (code?.startsWith('28')) {
    const message = `the database rejected the connection credentials (SQLSTATE ${code})`
    return new AppError('UNAVAILABLE', message, [], meta)
  }
  if (code === '3D000') {
    return new AppError('UNAVAILABLE', 'the database named in the url does not exist', [], meta)
  }
  if (code && /^(08|53|57|58)/.test(code)) {
    return new AppError('UNAVAILABLE', `the database is unavailable (SQLSTATE ${code})`, [], meta)
  }
  if (code && NODE_NETWORK.includes(code)) {
    return new AppError('UNAVAILABLE', `cannot reach the database (${code})`, [], meta)
  }
  if (code && /^[0-9A-Z]{5}$/.test(code)) {
    return new AppError('INTERNAL', `the database refused a statement (SQLSTATE ${code})`, [], meta)
  }
  // pg reports a dropped connection or a pool timeout as a plain Error without a code.
  if (err instanceof Error && err.constructor === Error) {
    return new AppError('UNAVAILABLE', 'the database connection failed', [], meta)
  }
  const name = err instanceof Error ? err.name : 'unknown error'
  return new AppError('INTERNAL', `the database refused a statement (${name})`, [], meta)
}

/** `environments_project_id_fkey` on table `environments` → `project_id`. */
function fkColumn(constraint: string | undefined, table: string | undefined): string | undefined {
  if (!constraint || !table || !constraint.startsWith(`${table}_`)) return undefined
  return constraint.slice(table.length + 1).replace(/_fkey$/, '')
}
