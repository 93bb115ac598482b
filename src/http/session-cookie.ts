import type { FastifyRequest } from 'fastify'
import { SESSION_COOKIE } from '../services/sessions/secrets.ts'

/** Whether cookies must be `Secure`: the public URL is https, or this request came over TLS. */
export function isSecureRequest(request: FastifyRequest, publicUrl: string | undefined): boolean {
  if (publicUrl !== undefined) return publicUrl.startsWith('https:')
  return request.protocol === 'https'
}

/** `Set-Cookie` of a dashboard session: HttpOnly, SameSite=Lax, whole site, no Max-Age. */
export function sessionCookie(secret: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${secret}; Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`
}

/** `Set-Cookie` that removes the session cookie. */
export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`
}
