import { credentialIn, secretName } from '../../core/credentials.ts'
import { AppError, type ErrorDetail } from '../../core/errors.ts'
import type { KeyKind } from '../../storage/store.ts'
import type { RequestContext } from '../context.ts'
import type { DocState } from '../documents/document-state.ts'

const USE_REQUEST = 'agent tokens never carry secrets: ask a person with a secret request instead'

/**
 * The rules of `tresor mcp`, enforced by the server for tokens marked `agent`, so another client
 * holding the same token gains nothing: no secret writes, nothing credential-like, no overwrite
 * of an existing secret, no replace of a document that holds secrets.
 */
export function assertAgentWrite(
  ctx: RequestContext,
  state: DocState,
  entries: ReadonlyArray<readonly [string, string]>,
  kinds: ReadonlyMap<string, KeyKind>,
  replace = false,
): void {
  if (ctx.actor.agent !== true) return
  const problems: ErrorDetail[] = []
  for (const [key, value] of entries) {
    const why =
      kinds.get(key) === 'secret' || state.meta.get(key)?.kind === 'secret'
        ? 'is a secret'
        : (secretName(key, value) ?? credentialIn(value))
    if (why !== undefined) problems.push({ key, message: `${key} ${why}; ${USE_REQUEST}` })
  }
  if (replace && [...state.meta.values()].some((m) => m.kind === 'secret')) {
    problems.push({ field: 'replace', message: `replace would remove secrets; ${USE_REQUEST}` })
  }
  if (problems.length > 0) throw new AppError('FORBIDDEN', USE_REQUEST, problems)
}

/** Refuses an agent token anything that hands out or uploads secret values. */
export function assertNotAgent(ctx: RequestContext, what: string): void {
  if (ctx.actor.agent === true) {
    throw new AppError(
      'FORBIDDEN',
      `agent tokens cannot ${what}: secrets never pass through an agent`,
    )
  }
}
