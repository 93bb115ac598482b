import { freshRandomBytes } from './random.ts'

/** The id prefixes of Tresor; one per table whose ids leave the server. */
export const ID_PREFIXES = {
  workspace: 'wsp',
  member: 'mem',
  project: 'prj',
  environment: 'env',
  revision: 'rev',
  release: 'rel',
  token: 'tok',
  audit: 'aud',
  secretRequest: 'sreq',
  request: 'req',
  dataKey: 'dk',
  webhook: 'whk',
  webhookDelivery: 'dlv',
  session: 'ses',
} as const

export type IdKind = keyof typeof ID_PREFIXES

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz' // Crockford base32, lower case

/**
 * A new random id such as `prj_3k9v…`: 16 base32 characters, 6 of creation time (seconds, so
 * that ids sort roughly by creation) and 10 random ones (50 bits). Not a secret: never use an id
 * as a credential.
 */
export function newId(kind: IdKind, now: number = Date.now()): string {
  const bytes = freshRandomBytes(10)
  let t = Math.floor(now / 1000)
  let time = ''
  for (let i = 0; i < 6; i++) {
    time = (ALPHABET[t % 32] ?? '0') + time
    t = Math.floor(t / 32)
  }
  let out = `${ID_PREFIXES[kind]}_${time}`
  for (let i = 0; i < 10; i++) out += ALPHABET[(bytes[i] ?? 0) % 32] ?? '0'
  return out
}

/** True when `value` looks like an id of the given kind (prefix and alphabet). */
export function isId(kind: IdKind, value: string): boolean {
  return new RegExp(`^${ID_PREFIXES[kind]}_[0-9a-hjkmnp-tv-z]{16}$`).test(value)
}
