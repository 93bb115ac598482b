import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { AppError } from '../core/errors.ts'
import type { CliIo } from './spec.ts'

/** What `tresor login --sso` keeps besides the session's bearer secret (never a client secret). */
export interface SsoCredentials {
  /** `tresor_rfs_…`: single use, traded for a new bearer when the server answers 401. */
  refresh: string
  /** When the bearer stops working (about 15 minutes after each refresh). */
  accessExpiresAt: string
  /** The session's absolute end: then `tresor login --sso` again. */
  expiresAt: string
}

/** One server's credential: a token, or an SSO session's bearer (`tresor_ses_…`) plus `sso`. */
export interface ServerCredentials {
  token: string
  savedAt: string
  sso?: SsoCredentials
}

/** The stored credential of an SSO session the server just granted (login or renewal). */
export function ssoCredentials(granted: {
  session: string
  refresh: string
  accessExpiresAt: string
  expiresAt: string
}): ServerCredentials {
  const { session, refresh, accessExpiresAt, expiresAt } = granted
  return {
    token: session,
    savedAt: new Date().toISOString(),
    sso: { refresh, accessExpiresAt, expiresAt },
  }
}

/** `~/.config/tresor/credentials.json`: the servers logged in to, and which one is the default. */
export interface Credentials {
  default?: string
  servers: Record<string, ServerCredentials>
}

/** Where `tresor login` keeps tokens: `$XDG_CONFIG_HOME/tresor`, else `~/.config/tresor`. */
export function credentialsPath(io: Pick<CliIo, 'env' | 'home'>): string {
  const xdg = io.env.XDG_CONFIG_HOME
  const base = xdg !== undefined && xdg.startsWith('/') ? xdg : join(io.home, '.config')
  return join(base, 'tresor', 'credentials.json')
}

/** The stored credentials; empty when the file does not exist. */
export function readCredentials(path: string): Credentials {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') return { servers: {} }
    throw new AppError('CONFIG_INVALID', `cannot read ${path}`)
  }
  try {
    const parsed = JSON.parse(text) as Partial<Credentials>
    if (typeof parsed.servers !== 'object' || parsed.servers === null) throw new Error('shape')
    return {
      ...(typeof parsed.default === 'string' && { default: parsed.default }),
      servers: parsed.servers,
    }
  } catch {
    // The file holds tokens: the error names the file, never its content.
    throw new AppError(
      'CONFIG_INVALID',
      `${path} is not a credentials file written by tresor login`,
    )
  }
}

/** True when the file can be read by anyone but its owner. */
export function isTooOpen(path: string): boolean {
  try {
    return (statSync(path).mode & 0o077) !== 0
  } catch {
    return false
  }
}

/**
 * Writes the credentials with mode 0600 (directory 0700): to a temporary file first, renamed
 * over the old one, so that a crash never leaves a half-written file or a readable token.
 */
export function writeCredentials(path: string, creds: Credentials): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, `${JSON.stringify(creds, null, 2)}\n`, { mode: 0o600, flag: 'w' })
  chmodSync(tmp, 0o600)
  renameSync(tmp, path)
}
