import type { Role } from '../../core/actor.ts'
import type { AuthSettingsRow } from '../../storage/store.ts'

const STRENGTH: readonly Role[] = ['owner', 'admin', 'developer', 'viewer']

/** Who the provider says signed in, after the rules: a role, or why they are refused. */
export type SsoDecision =
  { ok: true; email: string; name: string; role: Role } | { ok: false; reason: string }

function claimValues(claims: Record<string, unknown>, claim: string): string[] {
  const v = claims[claim]
  if (typeof v === 'string') return [v]
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []
}

/**
 * Applies the workspace's rules to the provider's claims: a verified email (an explicit
 * `email_verified: false` is refused), an allowed domain (any when none are listed), and the
 * strongest role any value of the role claim maps to, else the default role, else refused.
 */
export function decideSso(settings: AuthSettingsRow, claims: Record<string, unknown>): SsoDecision {
  const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : ''
  if (!/^[^@\s]+@[^@\s]+$/.test(email)) return { ok: false, reason: 'no email claim' }
  if (claims.email_verified === false) return { ok: false, reason: 'email not verified' }
  const domain = email.slice(email.lastIndexOf('@') + 1)
  const allowed = settings.ssoAllowedDomains.map((d) => d.toLowerCase())
  if (allowed.length > 0 && !allowed.includes(domain))
    return { ok: false, reason: 'email domain not allowed' }
  const values = settings.ssoRoleClaim === null ? [] : claimValues(claims, settings.ssoRoleClaim)
  const mapped = values.flatMap((v) => {
    const role = Object.hasOwn(settings.ssoRoleMap, v) ? settings.ssoRoleMap[v] : undefined
    return role === undefined ? [] : [role]
  })
  const role = STRENGTH.find((r) => mapped.includes(r)) ?? settings.ssoDefaultRole
  if (role === null) return { ok: false, reason: 'no role claim matches' }
  const name = typeof claims.name === 'string' && claims.name !== '' ? claims.name : email
  return { ok: true, email, name, role }
}
