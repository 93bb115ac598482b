import type { FastifyRequest } from 'fastify'
import { SESSION_COOKIE } from '../services/sessions/secrets.ts'

/** Whether cookies must be `Secure`: the public URL is https, or this request came over TLS. */
export function isSecureRequest(request: FastifyRequest, publicUrl: string | undefined): boolean {
  if (publicUrl !== undefined) return publicUrl.startsWith('https:')
  return request.protocol === 'https'
}

/**
 * `Set-Cookie` of a dashboard session: HttpOnly, SameSite=Strict, whole site, no Max-Age. Strict
 * works for the single sign-on redirect too: the page that the identity provider's redirect lands
 * on needs no cookie, and the dashboard's own requests that follow are same-site. (Only the short
 * login-state cookie of /v1/sso is Lax: it must come back on the provider's redirect.)
 */
export function sessionCookie(secret: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${secret}; Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`
}

/** `Set-Cookie` that removes the session cookie. */
export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`
}
