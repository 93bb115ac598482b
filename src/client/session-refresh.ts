import type { Transport } from './transport.ts'

/** Renews a session whose bearer `failed` was refused; resolves to the new bearer or throws. */
export type SessionRenewer = (failed: string) => Promise<string>

const SESSION_BEARER = /^Bearer (tresor_ses_[A-Za-z0-9_-]+)$/

/**
 * Wraps a Transport for a client that signs in with a CLI session (`tresor_ses_…`, short-lived):
 * a 401 renews the session once (`renew`, shared by concurrent requests) and retries that
 * request once with the new bearer; later requests carry the new bearer from the start. Any
 * other answer, and every request with another kind of token, passes through untouched.
 */
export function withSessionRefresh(inner: Transport, renew: SessionRenewer): Transport {
  let latest: string | undefined
  let renewing: Promise<string> | undefined
  const withBearer = (headers: Record<string, string>, bearer: string) => ({
    ...headers,
    authorization: `Bearer ${bearer}`,
  })
  return async (req) => {
    const sent = SESSION_BEARER.exec(req.headers.authorization ?? '')?.[1]
    if (sent === undefined) return inner(req)
    const bearer = latest ?? sent
    const first = await inner({ ...req, headers: withBearer(req.headers, bearer) })
    if (first.status !== 401) return first
    renewing ??= renew(bearer).finally(() => {
      renewing = undefined
    })
    latest = await renewing
    return inner({ ...req, headers: withBearer(req.headers, latest) })
  }
}
