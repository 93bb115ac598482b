import {
  LOG_LEVELS,
  parseBodyLimit,
  parseBootstrapToken,
  parseDatabaseUrl,
  parseDataDir,
  parseHost,
  parseLogLevel,
  parsePort,
  parseRootKey,
  parseTrustProxy,
  type LogLevel,
  type Parsed,
  type TrustProxy,
} from './setting-parsers.ts'

export type { LogLevel, TrustProxy } from './setting-parsers.ts'
export { redactDatabaseUrl } from './setting-parsers.ts'

/** Everything `tresor server` is configured with; parsed once in `main/`, then frozen. */
export interface ServerConfig {
  host: string
  port: number
  /** Absolute path of the data directory (SQLite file, root key file, owner-token file). */
  dataDir: string
  /** `undefined` = the embedded SQLite store in `dataDir`. */
  databaseUrl: string | undefined
  /** The 32-byte root key from `TRESOR_ROOT_KEY`; `undefined` = the key file in `dataDir`. */
  rootKey: Buffer | undefined
  /**
   * Root keys replaced by a rotation (`TRESOR_ROOT_KEY_PREVIOUS`), still able to unwrap data keys
   * until `POST /v1/admin/keys/rewrap` has moved them all under `rootKey`.
   */
  rootKeyPrevious?: readonly Buffer[] | undefined
  bootstrapToken: string | undefined
  logLevel: LogLevel
  bodyLimit: number
  trustProxy: TrustProxy
  /**
   * `TRESOR_PUBLIC_URL`: the address users reach the server at (behind a proxy). SSO redirect
   * URIs are built on it, and an https one makes every session cookie `Secure`.
   */
  publicUrl?: string | undefined
  /**
   * `TRESOR_ADDON_POSTGRES_ADMIN_URL`: opt-in built-in `postgres` add-on. A role of that server
   * with CREATEDB and CREATEROLE (a superuser to fork previews' databases) makes one database
   * and role per environment. Unset = add-ons are only what callers attach with their values.
   */
  addonPostgresAdminUrl?: string | undefined
  /**
   * `TRESOR_WEBHOOK_ALLOW_PRIVATE`: let webhooks call loopback, private and link-local addresses
   * (receivers on the server's own network). Off by default: an admin's webhook must not reach
   * cloud metadata or internal services.
   */
  webhookAllowPrivate: boolean
}

/** Command-line flags of `tresor server`; each wins over its environment variable. */
export interface ServerFlags {
  host?: string | undefined
  port?: string | number | undefined
  dataDir?: string | undefined
}

export interface ConfigProblem {
  /** The environment variable or flag (`--port`) the problem is about. */
  setting: string
  message: string
}

export type ServerConfigResult =
  { ok: true; config: Readonly<ServerConfig> } | { ok: false; problems: ConfigProblem[] }

interface Setting<T> {
  env: string
  flag?: keyof ServerFlags
  default?: string
  secret?: true
  description: string
  /** JSON Schema of the text the variable holds (environment variables are strings). */
  json: Record<string, unknown>
  parse: (raw: string) => Parsed<T>
}

// The table of PRODUCT.md §5 plus three settings of our own (log level, body limit, proxies).
const SETTINGS: { [K in keyof ServerConfig]: Setting<ServerConfig[K]> } = {
  host: {
    env: 'TRESOR_HOST',
    flag: 'host',
    default: '127.0.0.1',
    description: 'Listen address',
    json: { type: 'string' },
    parse: parseHost,
  },
  port: {
    env: 'TRESOR_PORT',
    flag: 'port',
    default: '7070',
    description: 'Listen port; 0 = any free port (the chosen URL is printed)',
    json: { type: 'string', pattern: '^[0-9]{1,5}$' },
    parse: parsePort,
  },
  dataDir: {
    env: 'TRESOR_DATA_DIR',
    flag: 'dataDir',
    default: './.tresor',
    description: 'Directory of the SQLite file, the root key file and the owner-token file',
    json: { type: 'string', minLength: 1 },
    parse: parseDataDir,
  },
  databaseUrl: {
    env: 'TRESOR_DATABASE_URL',
    secret: true,
    description:
      'postgres:// URL of the shared PostgreSQL database; unset = SQLite in the data dir',
    json: { type: 'string', pattern: '^postgres(ql)?://' },
    parse: parseDatabaseUrl,
  },
  rootKey: {
    env: 'TRESOR_ROOT_KEY',
    secret: true,
    description: 'Base64 of the 32-byte root key; wins over the key file in the data dir',
    json: { type: 'string', pattern: '^\\s*[A-Za-z0-9+/_-]{43}=?\\s*$' },
    parse: parseRootKey,
  },
  rootKeyPrevious: {
    env: 'TRESOR_ROOT_KEY_PREVIOUS',
    secret: true,
    description:
      'Comma-separated base64 root keys replaced by a rotation; they only unwrap, never wrap',
    json: {
      type: 'string',
      pattern: '^\\s*[A-Za-z0-9+/_-]{43}=?\\s*(,\\s*[A-Za-z0-9+/_-]{43}=?\\s*)*$',
    },
    parse: parseRootKeyList,
  },
  bootstrapToken: {
    env: 'TRESOR_BOOTSTRAP_TOKEN',
    secret: true,
    description: "On first start only: the owner's first token is exactly this value",
    json: { type: 'string', minLength: 32, maxLength: 512, pattern: '^[\\x21-\\x7e]+$' },
    parse: parseBootstrapToken,
  },
  logLevel: {
    env: 'TRESOR_LOG_LEVEL',
    default: 'info',
    description: 'Log level of the JSON logs on stderr',
    json: { type: 'string', enum: [...LOG_LEVELS] },
    parse: parseLogLevel,
  },
  bodyLimit: {
    env: 'TRESOR_BODY_LIMIT',
    default: '1mb',
    description: 'Largest accepted request body',
    json: { type: 'string', pattern: '^[0-9]+\\s*([kKmM]?[bB])?$' },
    parse: parseBodyLimit,
  },
  trustProxy: {
    env: 'TRESOR_TRUST_PROXY',
    default: 'false',
    description:
      'Reverse proxies whose X-Forwarded-For gives the client IP: true, false, a hop count, or IPs/CIDRs',
    json: { type: 'string' },
    parse: parseTrustProxy,
  },
  publicUrl: {
    env: 'TRESOR_PUBLIC_URL',
    description:
      'Public https:// (or http:// for local use) address of the server: SSO redirect URIs, Secure cookies',
    json: { type: 'string', pattern: '^https?://' },
    parse: parsePublicUrl,
  },
  webhookAllowPrivate: {
    env: 'TRESOR_WEBHOOK_ALLOW_PRIVATE',
    default: 'false',
    description:
      'true = webhooks may call loopback, private and link-local addresses (receivers on your own network)',
    json: { type: 'string', enum: ['true', 'false'] },
    parse: parseBoolean,
  },
  addonPostgresAdminUrl: {
    env: 'TRESOR_ADDON_POSTGRES_ADMIN_URL',
    secret: true,
    description:
      'postgres:// admin URL of the server where the built-in postgres add-on creates databases and roles; unset = off',
    json: { type: 'string', pattern: '^postgres(ql)?://' },
    parse: parseDatabaseUrl,
  },
}

