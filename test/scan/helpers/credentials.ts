// Credentials of every format the scanner knows, made fresh at run time so that no real-looking
// credential is ever written into this repository's sources.
import { generateKeyPairSync, randomBytes, randomInt } from 'node:crypto'
import { base62Crc32 } from '../../../src/core/scan/index.ts'
import { generateToken } from '../../../src/crypto/tokens.ts'

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

/** `n` random characters of `alphabet`. */
export function randomChars(alphabet: string, n: number): string {
  return Array.from({ length: n }, () => alphabet.charAt(randomInt(alphabet.length))).join('')
}

const digits = (n: number) => randomChars('0123456789', n)
const hex = (n: number) => randomBytes(n).toString('hex').slice(0, n)

/** A GitHub classic token: prefix, 30 base62 characters, their base62 CRC32. */
export function githubToken(prefix: 'ghp_' | 'gho_' | 'ghu_' | 'ghs_' | 'ghr_' = 'ghp_'): string {
  const body = randomChars(BASE62, 30)
  return `${prefix}${body}${base62Crc32(body)}`
}

/** One sample of every credential format, by the rule that must report it. */
export function credentialSamples(): { rule: string; text: string; hint: string }[] {
  const pat = `github_pat_${randomChars(BASE62, 22)}_${randomChars(BASE62, 59)}`
  const samples = [
    ['tresor-token', generateToken('pat'), 'tresor_pat_… (50 chars)'],
    ['tresor-token', generateToken('svc'), 'tresor_svc_… (50 chars)'],
    ['aws-access-key-id', `AKIA${randomChars(BASE32, 16)}`, 'AKIA… (20 chars)'],
    ['aws-access-key-id', `ASIA${randomChars(BASE32, 16)}`, 'ASIA… (20 chars)'],
    ...(['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'] as const).map((p) => [
      'github-token',
      githubToken(p),
      `${p}… (40 chars)`,
    ]),
    ['github-token', pat, 'github_pat_… (93 chars)'],
    ['stripe-key', `sk_live_${randomChars(BASE62, 24)}`, 'sk_live_… (32 chars)'],
    ['stripe-key', `rk_live_${randomChars(BASE62, 99)}`, 'rk_live_… (107 chars)'],
    ['stripe-key', `sk_test_${randomChars(BASE62, 24)}`, 'sk_test_… (32 chars)'],
    [
      'slack-token',
      `xoxb-${digits(12)}-${digits(13)}-${randomChars(BASE62, 24)}`,
      'xoxb-… (56 chars)',
    ],
    [
      'slack-token',
      `xoxp-${digits(11)}-${digits(11)}-${digits(13)}-${hex(32)}`,
      'xoxp-… (75 chars)',
    ],
    [
      'slack-token',
      `xapp-1-A${randomChars('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', 10)}-${digits(13)}-${hex(64)}`,
      'xapp-… (97 chars)',
    ],
  ]
  return samples.map(([rule, text, hint]) => ({
    rule: rule ?? '',
    text: text ?? '',
    hint: hint ?? '',
  }))
}

/** PEM private keys as Node writes them: PKCS#8 (RSA, EC, Ed25519) and PKCS#1 (RSA). */
export function pemKeys(): { label: string; pem: string }[] {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
  const ed = generateKeyPairSync('ed25519').privateKey
  return [
    { label: 'PRIVATE KEY', pem: rsa.export({ type: 'pkcs8', format: 'pem' }).toString() },
    { label: 'RSA PRIVATE KEY', pem: rsa.export({ type: 'pkcs1', format: 'pem' }).toString() },
    { label: 'EC PRIVATE KEY', pem: ec.export({ type: 'sec1', format: 'pem' }).toString() },
    { label: 'PRIVATE KEY', pem: ed.export({ type: 'pkcs8', format: 'pem' }).toString() },
    {
      label: 'ENCRYPTED PRIVATE KEY',
      pem: rsa
        .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' })
        .toString(),
    },
    {
      label: 'RSA PRIVATE KEY',
      pem: rsa
        .export({ type: 'pkcs1', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' })
        .toString(),
    },
  ]
}
