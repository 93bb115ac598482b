import { newId } from '../../core/ids.ts'
import type { MemberRow, Store, StoreTx } from '../../storage/store.ts'
import { appendAudit } from '../audit/audit-service.ts'
import type { Clock } from '../context.ts'
import type { SsoDecision } from './sso-rules.ts'

/** Who signed in at the provider: its issuer, the stable subject, and the rules' decision. */
export interface SsoIdentity {
  workspaceId: string
  issuer: string
  subject: string
  /** The provider said `email_verified: true` (required to link an existing member). */
  emailVerified: boolean
  decision: Extract<SsoDecision, { ok: true }>
}

export type MemberOutcome =
  { ok: true; member: MemberRow; created: boolean; linked: boolean } | { ok: false; reason: string }

type Origin = { ip: string; requestId: string }

/**
 * The member a provider identity signs in as. Found by (issuer, subject), never by email: an
 * email changed or reused at the provider cannot reach another member. A first login links the
 * member with that email only when the provider verified it and no other subject of this issuer
 * holds that member; else, with no such member, it creates one bound to the identity. The role
 * follows the claims at every login, except the owner's, which only the owner can hand over.
 */
export async function memberForIdentity(
  deps: { store: Store; clock: Clock },
  id: SsoIdentity,
  origin: Origin,
): Promise<MemberOutcome> {
  const { store } = deps
  const { workspaceId, issuer, subject, decision: d } = id
  if (subject === '' || issuer === '') return { ok: false, reason: 'no subject claim' }
  const bound = await store.sessions.getIdentity(workspaceId, issuer, subject)
  if (bound !== undefined) {
    const member = await store.members.get(workspaceId, bound.memberId)
    if (member === undefined) return { ok: false, reason: 'bound member no longer exists' }
    return {
      ok: true,
      member: await withRole(deps, member, d.role, origin),
      created: false,
      linked: false,
    }
  }
  const existing = await store.members.getByEmail(workspaceId, d.email)
  if (existing !== undefined) {
    if ((await store.sessions.identityOfMember(workspaceId, issuer, existing.id)) !== undefined)
      return { ok: false, reason: 'email belongs to a member bound to another identity' }
    if (!id.emailVerified)
      return { ok: false, reason: 'email not verified: cannot link an existing member' }
  }
  const now = deps.clock.now()
  const member = await store.transaction(async (tx) => {
    const ctx = ssoCtx(workspaceId, origin)
    let row = existing
    if (row === undefined) {
      row = await tx.members.create({
        id: newId('member', now.getTime()),
        ...{ workspaceId, email: d.email, name: d.name, role: d.role, disabled: false },
        createdAt: now.toISOString(),
      })
      const detail = { memberId: row.id, role: row.role, via: 'sso' }
      await appendAudit(tx, ctx, { workspaceId, action: 'member.create', detail }, now)
    } else row = await updateRole(tx, row, d.role, origin, now)
    await tx.sessions.bindIdentity({
      ...{ workspaceId, issuer, subject, memberId: row.id, email: d.email },
      createdAt: now.toISOString(),
    })
    const detail = { memberId: row.id, issuer, sub: subject }
    await appendAudit(tx, ctx, { workspaceId, action: 'member.sso_link', detail }, now)
    return row
  })
  return { ok: true, member, created: existing === undefined, linked: true }
}

function ssoCtx(workspaceId: string, origin: Origin) {
  return {
    actor: { kind: 'member' as const, id: 'sso', workspaceId, scopes: [], tokenId: 'sso' },
    ...origin,
  }
}

async function withRole(
  deps: { store: Store; clock: Clock },
  member: MemberRow,
  role: MemberRow['role'],
  origin: Origin,
): Promise<MemberRow> {
  if (member.role === role || member.role === 'owner') return member
  const now = deps.clock.now()
  return deps.store.transaction((tx) => updateRole(tx, member, role, origin, now))
}

async function updateRole(
  tx: StoreTx,
  member: MemberRow,
  role: MemberRow['role'],
  origin: Origin,
  now: Date,
): Promise<MemberRow> {
  if (member.role === role || member.role === 'owner') return member
  const { workspaceId } = member
  const row = await tx.members.update(workspaceId, member.id, { role })
  const detail = { memberId: row.id, role: row.role, via: 'sso' }
  await appendAudit(
    tx,
    ssoCtx(workspaceId, origin),
    { workspaceId, action: 'member.update', detail },
    now,
  )
  return row
}
