import type { Actor } from '../../core/actor.ts'
import type { MemberRow, TokenRow } from '../../storage/store.ts'

type LiveFields = Pick<TokenRow, 'revokedAt' | 'expiresAt'>

/** Neither revoked nor expired at `nowIso`. */
export function isTokenLive(row: LiveFields, nowIso: string): boolean {
  return row.revokedAt === null && (row.expiresAt === null || row.expiresAt > nowIso)
}

/**
 * The actor a token acts as: its member (when it has one) with the token's scopes and project
 * and environment limits. Callers check liveness and the member first, and add what only they
 * know (the agent mark of a presented bearer token).
 */
export function tokenActor(row: TokenRow, member: MemberRow | undefined): Actor {
  // Built by assignment, not spread copies: this runs on every request.
  const actor: Actor =
    member === undefined
      ? {
          kind: 'token',
          id: row.id,
          workspaceId: row.workspaceId,
          scopes: row.scopes,
          tokenId: row.id,
        }
      : {
          kind: 'member',
          id: member.id,
          workspaceId: row.workspaceId,
          memberId: member.id,
          role: member.role,
          scopes: row.scopes,
          tokenId: row.id,
        }
  if (member?.revealProduction === true) actor.revealProduction = true
  if (row.projectId !== null) actor.projectId = row.projectId
  if (row.environmentIds !== null) actor.environmentIds = row.environmentIds
  return actor
}
