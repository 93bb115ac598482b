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
  return {
    kind: member === undefined ? 'token' : 'member',
    id: member?.id ?? row.id,
    workspaceId: row.workspaceId,
    ...(member === undefined ? {} : { memberId: member.id, role: member.role }),
    scopes: row.scopes,
    ...(row.projectId === null ? {} : { projectId: row.projectId }),
    ...(row.environmentIds === null ? {} : { environmentIds: row.environmentIds }),
    tokenId: row.id,
  }
}
