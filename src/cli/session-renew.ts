import { createClient, isApiError, ApiError, type Transport } from '../client/index.ts'
import {
  credentialsPath,
  readCredentials,
  ssoCredentials,
  writeCredentials,
} from './credentials.ts'
import type { CliIo } from './spec.ts'

/**
 * The CLI's renewal of an SSO session whose bearer the server refused (401): trades the stored
 * refresh secret for a new bearer and refresh secret and saves them (0600). When another tresor
 * process renewed it first, its bearer is used. When the server refuses the refresh (session
 * signed out, expired, or the provider no longer vouches for the member), the dead session is
 * forgotten and the error says, in one line, to sign in again.
 */
export async function renewCliSession(
  io: CliIo,
  url: string,
  transport: Transport,
  failed: string,
): Promise<string> {
  const path = credentialsPath(io)
  const stored = readCredentials(path).servers[url]
  if (stored?.sso === undefined) throw ended(url, undefined)
  if (stored.token !== failed) return stored.token
  const api = createClient({ baseUrl: url, transport, userAgent: `tresor-cli/${io.version}` })
  let next
  try {
    next = await api.sessions.refresh(stored.sso.refresh)
  } catch (err) {
    if (!isApiError(err) || (err.httpStatus !== 401 && err.httpStatus !== 403)) throw err
    // Another tresor process may have used the same refresh secret a moment ago and be about
    // to save what it got: give it that moment before calling the session over.
    await new Promise((resolve) => setTimeout(resolve, 300))
    const now = readCredentials(path)
    const current = now.servers[url]
    if (current?.sso !== undefined && current.token !== failed) return current.token
    if (current !== undefined) {
      // The default stays: the next command says "not logged in to URL", naming the server.
      delete now.servers[url]
      writeCredentials(path, now)
    }
    throw ended(url, err.requestId)
  }
  const creds = readCredentials(path)
  creds.servers[url] = ssoCredentials(next)
  writeCredentials(path, creds)
  return next.session
}

function ended(url: string, requestId: string | undefined): ApiError {
  return new ApiError(
    'UNAUTHENTICATED',
    `your single sign-on session on ${url} has ended (signed out, expired, or refused by the identity provider): run tresor login --sso`,
    { httpStatus: 401, requestId },
  )
}
