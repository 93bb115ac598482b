import { assertCan } from '../../core/actor.ts'
import { AppError } from '../../core/errors.ts'
import { newId } from '../../core/ids.ts'
import type { MemberRole, Store } from '../../storage/store.ts'
import { appendAudit } from '../audit/audit-service.ts'
import type { Clock, RequestContext } from '../context.ts'

/** Members of the caller's workspace; changing them needs the admin scope. */
export function createMemberService(deps: { store: Store; clock: Clock }) {
  const { store, clock } = deps

  async function list(ctx: RequestContext) {
    assertCan(ctx.actor, 'read')
    return store.members.list(ctx.actor.workspaceId)
  }

  async function create(
    ctx: RequestContext,
    input: {
      email: string
      name?: string | undefined
      role: Exclude<MemberRole, 'owner'>
      revealProduction?: boolean | undefined
    },
  ) {
    assertCan(ctx.actor, 'admin')
    const now = clock.now()
    const ws = ctx.actor.workspaceId
    const email = input.email.toLowerCase()
    return store.transaction(async (tx) => {
      const member = await tx.members.create({
        id: newId('member', now.getTime()),
        workspaceId: ws,
        email,
        name: input.name ?? email,
        role: input.role,
        disabled: false,
        revealProduction: input.revealProduction ?? false,
        createdAt: now.toISOString(),
      })
      await appendAudit(
        tx,
        ctx,
        {
          workspaceId: ws,
          action: 'member.create',
          detail: {
            memberId: member.id,
            role: member.role,
            revealProduction: member.revealProduction,
          },
        },
        now,
      )
      return member
    })
  }

  async function update(
    ctx: RequestContext,
    id: string,
    patch: {
      role?: Exclude<MemberRole, 'owner'> | undefined
      disabled?: boolean | undefined
      revealProduction?: boolean | undefined
    },
  ) {
    assertCan(ctx.actor, 'admin')
    const ws = ctx.actor.workspaceId
    const member = await store.members.get(ws, id)
    if (member === undefined) throw new AppError('NOT_FOUND', `member ${id} not found`)
    if (member.role === 'owner')
      throw new AppError('FORBIDDEN', 'the owner cannot be changed or disabled')
    const now = clock.now()
    return store.transaction(async (tx) => {
      const updated = await tx.members.update(ws, id, {
        ...(patch.role === undefined ? {} : { role: patch.role }),
        ...(patch.disabled === undefined ? {} : { disabled: patch.disabled }),
        ...(patch.revealProduction === undefined
          ? {}
          : { revealProduction: patch.revealProduction }),
      })
      await appendAudit(
        tx,
        ctx,
        {
          workspaceId: ws,
          action: 'member.update',
          detail: {
            memberId: id,
            role: updated.role,
            disabled: updated.disabled,
            revealProduction: updated.revealProduction,
          },
        },
        now,
      )
      return updated
    })
  }

  return { list, create, update }
}

export type MemberService = ReturnType<typeof createMemberService>
