import { AppError } from '../../core/errors.ts'

/** The database and role Tresor makes for one environment (both named alike). */
export interface DatabaseNames {
  database: string
  role: string
}

// Names are built from Tresor ids (`env_` + base32) and a configured prefix, then checked again
// here: only these characters ever reach SQL, always double-quoted.
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/

/** The names of environment `environmentId`'s database and role, e.g. `tresor_env_3k9v…`. */
export function namesFor(prefix: string, environmentId: string): DatabaseNames {
  const name = `${prefix}${environmentId}`.toLowerCase()
  if (!IDENTIFIER.test(name)) {
    throw new AppError('INTERNAL', 'an add-on database name would not be a safe identifier')
  }
  return { database: name, role: name }
}

/** `name` double-quoted for SQL, refusing anything that is not a plain lower-case identifier. */
export function quoteIdent(name: string): string {
  if (!IDENTIFIER.test(name)) throw new AppError('INTERNAL', 'unsafe SQL identifier refused')
  return `"${name}"`
}

/** True when `prefix` can start a database name (lower-case letters, digits, underscores). */
export function isValidPrefix(prefix: string): boolean {
  return /^[a-z_][a-z0-9_]{0,30}$/.test(prefix)
}
