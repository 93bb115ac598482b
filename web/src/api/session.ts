// How the dashboard stays signed in: a server-side session named by the `tresor_session` cookie
// (HttpOnly, SameSite=Strict, Secure over TLS). The token typed on the sign-in page is sent once, to
// POST /v1/session, and then forgotten: it is never kept in sessionStorage, localStorage or
// memory, so no script in the page can read a credential at all, and a reload keeps the session.
// Because the browser attaches the cookie by itself, every write also carries the session's CSRF
// token (synchronizer token from GET /v1/session, held in memory only) in `X-Tresor-CSRF`; the
// server refuses a cookie-authenticated write without it (403). Sign-out ends the session on the
// server and clears the cookie. The strict Content-Security-Policy keeps foreign scripts out.

import { problemToError } from '../../../src/client/errors.ts'

/** The CSRF header every cookie-authenticated write must carry. */
export const CSRF_HEADER = 'x-tresor-csrf'

/** A signed-in browser session as the dashboard holds it: only the CSRF token, never a secret. */
export interface BrowserSession {
  csrfToken: string
  kind: 'sso' | 'token'
}

async function fail(res: Response): Promise<never> {
  throw problemToError(res.status, await res.text(), res.headers.get('x-request-id') ?? undefined)
}

function sessionOf(body: unknown): BrowserSession {
  const b = body as { csrfToken: string | null; session: { kind: 'sso' | 'token' } }
  if (b.csrfToken === null) throw new Error('the server answered without a CSRF token')
  return { csrfToken: b.csrfToken, kind: b.session.kind }
}

/** Sends the token once to open a session (sets the cookie); the token is not kept. */
export async function openSession(token: string): Promise<BrowserSession> {
  const res = await fetch('/v1/session', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ token }),
  })
  if (!res.ok) return fail(res)
  return sessionOf(await res.json())
}

/** The session of this browser's cookie, if it still works (after a reload or an SSO login). */
export async function resumeSession(): Promise<BrowserSession | undefined> {
  const res = await fetch('/v1/session', {
    credentials: 'same-origin',
    headers: { accept: 'application/json' },
  })
  if (res.status === 401 || res.status === 404) return undefined
  if (!res.ok) return fail(res)
  return sessionOf(await res.json())
}

/** Ends the session on the server (the cookie is cleared by the answer). */
export async function closeSession(session: BrowserSession): Promise<void> {
  await fetch('/v1/session', {
    method: 'DELETE',
    credentials: 'same-origin',
    headers: { [CSRF_HEADER]: session.csrfToken },
  }).catch(() => undefined)
}

/** Whether the workspace has SSO configured (the sign-in page then offers it). */
export async function ssoEnabled(): Promise<boolean> {
  try {
    const res = await fetch('/v1/sso', { credentials: 'same-origin' })
    return res.ok && ((await res.json()) as { enabled: boolean }).enabled
  } catch {
    return false
  }
}
