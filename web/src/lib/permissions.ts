// What the signed-in token may do, to show or hide buttons. Only a hint: the server decides every
// request (src/core/actor.ts) and the page shows its refusal when the two disagree.
import type { Whoami } from '../api/types.ts'

function hasScope(me: Whoami, scope: Whoami['scopes'][number]): boolean {
  if (me.scopes.includes(scope) || me.scopes.includes('admin')) return true
  return scope === 'read' && me.scopes.includes('write')
}

/** May change variables (and paste, roll back). */
export function mayWrite(me: Whoami): boolean {
  return me.role !== 'viewer' && hasScope(me, 'write')
}

/** May create releases. */
export function mayDeploy(me: Whoami): boolean {
  return me.role !== 'viewer' && hasScope(me, 'deploy')
}

/** May read the audit log and manage tokens of others. */
export function isAdmin(me: Whoami): boolean {
  return (me.role === null || me.role === 'owner' || me.role === 'admin') && hasScope(me, 'admin')
}

/**
 * May reveal secret values in the environment `envSlug`: needs `secrets:reveal` (which `admin`
 * implies), except that a developer needs it by name for production, and the member's grant.
 */
export function mayReveal(me: Whoami, envSlug: string): boolean {
  if (me.actor.kind === 'token') return hasScope(me, 'secrets:reveal')
  if (me.role === 'viewer' || me.role === null) return false
  if (me.role === 'developer' && envSlug === 'production')
    return me.revealProduction && me.scopes.includes('secrets:reveal')
  return hasScope(me, 'secrets:reveal')
}
