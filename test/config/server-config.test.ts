import { randomBytes } from 'node:crypto'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  parseServerConfig,
  redactDatabaseUrl,
  SERVER_SETTINGS_JSON_SCHEMA,
  type ServerConfig,
} from '../../src/config/server-config.ts'

const canary = (): string => `CANARY${randomBytes(12).toString('hex')}`

function config(env: Record<string, string>, flags = {}): Readonly<ServerConfig> {
  const result = parseServerConfig(env, flags)
  if (!result.ok) throw new Error(JSON.stringify(result.problems))
  return result.config
}

function problems(env: Record<string, string>, flags = {}) {
  const result = parseServerConfig(env, flags)
  if (result.ok) throw new Error('expected problems')
  return result.problems
}

describe('parseServerConfig', () => {
  it('has the defaults of PRODUCT.md §5 and returns a frozen object', () => {
    const c = config({})
    expect(c).toEqual({
      host: '127.0.0.1',
      port: 7070,
      dataDir: resolve('./.tresor'),
      databaseUrl: undefined,
      rootKey: undefined,
      bootstrapToken: undefined,
      logLevel: 'info',
      bodyLimit: 1024 * 1024,
      trustProxy: false,
      webhookAllowPrivate: false,
    })
    expect(Object.isFrozen(c)).toBe(true)
  })

  it('reads every setting from the environment, and treats empty values as unset', () => {
    const key = randomBytes(32)
    const c = config({
      TRESOR_HOST: '0.0.0.0',
      TRESOR_PORT: '0',
      TRESOR_DATA_DIR: '/var/lib/tresor',
      TRESOR_DATABASE_URL: 'postgres://tresor:pw@db:5432/tresor',
      TRESOR_ROOT_KEY: `${key.toString('base64')}\n`,
      TRESOR_BOOTSTRAP_TOKEN: 'x'.repeat(32),
      TRESOR_LOG_LEVEL: 'DEBUG',
      TRESOR_BODY_LIMIT: '2mb',
      TRESOR_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1',
    })
    expect(c).toMatchObject({
      host: '0.0.0.0',
      port: 0,
      dataDir: '/var/lib/tresor',
      logLevel: 'debug',
    })
    expect(c.rootKey?.equals(key)).toBe(true)
    expect(c.bodyLimit).toBe(2 * 1024 * 1024)
    expect(c.trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1'])
    expect(config({ TRESOR_PORT: '', TRESOR_ROOT_KEY: '' })).toMatchObject({
      port: 7070,
      rootKey: undefined,
    })
  })

  it('lets flags beat the environment, and names the flag in its problems', () => {
    const env = { TRESOR_HOST: '::1', TRESOR_PORT: '8080', TRESOR_DATA_DIR: '/env' }
    expect(config(env, { host: 'localhost', port: '9090', dataDir: '/flag' })).toMatchObject({
      host: 'localhost',
      port: 9090,
      dataDir: '/flag',
    })
    expect(config(env, { port: 0 }).port).toBe(0)
    expect(problems(env, { port: 'abc' })).toEqual([
      {
        setting: '--port',
        message: 'must be a whole number from 0 to 65535, 0 meaning any free port (got "abc")',
      },
    ])
  })

  it('reports every problem at once, in a stable order', () => {
    const found = problems({
      TRESOR_PORT: 'abc',
      TRESOR_LOG_LEVEL: 'loud',
      TRESOR_HOST: 'not a host',
    })
    expect(found.map((p) => p.setting)).toEqual(['TRESOR_HOST', 'TRESOR_PORT', 'TRESOR_LOG_LEVEL'])
    expect(found[2]?.message).toBe(
      'must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
    )
  })

  it.each([
    ['TRESOR_PORT', ['65536', '-1', '1e3', '80.5', ' 80']],
    ['TRESOR_HOST', ['http://x', 'a b', '']],
    ['TRESOR_BODY_LIMIT', ['100', '65mb', 'lots']],
    ['TRESOR_TRUST_PROXY', ['yes', '10.0.0.0/33', '0']],
    ['TRESOR_WEBHOOK_ALLOW_PRIVATE', ['yes', 'on', '2']],
    ['TRESOR_DATABASE_URL', ['mysql://u@h/db', 'not a url', 'postgres//x']],
  ])('refuses bad %s values', (setting, values) => {
    for (const value of values) {
      const flags = setting === 'TRESOR_HOST' ? { host: value } : {}
      const env = setting === 'TRESOR_HOST' ? {} : { [setting]: value }
      expect(problems(env, flags).map((p) => p.setting)).toEqual([
        setting === 'TRESOR_HOST' ? '--host' : setting,
      ])
    }
  })

  it('accepts a root key only as base64 (standard or URL-safe) of exactly 32 bytes', () => {
    const key = randomBytes(32)
    expect(config({ TRESOR_ROOT_KEY: key.toString('base64url') }).rootKey?.equals(key)).toBe(true)
    for (const size of [16, 31, 33, 64]) {
      const [p] = problems({ TRESOR_ROOT_KEY: randomBytes(size).toString('base64') })
      expect(p?.message).toBe(
        `must be base64 of exactly 32 random bytes; it decodes to ${size} bytes`,
      )
    }
  })

  it('never quotes a root key, bootstrap token or database password in a problem (canary)', () => {
    const secrets = [canary(), canary(), canary(), canary(), canary()]
    const [a = '', b = '', c = '', d = '', e = ''] = secrets
    const cases: Record<string, string>[] = [
      {
        TRESOR_ROOT_KEY: a,
        TRESOR_BOOTSTRAP_TOKEN: b.slice(0, 20),
        TRESOR_DATABASE_URL: `mysql://u:${c}@h/db`,
      },
      {
        TRESOR_ROOT_KEY: `${a}!`,
        TRESOR_BOOTSTRAP_TOKEN: `${b} ${b}`,
        TRESOR_DATABASE_URL: `postgres://u:${c}@[bad/db`,
      },
      { TRESOR_DATABASE_URL: `redis://u:pa#${d}@host/db` },
      { TRESOR_DATABASE_URL: `${e}://u:${e}@host/db` },
    ]
    for (const env of cases) {
      const text = JSON.stringify(problems(env))
      expect(problems(env).length).toBe(Object.keys(env).length)
      for (const s of secrets) {
        expect(text).not.toContain(s)
        expect(text).not.toContain(s.slice(6, 18))
      }
    }
  })
})

describe('redactDatabaseUrl', () => {
  it('hides the password and query, keeps what identifies the database', () => {
    expect(
      redactDatabaseUrl('postgres://tresor:s3cret@db:5432/tresor?password=x&sslmode=require'),
    ).toBe('postgres://tresor:***@db:5432/tresor')
    expect(redactDatabaseUrl('postgres://db/tresor')).toBe('postgres://db/tresor')
    expect(redactDatabaseUrl('postgres://u:p@[bad')).toBe('(unparseable URL)')
  })
})

describe('SERVER_SETTINGS_JSON_SCHEMA', () => {
  it('lists every environment variable with its default, flag and secrecy', () => {
    const props = SERVER_SETTINGS_JSON_SCHEMA['properties'] as Record<
      string,
      Record<string, unknown>
    >
    expect(Object.keys(props)).toEqual([
      'TRESOR_HOST',
      'TRESOR_PORT',
      'TRESOR_DATA_DIR',
      'TRESOR_DATABASE_URL',
      'TRESOR_ROOT_KEY',
      'TRESOR_ROOT_KEY_PREVIOUS',
      'TRESOR_BOOTSTRAP_TOKEN',
      'TRESOR_LOG_LEVEL',
      'TRESOR_BODY_LIMIT',
      'TRESOR_TRUST_PROXY',
      'TRESOR_PUBLIC_URL',
      'TRESOR_WEBHOOK_ALLOW_PRIVATE',
      'TRESOR_ADDON_POSTGRES_ADMIN_URL',
    ])
    expect(props['TRESOR_PORT']).toMatchObject({
      type: 'string',
      default: '7070',
      'x-flag': '--port',
    })
    expect(props['TRESOR_HOST']?.['default']).toBe('127.0.0.1')
    expect(props['TRESOR_DATA_DIR']).toMatchObject({ default: './.tresor', 'x-flag': '--data-dir' })
    expect(props['TRESOR_ROOT_KEY']).toMatchObject({ writeOnly: true, 'x-secret': true })
    expect(props['TRESOR_BOOTSTRAP_TOKEN']?.['minLength']).toBe(32)
  })
})
