import { AppError } from '../../core/errors.ts'

/** A named unique index: migrations create it, dialects map an engine's violation back to it. */
export interface UniqueKey {
  name: string
  table: string
  columns: readonly string[]
  /** Sentence for the CONFLICT error; names the field, never a value. */
  message: string
}

/** Every unique key besides primary keys, in one place so both engines report them alike. */
export const UNIQUE_KEYS: readonly UniqueKey[] = [
  {
    name: 'ux_data_keys_version',
    table: 'data_keys',
    columns: ['workspace_id', 'version'],
    message: 'this data key version already exists in the workspace',
  },
  {
    name: 'ux_data_keys_current',
    table: 'data_keys',
    columns: ['workspace_id'],
    message: 'the workspace already has a current data key; retire it first',
  },
  {
    name: 'ux_members_email',
    table: 'members',
    columns: ['workspace_id', 'email'],
    message: 'a member with this email already exists in the workspace',
  },
  {
    name: 'ux_projects_slug',
    table: 'projects',
    columns: ['workspace_id', 'slug'],
    message: 'a project with this slug already exists in the workspace',
  },
  {
    name: 'ux_environments_slug',
    table: 'environments',
    columns: ['project_id', 'slug'],
    message: 'an environment with this slug already exists in the project',
  },
  {
    name: 'ux_revisions_number',
    table: 'revisions',
    columns: ['scope_id', 'number'],
    message: 'this revision number already exists for the document',
  },
  {
    name: 'ux_releases_number',
    table: 'releases',
    columns: ['environment_id', 'number'],
    message: 'this release number already exists for the environment',
  },
  {
    name: 'ux_tokens_hash',
    table: 'tokens',
    columns: ['token_hash'],
    message: 'a token with this hash already exists',
  },
  {
    name: 'ux_audit_events_seq',
    table: 'audit_events',
    columns: ['workspace_id', 'seq'],
    message: 'this audit sequence number already exists in the workspace',
  },
  {
    name: 'ux_secret_requests_hash',
    table: 'secret_requests',
    columns: ['token_hash'],
    message: 'a secret request with this token hash already exists',
  },
  {
    name: 'ux_sessions_secret',
    table: 'sessions',
    columns: ['secret_hash'],
    message: 'a session with this secret hash already exists',
  },
  {
    name: 'ux_sessions_refresh',
    table: 'sessions',
    columns: ['refresh_hash'],
    message: 'a session with this refresh hash already exists',
  },
  {
    name: 'ux_sso_identities_member',
    table: 'sso_identities',
    columns: ['workspace_id', 'issuer', 'member_id'],
    message: 'this member is already bound to another identity of the provider',
  },
]

/** The CONFLICT error for a unique key, found by index name or by table and columns. */
export function uniqueConflict(
  match: { name: string } | { table: string; columns: readonly string[] },
  meta: Record<string, unknown>,
): AppError {
  const key = UNIQUE_KEYS.find((k) =>
    'name' in match
      ? k.name === match.name
      : k.table === match.table && k.columns.join(',') === match.columns.join(','),
  )
  const table = key?.table ?? ('table' in match ? match.table : undefined) ?? 'row'
  const columns = key?.columns ?? ('columns' in match ? match.columns : ['id'])
  const message = key?.message ?? `a ${table} row with this ${columns.join(', ')} already exists`
  const field = columns[columns.length - 1] ?? 'id'
  return new AppError('CONFLICT', message, [{ field, message }], { ...meta, table })
}

/**
 * The error for a foreign-key violation: writing a row that points at a missing row is NOT_FOUND,
 * deleting a row that others still point at is CONFLICT.
 */
export function foreignKeyViolation(
  op: string,
  table: string | undefined,
  column: string | undefined,
  meta: Record<string, unknown>,
): AppError {
  const where = column ? `${table ?? 'row'}.${column}` : `a ${table ?? ''} row`
  if (op === 'delete') {
    const message = `${table ?? 'row'} is still referenced by other rows`
    return new AppError('CONFLICT', message, [{ field: 'id', message }], { ...meta, table })
  }
  const message = `${where} refers to a row that does not exist`
  return new AppError('NOT_FOUND', message, [{ field: column ?? 'id', message }], {
    ...meta,
    table,
  })
}
