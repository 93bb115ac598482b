import { isApiError, normalizeBaseUrl } from '../../client/index.ts'
import { clientFor } from '../context.ts'
import { credentialsPath, readCredentials, writeCredentials } from '../credentials.ts'
import { canPrompt, promptTerminal, readStdin } from '../input.ts'
import { UsageError } from '../errors.ts'
import type { CliIo, Flags, Result, Verb, VerbContext } from '../spec.ts'

/** Where `tresor server` listens by default. */
const DEFAULT_URL = 'http://127.0.0.1:7070'

function urlOf(io: CliIo, flags: Flags, fallback: string | undefined): string {
  const env = io.env.TRESOR_URL === '' ? undefined : io.env.TRESOR_URL
  return normalizeBaseUrl(flags.url ?? env ?? fallback ?? DEFAULT_URL)
}

async function readToken(io: CliIo, url: string): Promise<string> {
  if (io.stdin.isTTY === true) {
    if (!canPrompt(io)) throw new UsageError('no token: pipe it on stdin')
    return (await promptTerminal(io, `Token for ${url} (hidden): `, false)).trim()
  }
  return (await readStdin(io)).trim()
}

/**
 * `tresor login`: reads a token (stdin or a hidden prompt, never argv), checks it against the
 * server, then saves it in the credentials file (mode 0600) as the default server.
 */
export const login: Verb = async (ctx) => {
  const path = credentialsPath(ctx.io)
  const creds = readCredentials(path)
  const url = urlOf(ctx.io, ctx.flags, creds.default)
  if (ctx.flags.sso === true) return (await import('./login-sso.ts')).loginSso(ctx, url)
  const token = await readToken(ctx.io, url)
  if (token === '') throw new UsageError('no token was given')
  const me = await clientFor(ctx.io, url, token).whoami()
  creds.servers[url] = { token, savedAt: new Date().toISOString() }
  creds.default = url
  writeCredentials(path, creds)
  return {
    json: { url, ...me, credentials: path },
    notes: [
      `Logged in to ${url} as ${me.role ?? me.actor.kind} (${me.actor.id}); token saved in ${path}.`,
    ],
  }
}

/**
 * `tresor logout`: forgets the saved credential of a server. An SSO session is first ended on
 * the server (`DELETE /v1/session`); a token stays valid there until it expires or is revoked.
 */
export const logout: Verb = async (ctx) => {
  const path = credentialsPath(ctx.io)
  const url = urlOf(ctx.io, ctx.flags, readCredentials(path).default)
  const stored = readCredentials(path).servers[url]
  if (stored?.sso === undefined) return forget(ctx, url)
  let note = 'the session was ended on the server'
  try {
    await clientFor(ctx.io, url, stored.token, true).sessions.signOut()
  } catch (err) {
    // Already over (expired, refused at refresh): nothing is left to end on the server.
    if (!isApiError(err, 'UNAUTHENTICATED')) throw err
    note = 'the session had already ended on the server'
  }
  forget(ctx, url)
  return { notes: [`Logged out of ${url}: ${note}.`] }
}

function forget(ctx: VerbContext, url: string): Result {
  const path = credentialsPath(ctx.io)
  const creds = readCredentials(path)
  if (creds.servers[url] === undefined) return { notes: [`Not logged in to ${url}.`] }
  delete creds.servers[url]
  if (creds.default === url) {
    const next = Object.keys(creds.servers)[0]
    if (next === undefined) delete creds.default
    else creds.default = next
  }
  writeCredentials(path, creds)
  return {
    notes: [
      `Logged out of ${url}. The token itself stays valid until it expires or is revoked (tresor tokens:revoke).`,
    ],
  }
}

/** `tresor whoami`: the token's owner, role and scopes. */
export const whoami: Verb = async (ctx) => {
  const { url } = ctx.server()
  const me = await ctx.client().whoami()
  return {
    json: { url, ...me },
    table: {
      columns: [],
      rows: [
        ['server', url],
        ['actor', `${me.actor.kind} ${me.actor.id}${me.role === null ? '' : ` (${me.role})`}`],
        ['workspace', me.workspaceId],
        ['token', me.tokenId],
        ['scopes', me.scopes.join(' ')],
        // Only a developer's production reveals depend on the member grant.
        ...(me.role === 'developer'
          ? [['production reveals', me.revealProduction ? 'granted' : 'not granted']]
          : []),
      ],
    },
  }
}
