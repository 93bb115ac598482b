import { ROLES as ALL_ROLES, type Role } from '../../core/actor.ts'
import { UsageError } from '../errors.ts'
import type { Verb, VerbContext } from '../spec.ts'

// A workspace has one owner, made at its first start: members get any other role.
type AssignableRole = Exclude<Role, 'owner'>
const ROLES = ALL_ROLES.filter((r): r is AssignableRole => r !== 'owner')

function roleOf(value: string | undefined): AssignableRole | undefined {
  if (value === undefined) return undefined
  const role = ROLES.find((r) => r === value)
  if (role !== undefined) return role
  throw new UsageError(`unknown role ${value}; a member is one of ${ROLES.join(', ')}`)
}

/** `--reveal-production` / `--no-reveal-production`, or neither. */
function grantOf(ctx: VerbContext): boolean | undefined {
  const on = ctx.flags.revealProduction === true
  const off = ctx.flags.noRevealProduction === true
  if (on && off)
    throw new UsageError('give --reveal-production or --no-reveal-production, not both')
  return on ? true : off ? false : undefined
}

/** `tresor members`: everyone in the workspace, with role, status and production-reveal grant. */
export const members: Verb = async (ctx) => {
  const out = await ctx.client().members.list()
  return {
    json: out,
    table: {
      columns: ['ID', 'EMAIL', 'NAME', 'ROLE', 'PROD REVEAL', 'STATUS'],
      rows: out.members.map((m) => [
        m.id,
        m.email,
        m.name,
        m.role,
        // Only a developer's production reveals depend on the grant.
        m.role === 'developer' ? (m.revealProduction ? 'granted' : 'no') : '-',
        m.disabled ? 'disabled' : 'active',
      ]),
    },
  }
}

/** `tresor members:add EMAIL --role R [--name N] [--reveal-production]`. */
export const membersAdd: Verb = async (ctx) => {
  const role = roleOf(ctx.flags.role)
  if (role === undefined) throw new UsageError(`give the member a --role (${ROLES.join(', ')})`)
  const grant = grantOf(ctx)
  const out = await ctx.client().members.create({
    email: ctx.args[0] ?? '',
    role,
    ...(ctx.flags.name === undefined ? {} : { name: ctx.flags.name }),
    ...(grant === undefined ? {} : { revealProduction: grant }),
  })
  return { json: out, notes: [`Added ${out.email} (${out.id}) as ${out.role}.`] }
}

/** `tresor members:update ID [--role R] [--disable|--enable] [--(no-)reveal-production]`. */
export const membersUpdate: Verb = async (ctx) => {
  const role = roleOf(ctx.flags.role)
  const grant = grantOf(ctx)
  if (ctx.flags.disable === true && ctx.flags.enable === true)
    throw new UsageError('give --disable or --enable, not both')
  const disabled = ctx.flags.disable === true ? true : ctx.flags.enable === true ? false : undefined
  if (role === undefined && grant === undefined && disabled === undefined)
    throw new UsageError(
      'nothing to change: give --role, --disable/--enable or --(no-)reveal-production',
    )
  const out = await ctx.client().members.update(ctx.args[0] ?? '', {
    ...(role === undefined ? {} : { role }),
    ...(disabled === undefined ? {} : { disabled }),
    ...(grant === undefined ? {} : { revealProduction: grant }),
  })
  const grantNote =
    out.role === 'developer'
      ? `, production reveals ${out.revealProduction ? 'granted' : 'not granted'}`
      : ''
  return {
    json: out,
    notes: [
      `Updated ${out.email} (${out.id}): ${out.role}, ${out.disabled ? 'disabled' : 'active'}${grantNote}.`,
    ],
  }
}
