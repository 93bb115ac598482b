import { AppError } from './errors.ts'

/** What a token may do; a token's scopes narrow what its member's role allows. */
export const SCOPES = ['read', 'write', 'secrets:reveal', 'deploy', 'admin'] as const
export type Scope = (typeof SCOPES)[number]

/** Workspace roles, strongest first. */
export const ROLES = ['owner', 'admin', 'developer', 'viewer'] as const
export type Role = (typeof ROLES)[number]

/** The authenticated caller of a request, as the auth hook hands it to routes. */
export interface Actor {
  /** `member`: a person's personal token (has a role); `token`: a service token (scopes only). */
  kind: 'member' | 'token'
  /** The member id for members, the token id for service tokens: who audit rows name. */
  id: string
  workspaceId: string
  memberId?: string
  role?: Role
  scopes: readonly Scope[]
  /** Set when the token is restricted to one project. */
  projectId?: string
  /** Set when the token is restricted to some environments of that project. */
  environmentIds?: readonly string[]
  tokenId: string
  /** A token issued to an AI agent: never given secret values, never writes secrets. */
  agent?: boolean
  /** Set for a member an owner or admin granted production reveals (matters for developers). */
  revealProduction?: boolean
}

/** Every action is named after the scope that grants it. */
export type Action = Scope

/** What an action touches; the narrower the target, the more precise the decision. */
export interface Target {
  workspaceId: string
  projectId?: string
  environmentId?: string
  /** Needed for `secrets:reveal`: production is special. Missing counts as production. */
  environmentSlug?: string
}

/** `NOT_FOUND` when the target is outside what the actor may even see (no existence oracle). */
export type Decision = 'allow' | 'FORBIDDEN' | 'NOT_FOUND'

const PRODUCTION = 'production'

const ROLE_ACTIONS: Record<Role, readonly Action[]> = {
  owner: SCOPES,
  admin: SCOPES,
  developer: ['read', 'write', 'deploy', 'secrets:reveal'],
  viewer: ['read'],
}

function scopeAllows(scopes: readonly Scope[], action: Action): boolean {
  if (scopes.includes(action) || scopes.includes('admin')) return true
  return action === 'read' && scopes.includes('write')
}

function isProduction(target: Target | undefined): boolean {
  return (target?.environmentSlug ?? PRODUCTION) === PRODUCTION
}

// In production a developer needs the grant an owner or admin gives the member: a developer's
// own session or a token they mint carries the role's scopes, never the grant.
const lacksProductionGrant = (actor: Actor, target: Target | undefined): boolean =>
  actor.role === 'developer' && actor.revealProduction !== true && isProduction(target)

// Revealing always needs the secrets:reveal scope on the token (PRODUCT.md §2.3); a developer's
// token must carry it by name for production, elsewhere the admin scope implies it as well.
function memberMayReveal(actor: Actor, target: Target | undefined): boolean {
  if (actor.role === 'viewer' || actor.role === undefined) return false
  if (lacksProductionGrant(actor, target)) return false
  if (actor.role === 'developer' && isProduction(target)) {
    return actor.scopes.includes('secrets:reveal')
  }
  return scopeAllows(actor.scopes, 'secrets:reveal')
}

// Looking at a wider target than the token is limited to is fine for reading (and, for a
// deployer, for finding what it deploys); acting on it is not.
const mayLookWider = (action: Action) => action === 'read' || action === 'deploy'

function visibility(actor: Actor, action: Action, target: Target): Decision {
  if (target.workspaceId !== actor.workspaceId) return 'NOT_FOUND'
  if (actor.projectId !== undefined) {
    if (target.projectId === undefined) return mayLookWider(action) ? 'allow' : 'FORBIDDEN'
    if (target.projectId !== actor.projectId) return 'NOT_FOUND'
  }
  if (actor.environmentIds !== undefined) {
    if (target.environmentId === undefined) return mayLookWider(action) ? 'allow' : 'FORBIDDEN'
    if (!actor.environmentIds.includes(target.environmentId)) return 'NOT_FOUND'
  }
  return 'allow'
}

/**
 * Decides whether `actor` may do `action` on `target` (workspace-level when omitted).
 * Pure: routes and services turn `FORBIDDEN`/`NOT_FOUND` into errors with `assertCan`.
 */
export function decide(actor: Actor, action: Action, target?: Target): Decision {
  const seen = visibility(actor, action, target ?? { workspaceId: actor.workspaceId })
  if (seen !== 'allow') return seen
  if (action === 'secrets:reveal' && actor.kind === 'member') {
    return memberMayReveal(actor, target) ? 'allow' : 'FORBIDDEN'
  }
  if (actor.role !== undefined && !ROLE_ACTIONS[actor.role].includes(action)) return 'FORBIDDEN'
  return scopeAllows(actor.scopes, action) ? 'allow' : 'FORBIDDEN'
}

/**
 * Whether `actor` may receive the secret values of `target` through a deploy (a release's
 * resolved environment, fingerprints of its values): the deploy action, and for a developer in
 * production the member's reveal grant too, or deploying would hand over what a reveal refuses.
 * Service tokens (deploy hosts) need only the deploy scope.
 */
export function decideDeployedSecrets(actor: Actor, target: Target): Decision {
  const decision = decide(actor, 'deploy', target)
  if (decision !== 'allow' || actor.kind !== 'member') return decision
  return lacksProductionGrant(actor, target) ? 'FORBIDDEN' : 'allow'
}

/** True when `decide` allows the action. */
export function can(actor: Actor, action: Action, target?: Target): boolean {
  return decide(actor, action, target) === 'allow'
}

/** Throws `FORBIDDEN` or `NOT_FOUND` (for targets the actor may not even see) unless allowed. */
export function assertCan(actor: Actor, action: Action, target?: Target): void {
  const decision = decide(actor, action, target)
  if (decision === 'NOT_FOUND') throw new AppError('NOT_FOUND', 'Not found')
  if (decision === 'FORBIDDEN') {
    throw new AppError('FORBIDDEN', `This token is not allowed to ${action} here`)
  }
}
