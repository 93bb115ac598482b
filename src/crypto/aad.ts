import { AppError } from '../core/errors.ts'
import { encodeFields } from './fields.ts'

/**
 * Where a sealed document lives. Sealing binds the ciphertext to these ids, so a blob copied to
 * another workspace, project, environment or revision row fails to open.
 */
export interface Aad {
  readonly workspaceId: string
  readonly projectId: string
  /** An `env_…` id, or `SHARED_ENVIRONMENT` for the project's shared document. */
  readonly environmentId: string
  readonly revisionId: string
}

/** The environment marker of a project's shared document; no real id can equal it. */
export const SHARED_ENVIRONMENT = '~shared'

const SEAL_LABEL = 'tresor.seal.v1'
const FIELDS = ['workspaceId', 'projectId', 'environmentId', 'revisionId'] as const

/** The canonical AAD bytes of a sealed value: purpose label, key id, then the four row ids. */
export function encodeSealAad(aad: Aad, keyId: string): Buffer {
  for (const field of FIELDS) {
    // A missing id would silently weaken the binding, so refuse it instead of sealing.
    if (typeof aad[field] !== 'string' || aad[field].length === 0) {
      throw new AppError('CRYPTO_ERROR', `AAD field ${field} is empty`, [
        { field, message: 'must be a non-empty id' },
      ])
    }
  }
  return encodeFields(SEAL_LABEL, [keyId, ...FIELDS.map((field) => aad[field])])
}
