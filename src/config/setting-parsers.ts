import { isIP } from 'node:net'
import { resolve } from 'node:path'

/** A parsed setting, or why the text given is not acceptable (never quoting a secret). */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string }

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value })
const fail = <T>(message: string): Parsed<T> => ({ ok: false, message })

// Only for settings that are not secret: the echo helps, but stays short.
const shown = (raw: string): string =>
  JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw)

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

/** `true`/`false`, a hop count, or the addresses (IPs or CIDRs) of trusted reverse proxies. */
export type TrustProxy = boolean | number | readonly string[]

const HOST_NAME =
  /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/

/** A listen address: an IP (IPv6 with or without brackets) or a host name. */
export function parseHost(raw: string): Parsed<string> {
  const unbracketed = /^\[.*\]$/.test(raw) ? raw.slice(1, -1) : raw
  if (isIP(unbracketed) !== 0 || HOST_NAME.test(raw)) return ok(unbracketed)
  return fail(
    `must be an IP address or a host name such as 127.0.0.1 or 0.0.0.0 (got ${shown(raw)})`,
  )
}

/** A TCP port; 0 asks the system for any free one. */
export function parsePort(raw: string): Parsed<number> {
  const port = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN
  if (port >= 0 && port <= 65535) return ok(port)
  return fail(`must be a whole number from 0 to 65535, 0 meaning any free port (got ${shown(raw)})`)
}

/** The data directory, made absolute so that every message and file path is unambiguous. */
export function parseDataDir(raw: string): Parsed<string> {
  if (raw.trim() === '' || raw.includes('\0')) return fail('must be a directory path')
  return ok(resolve(raw))
}

const KNOWN_SCHEMES = [
  'mysql:',
  'mariadb:',
  'sqlite:',
  'file:',
  'http:',
  'https:',
  'redis:',
  'mongodb:',
]

/**
 * A PostgreSQL connection URL. Messages never quote it: its password could be anywhere in a
 * malformed one, so only a parsed scheme is ever shown.
 */
export function parseDatabaseUrl(raw: string): Parsed<string> {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return fail('is not a valid URL; expected postgres://USER:PASSWORD@HOST:PORT/DATABASE')
  }
  if (url.protocol === 'postgres:' || url.protocol === 'postgresql:') return ok(raw)
  // A scheme is shown only when it is a well-known one: `user:password@host` parses as scheme `user:`.
  const scheme = KNOWN_SCHEMES.includes(url.protocol) ? ` (got ${url.protocol}//)` : ''
  return fail(`must be a postgres:// or postgresql:// URL${scheme}`)
}

/** `url` with its password replaced by `***`, for log lines that name the database. */
export function redactDatabaseUrl(raw: string): string {
  try {
    const url = new URL(raw)
    if (url.password !== '') url.password = '***'
    url.search = '' // query parameters may carry a password too (?password=…)
    return url.toString()
  } catch {
    return '(unparseable URL)'
  }
}

/** The root key: base64 (standard or URL-safe) of exactly 32 bytes; never quoted in messages. */
export function parseRootKey(raw: string): Parsed<Buffer> {
  const text = raw.trim()
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) {
    return fail(
      'must be base64 of exactly 32 random bytes (e.g. `openssl rand -base64 32`); it is not base64',
    )
  }
  const key = Buffer.from(text, 'base64')
  if (key.length !== 32 || text.replace(/=+$/, '').length !== 43) {
    return fail(`must be base64 of exactly 32 random bytes; it decodes to ${key.length} bytes`)
  }
  return ok(key)
}

/** The owner's first token: ≥ 32 visible ASCII characters, since it travels in a header. */
export function parseBootstrapToken(raw: string): Parsed<string> {
  if (raw.length < 32) return fail(`must be at least 32 characters long; it has ${raw.length}`)
  if (raw.length > 512) return fail('must be at most 512 characters long')
  if (!/^[\x21-\x7e]+$/.test(raw)) {
    return fail(
      'must contain only visible ASCII characters (no spaces): it is sent in an HTTP header',
    )
  }
  return ok(raw)
}

/** A pino log level. */
export function parseLogLevel(raw: string): Parsed<LogLevel> {
  const level = LOG_LEVELS.find((l) => l === raw.toLowerCase())
  if (level !== undefined) return ok(level)
  return fail(`must be one of ${LOG_LEVELS.join(', ')} (got ${shown(raw)})`)
}

/** A request body limit in bytes, `kb` or `mb` (1 KiB to 64 MiB). */
export function parseBodyLimit(raw: string): Parsed<number> {
  const match = /^(\d{1,9})\s*(b|kb|mb)?$/i.exec(raw.trim())
  const unit = { b: 1, kb: 1024, mb: 1024 * 1024 }[match?.[2]?.toLowerCase() ?? 'b'] ?? 1
  const bytes = match === null ? NaN : Number(match[1]) * unit
  if (bytes >= 1024 && bytes <= 64 * 1024 * 1024) return ok(bytes)
  return fail(`must be a size from 1kb to 64mb, such as 1048576, 512kb or 2mb (got ${shown(raw)})`)
}

const isCidr = (item: string): boolean => {
  const [address = '', prefix, ...rest] = item.split('/')
  const family = isIP(address)
  if (family === 0 || rest.length > 0) return false
  if (prefix === undefined) return true
  const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN
  return bits >= 0 && bits <= (family === 4 ? 32 : 128)
}

/** Which reverse proxies' `X-Forwarded-For` to believe (it decides the client IP rate limits use). */
export function parseTrustProxy(raw: string): Parsed<TrustProxy> {
  const text = raw.trim().toLowerCase()
  if (text === 'true') return ok(true)
  if (text === 'false') return ok(false)
  if (/^\d{1,2}$/.test(text) && Number(text) >= 1) return ok(Number(text))
  const items = text.split(',').map((s) => s.trim())
  if (items.every(isCidr)) return ok(items)
  return fail(
    `must be true, false, a hop count, or a comma-separated list of proxy IPs/CIDRs (got ${shown(raw)})`,
  )
}
