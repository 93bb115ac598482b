import { createHmac, timingSafeEqual } from 'node:crypto'

/** What the browser carries between `/v1/sso/login` and the callback (HttpOnly cookie). */
export interface LoginState {
  workspaceId: string
  state: string
  nonce: string
  verifier: string
  /** Unix ms after which the callback is refused. */
  exp: number
}

export const LOGIN_STATE_COOKIE = 'tresor_sso'
export const LOGIN_STATE_SECONDS = 600

const mac = (pepper: Buffer, body: string) =>
  createHmac('sha256', pepper).update('tresor.sso-state.v1\0').update(body).digest('base64url')

/** The cookie value: the state as base64url JSON, then an HMAC under the pepper. */
export function encodeLoginState(pepper: Buffer, s: LoginState): string {
  const body = Buffer.from(JSON.stringify(s), 'utf8').toString('base64url')
  return `${body}.${mac(pepper, body)}`
}

/** The state if the cookie is intact and unexpired; undefined otherwise (constant-time check). */
export function decodeLoginState(
  pepper: Buffer,
  value: string | undefined,
  now: number,
): LoginState | undefined {
  if (value === undefined) return undefined
  const [body, tag, extra] = value.split('.')
  if (body === undefined || tag === undefined || extra !== undefined) return undefined
  const want = Buffer.from(mac(pepper, body))
  const got = Buffer.from(tag)
  if (want.length !== got.length || !timingSafeEqual(want, got)) return undefined
  try {
    const s = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as LoginState
    const fields = [s.workspaceId, s.state, s.nonce, s.verifier]
    if (fields.some((f) => typeof f !== 'string') || typeof s.exp !== 'number') return undefined
    return s.exp > now ? s : undefined
  } catch {
    return undefined
  }
}