function parseBoolean(raw: string): Parsed<boolean> {
  const v = raw.trim().toLowerCase()
  if (v === 'true' || v === '1') return { ok: true, value: true }
  if (v === 'false' || v === '0') return { ok: true, value: false }
  return { ok: false, message: 'must be true or false' }
}

/** An http(s) origin (an optional path prefix is kept), no credentials, query or fragment. */
function parsePublicUrl(raw: string): Parsed<string> {
  let url: URL
  try {
    url = new URL(raw.trim())
  } catch {
    return { ok: false, message: 'must be a URL such as https://tresor.example.com' }
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return { ok: false, message: 'must start with https:// (or http:// for local use)' }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '')
    return { ok: false, message: 'must not contain credentials, a query or a fragment' }
  return { ok: true, value: url.href.replace(/\/+$/, '') }
}

/** Previous root keys: comma-separated, each checked like TRESOR_ROOT_KEY and never quoted. */
function parseRootKeyList(raw: string): Parsed<readonly Buffer[]> {
  const items = raw.split(',').map((item) => item.trim())
  const keys: Buffer[] = []
  for (const [i, item] of items.entries()) {
    const parsed = parseRootKey(item)
    if (!parsed.ok) {
      keys.forEach((k) => k.fill(0))
      return { ok: false, message: `key ${i + 1} of ${items.length} ${parsed.message}` }
    }
    keys.push(parsed.value)
  }
  return { ok: true, value: Object.freeze(keys) }
}

const FLAG_NAMES: Record<keyof ServerFlags, string> = {
  host: '--host',
  port: '--port',
  dataDir: '--data-dir',
}

/**
 * Reads the server settings from the environment and flags (flags win), returning the frozen
 * config or every problem at once. No message ever quotes a secret setting's value.
 */
export function parseServerConfig(
  env: Record<string, string | undefined>,
  argv: ServerFlags,
): ServerConfigResult {
  const problems: ConfigProblem[] = []
  const config: Partial<Record<keyof ServerConfig, unknown>> = {}
  for (const [key, setting] of Object.entries(SETTINGS) as [
    keyof ServerConfig,
    Setting<unknown>,
  ][]) {
    const flagValue = setting.flag === undefined ? undefined : argv[setting.flag]
    const envValue = env[setting.env] === '' ? undefined : env[setting.env]
    const raw = flagValue !== undefined ? String(flagValue) : (envValue ?? setting.default)
    if (raw === undefined) {
      config[key] = undefined
      continue
    }
    const parsed = setting.parse(raw)
    if (parsed.ok) config[key] = parsed.value
    else {
      const name = flagValue !== undefined && setting.flag ? FLAG_NAMES[setting.flag] : setting.env
      problems.push({ setting: name, message: parsed.message })
    }
  }
  if (problems.length > 0) return { ok: false, problems }
  return { ok: true, config: Object.freeze(config as ServerConfig) }
}

function settingSchema(setting: Setting<unknown>): Record<string, unknown> {
  return {
    ...setting.json,
    description: setting.description,
    ...(setting.default !== undefined && { default: setting.default }),
    ...(setting.flag !== undefined && { 'x-flag': FLAG_NAMES[setting.flag] }),
    ...(setting.secret && { writeOnly: true, 'x-secret': true }),
  }
}

/** JSON Schema (2020-12) of the environment variables `tresor server` reads. */
export const SERVER_SETTINGS_JSON_SCHEMA: Readonly<Record<string, unknown>> = Object.freeze({
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Tresor server settings (environment variables)',
  type: 'object',
  properties: Object.fromEntries(
    Object.values(SETTINGS).map((s: Setting<unknown>) => [s.env, settingSchema(s)]),
  ),
})
