// The agent rules of config writes (set_env_vars, create_preview overrides): only non-secret
// config may pass through an agent. Every problem names the key and why, never the value.
import { AppError, type ErrorDetail } from '../core/errors.ts'
import { isReserved } from '../core/system-variables.ts'
import { explainInvalidName } from '../core/variable-name.ts'
import { credentialIn, secretName } from '../core/credentials.ts'

const USE_REQUEST = (key: string) =>
  `secret values must not pass through an agent: call request_secret with key ${key} so that a person types it`

const PASTED_KEY =
  'a key looks like a credential (a value pasted as a name?): names are shown in lists and logs, use a plain name'

/**
 * Refuses names that look like credentials: a secret pasted where a name goes would be stored
 * and shown in clear as a key. The error never quotes the name.
 */
export function assertPlainKeys(field: string, keys: readonly string[]): void {
  if (keys.some((k) => credentialIn(k) !== undefined))
    throw new AppError('VALIDATION_FAILED', PASTED_KEY, [{ field, message: PASTED_KEY }])
}

/** The problems of writing `entries` as config, given the current kinds of existing keys. */
export function configProblems(
  entries: ReadonlyArray<readonly [string, string]>,
  kinds: ReadonlyMap<string, string>,
): ErrorDetail[] {
  const problems: ErrorDetail[] = []
  for (const [key, value] of entries) {
    if (credentialIn(key) !== undefined) {
      problems.push({ field: 'env', message: PASTED_KEY })
      continue
    }
    const invalid = explainInvalidName(key)
    if (invalid !== undefined) {
      // The "key" may be a pasted value: describe it without quoting it.
      problems.push({ field: 'env', message: `a key is not a valid variable name: ${invalid}` })
      continue
    }
    const why = isReserved(key)
      ? `${key} is a system variable: Tresor sets it at each release and it cannot be changed`
      : kinds.get(key) === 'secret'
        ? `${key} is a secret: ${USE_REQUEST(key)}`
        : kinds.get(key) === 'system'
          ? `${key} is a system variable and cannot be changed`
          : mentionCredential(key, value)
    if (why !== undefined) problems.push({ key, message: why })
  }
  return problems
}

function mentionCredential(key: string, value: string): string | undefined {
  const why = credentialIn(value) ?? secretName(key, value)
  if (why === undefined) return undefined
  const subject = why === 'is named like a secret' ? key : `the value of ${key}`
  return `${subject} ${why}: ${USE_REQUEST(key)}`
}

/** Throws VALIDATION_FAILED listing every problem; nothing has been written. */
export function assertConfigOnly(
  what: string,
  entries: ReadonlyArray<readonly [string, string]>,
  kinds: ReadonlyMap<string, string>,
): void {
  const problems = configProblems(entries, kinds)
  if (problems.length === 0) return
  const keys = problems.flatMap((p) => (p.key === undefined ? [] : [p.key]))
  throw new AppError(
    'VALIDATION_FAILED',
    `${what} refused${keys.length > 0 ? ` for ${keys.join(', ')}` : ''}; nothing was changed`,
    problems,
  )
}
