import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { hashToken } from '../../crypto/index.ts'

/** The cookie that carries a dashboard session. */
export const SESSION_COOKIE = 'tresor_session'
/** The header a cookie-authenticated write must carry: the session's CSRF token. */
export const CSRF_HEADER = 'x-tresor-csrf'

const SESSION_PREFIX = 'tresor_ses_'
const REFRESH_PREFIX = 'tresor_rfs_'
const SECRET_SHAPE = /^tresor_(ses|rfs)_[A-Za-z0-9_-]{43}$/

/** A new session secret (`tresor_ses_` + 256 random bits): the cookie value or CLI bearer. */
export function newSessionSecret(): string {
  return SESSION_PREFIX + randomBytes(32).toString('base64url')
}

/** A new CLI refresh secret (`tresor_rfs_…`), exchanged for a fresh session secret. */
export function newRefreshSecret(): string {
  return REFRESH_PREFIX + randomBytes(32).toString('base64url')
}

/** True for text shaped like a session secret (checked before any lookup). */
export function isSessionSecret(text: string): boolean {
  return text.startsWith(SESSION_PREFIX) && SECRET_SHAPE.test(text)
}

/** True for text shaped like a refresh secret. */
export function isRefreshSecret(text: string): boolean {
  return text.startsWith(REFRESH_PREFIX) && SECRET_SHAPE.test(text)
}

/** The stored form of a session or refresh secret: HMAC under the server pepper, like tokens. */
export function hashSessionSecret(pepper: Buffer, secret: string): Buffer {
  return hashToken(pepper, secret)
}

/**
 * The session's CSRF token (synchronizer token): an HMAC of its secret under the pepper, so no
 * extra column is needed and it cannot be computed without both.
 */
export function csrfTokenOf(pepper: Buffer, secret: string): string {
  return createHmac('sha256', pepper).update('tresor.csrf.v1\0').update(secret).digest('base64url')
}

/** Constant-time comparison of a presented CSRF token with the expected one. */
export function csrfMatches(expected: string, presented: string | undefined): boolean {
  if (presented === undefined) return false
  const a = Buffer.from(expected, 'utf8')
  const b = Buffer.from(presented, 'utf8')
  return a.length === b.length && timingSafeEqual(a, b)
}
