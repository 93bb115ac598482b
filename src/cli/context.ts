import { createClient, normalizeBaseUrl, type TresorClient } from '../client/index.ts'
import { netTransport } from '../client/net-transport.ts'
import { withSessionRefresh, type SessionRenewer } from '../client/session-refresh.ts'
import type { Transport } from '../client/transport.ts'
import { AppError } from '../core/errors.ts'
import { credentialsPath, isTooOpen, readCredentials, type Credentials } from './credentials.ts'
import { UsageError } from './errors.ts'
import { findLink, type Link } from './link-file.ts'
import type { CliIo, EnvTarget, Flags, ServerSettings, VerbContext } from './spec.ts'

// Set but empty counts as unset: `TRESOR_TOKEN= tresor …` is how people clear a variable.
const envVar = (io: CliIo, name: string) => {
  const v = io.env[name]
  return v === undefined || v === '' ? undefined : v
}

function once<T>(f: () => T): () => T {
  let done = false
  let value: T
  return () => {
    if (!done) {
      value = f()
      done = true
    }
    return value
  }
}

/** True for https, and for http to this machine (where nothing crosses a network). */
export function isLocal(url: string): boolean {
  const { protocol, hostname } = new URL(url)
  return protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(hostname)
}

/**
 * The renewal of a stored SSO session (`tresor_ses_…`) of `url`, or undefined for any other
 * token. session-renew.ts is loaded only when a renewal is needed.
 */
function sessionRenewer(io: CliIo, url: string, token: string): SessionRenewer | undefined {
  if (!token.startsWith('tresor_ses_')) return undefined
  return async (failed) =>
    (await import('./session-renew.ts')).renewCliSession(io, url, netTransport(), failed)
}

/** node:net (or node:https) transport; with `renew`, a 401 renews the session once and retries. */
export function transportFor(renew: SessionRenewer | undefined): Transport {
  const net = netTransport()
  return renew === undefined ? net : withSessionRefresh(net, renew)
}

/**
 * A client of `url` with `token`, over node:net or node:https (no undici to load). With
 * `renewable`, a stored SSO session (`tresor_ses_…`) is renewed once on 401.
 */
export function clientFor(io: CliIo, url: string, token: string, renewable = false): TresorClient {
  return createClient({
    baseUrl: url,
    token,
    transport: transportFor(renewable ? sessionRenewer(io, url, token) : undefined),
    userAgent: `tresor-cli/${io.version}`,
  })
}

/** Builds the context a verb runs with; settings are resolved only when the verb asks. */
export function createContext(verb: string, args: string[], flags: Flags, io: CliIo): VerbContext {
  const credsPath = credentialsPath(io)
  const creds = once<Credentials>(() => readCredentials(credsPath))
  const link = once<Link | undefined>(() => findLink(io.cwd))

  const server = once<ServerSettings>(() => {
    const raw = flags.url ?? envVar(io, 'TRESOR_URL') ?? creds().default
    if (raw === undefined)
      throw new UsageError(
        'no Tresor server: set TRESOR_URL and TRESOR_TOKEN, or run tresor login --url URL',
      )
    const url = normalizeBaseUrl(raw)
    // With TRESOR_TOKEN set, the stored token is not used: the file is not even read.
    const envToken = envVar(io, 'TRESOR_TOKEN')
    const stored = envToken === undefined ? creds().servers[url]?.token : undefined
    if (stored !== undefined && isTooOpen(credsPath))
      io.stderr(`warning: ${credsPath} can be read by other users; run chmod 600 on it\n`)
    if (!isLocal(url))
      io.stderr(`warning: ${url} is plain http; the token crosses the network unencrypted\n`)
    const renew = stored === undefined ? undefined : sessionRenewer(io, url, stored)
    return { url, token: envToken ?? stored, ...(renew && { renew }) }
  })

  const client = once<TresorClient>(() => {
    const { url, token } = server()
    if (token === undefined)
      throw new AppError(
        'UNAUTHENTICATED',
        `not logged in to ${url}: run tresor login --url ${url}, or set TRESOR_TOKEN`,
      )
    // Renewable when the token is a stored SSO session (not TRESOR_TOKEN).
    return clientFor(io, url, token, server().renew !== undefined)
  })

  const project = once<string>(() => {
    const p = flags.project ?? envVar(io, 'TRESOR_PROJECT') ?? link()?.project
    if (p === undefined)
      throw new UsageError(
        'no project: pass -p PROJECT, set TRESOR_PROJECT, or run tresor link -p PROJECT here',
      )
    return p
  })

  const target = once<EnvTarget>(() => {
    const p = project()
    // The link file is read only when it is needed: -e and TRESOR_ENV win over it.
    const fromLink = () => {
      const linked = link()
      return linked !== undefined && linked.project === p ? linked.env : undefined
    }
    const env = flags.env ?? envVar(io, 'TRESOR_ENV') ?? fromLink()
    if (env === undefined)
      throw new UsageError('no environment: pass -e ENV, set TRESOR_ENV, or run tresor link -e ENV')
    return { project: p, env }
  })

  return { verb, args, flags, io, server, client, project, target }
}
