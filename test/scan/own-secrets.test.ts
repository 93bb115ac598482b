// The project's own secret values, found through keyed fingerprints alone: in every place a
// value sits in source and config files, reported by key and environment, never by value.
import { randomBytes } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  createFingerprintSet,
  createScanner,
  fingerprintItem,
  type FingerprintItem,
} from '../../src/core/scan/index.ts'

const key = randomBytes(32)
const SECRETS = {
  DB_PASSWORD: 'p4ss-W0rd-2024-x',
  API_KEY: 'k7Qz/9m+Rt3vXw1YbN8aLc5dE2fG==',
  PASSPHRASE: 'correct horse battery staple',
  SHORT: 'elevenchars', // 11 bytes: never fingerprinted
  UNICODE: 'clé-secrète-ünïcødé',
}

function scannerOf(items: FingerprintItem[]) {
  return createScanner({ fingerprints: createFingerprintSet(key, items) })
}

const all = scannerOf(
  Object.entries(SECRETS).map(([k, v]) => fingerprintItem(key, k, 'production', v)),
)

/** [file text, expected key, expected line, expected column]. */
const PLACES: [string, string, number, number][] = [
  [`DB_PASSWORD=${SECRETS.DB_PASSWORD}`, 'DB_PASSWORD', 1, 13],
  [`export DB_PASSWORD="${SECRETS.DB_PASSWORD}"`, 'DB_PASSWORD', 1, 21],
  [`url = "postgres://app:${SECRETS.DB_PASSWORD}@db:5432/app"`, 'DB_PASSWORD', 1, 23],
  [`x\n  password: ${SECRETS.DB_PASSWORD} # yaml`, 'DB_PASSWORD', 2, 13],
  [`{"apiKey":"${SECRETS.API_KEY}"}`, 'API_KEY', 1, 12],
  [`API_KEY=${SECRETS.API_KEY}`, 'API_KEY', 1, 9],
  [`Server=db;Password=${SECRETS.API_KEY};Timeout=3`, 'API_KEY', 1, 20],
  [`const p = '${SECRETS.PASSPHRASE}'`, 'PASSPHRASE', 1, 12],
  [`PASSPHRASE=${SECRETS.PASSPHRASE}`, 'PASSPHRASE', 1, 12],
  [`PASSPHRASE = ${SECRETS.PASSPHRASE}   # kept here`, 'PASSPHRASE', 1, 14],
  [`secret: ${SECRETS.UNICODE}`, 'UNICODE', 1, 9],
  [`// 😀 ${SECRETS.UNICODE}`, 'UNICODE', 1, 7],
]

describe('own secrets by fingerprint', () => {
  it.each(PLACES)('finds %j as its key at the exact line and column', (text, k, line, column) => {
    expect(all.scanText(`${text}\n`, 'app.env')).toEqual([
      { path: 'app.env', line, column, rule: 'own-secret', key: k, environment: 'production' },
    ])
  })

  it('never reports a value shorter than 12 bytes, nor a value inside a longer word', () => {
    expect(all.scanText(`SHORT=${SECRETS.SHORT}\n`, 'f')).toEqual([])
    expect(all.scanText(`x${SECRETS.DB_PASSWORD}y abc${SECRETS.API_KEY}`, 'f')).toEqual([])
  })

  it('reports one finding per key and environment sharing a value, shared variables without environment', () => {
    const v = 'shared-value-123456'
    const scanner = scannerOf([
      fingerprintItem(key, 'A', 'staging', v),
      fingerprintItem(key, 'A', 'production', v),
      fingerprintItem(key, 'B', null, v),
    ])
    expect(scanner.scanText(`x = "${v}"`, 'f').map((f) => [f.key, f.environment])).toEqual([
      ['A', 'staging'],
      ['A', 'production'],
      ['B', undefined],
    ])
  })

  it('reports an own secret once, not again as a credential format, and honours tresor:allow', () => {
    const token = `sk_live_${randomBytes(24).toString('hex')}`
    const scanner = scannerOf([fingerprintItem(key, 'STRIPE_KEY', 'production', token)])
    expect(scanner.scanText(`STRIPE=${token}`, 'f')).toEqual([
      {
        path: 'f',
        line: 1,
        column: 8,
        rule: 'own-secret',
        key: 'STRIPE_KEY',
        environment: 'production',
      },
    ])
    expect(scanner.scanText(`STRIPE=${token} # tresor:allow\nok`, 'f')).toEqual([])
  })

  it('finds a planted secret anywhere in random text, at its exact position (property, 1,000 runs)', () => {
    const breaks = [' ', '\n', '"', "'", '=', ':', ',', ';', '(', ')', '/', '@', '\t']
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme-ascii', maxLength: 200 }),
        fc.string({ unit: 'grapheme-ascii', maxLength: 200 }),
        fc.constantFrom(...breaks),
        fc.constantFrom(...breaks),
        fc.stringMatching(/^[A-Za-z0-9+_.~-]{12,40}$/),
        (before, after, open, close, secret) => {
          const scanner = scannerOf([fingerprintItem(key, 'K', 'dev', secret)])
          const text = `${before}${open}${secret}${close}${after}`
          const at = before.length + 1
          const lines = text.slice(0, at).split('\n')
          const found = scanner.scanText(text, 'f').filter((f) => f.rule === 'own-secret')
          expect(found).toContainEqual({
            path: 'f',
            line: lines.length,
            column: (lines.at(-1) ?? '').length + 1,
            rule: 'own-secret',
            key: 'K',
            environment: 'dev',
          })
        },
      ),
      { numRuns: 1000 },
    )
  })
})
