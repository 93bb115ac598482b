import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import type { Release } from '../../client/index.ts'
import { AppError } from '../../core/errors.ts'
import { UsageError } from '../errors.ts'
import { writePrivateFile } from '../private-file.ts'

/** What the fallback cache holds: the last release fetched, and which of its keys are secret. */
export interface CachedRelease {
  release: Release
  env: Record<string, string>
  /** Null when the cache was written without --mask, which is when they are looked up. */
  secretKeys: string[] | null
  savedAt: string
}

// A text file: a header line, then the IV, the GCM tag and the ciphertext in base64, a line each.
const HEADER = 'tresor run cache 1'
const IV_BYTES = 12

/** The cache key from TRESOR_FALLBACK_KEY: exactly 32 bytes of base64, else a usage error. */
export function fallbackKey(text: string | undefined): Buffer {
  if (text === undefined || text === '')
    throw new UsageError(
      '--fallback needs TRESOR_FALLBACK_KEY: the base64 of 32 random bytes',
      '(make one with: openssl rand -base64 32)',
    )
  const key = Buffer.from(text, 'base64')
  if (key.length !== 32 || key.toString('base64') !== text.trim())
    throw new UsageError('TRESOR_FALLBACK_KEY must be the base64 of exactly 32 bytes')
  return key
}

// The associated data binds a cache to its project and environment: a cache written for
// staging does not decrypt as production's.
const aadOf = (project: string, env: string) =>
  Buffer.from(`tresor run fallback\n${project}\n${env}`, 'utf8')

/** Writes the cache encrypted with AES-256-GCM, mode 0600, atomically (writePrivateFile). */
export function writeFallback(
  file: string,
  key: Buffer,
  target: { project: string; env: string },
  data: CachedRelease,
): void {
  const iv = randomBytes(IV_BYTES)
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(aadOf(target.project, target.env))
  const body = Buffer.concat([cipher.update(JSON.stringify(data), 'utf8'), cipher.final()])
  const lines = [HEADER, iv, cipher.getAuthTag(), body].map((x) =>
    typeof x === 'string' ? x : x.toString('base64'),
  )
  writePrivateFile(file, `${lines.join('\n')}\n`)
}

const unusable = (file: string, why: string) =>
  new AppError('UNAVAILABLE', `the fallback cache ${file} cannot be used (${why})`)

/** Reads and decrypts the cache; refuses one that other users could read or that was altered. */
export function readFallback(
  file: string,
  key: Buffer,
  target: { project: string; env: string },
): CachedRelease {
  let st
  try {
    st = statSync(file)
  } catch {
    throw unusable(file, 'it does not exist yet (it is written after a successful start)')
  }
  if ((st.mode & 0o077) !== 0)
    throw unusable(file, `other users have access to it; run chmod 600 ${file}`)
  if (typeof process.getuid === 'function' && st.uid !== process.getuid())
    throw unusable(file, 'it belongs to another user')
  const [header, iv, tag, body] = readFileSync(file, 'utf8').split('\n')
  if (header !== HEADER || iv === undefined || tag === undefined || body === undefined)
    throw unusable(file, 'it is not a tresor run cache')
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'))
    decipher.setAAD(aadOf(target.project, target.env))
    decipher.setAuthTag(Buffer.from(tag, 'base64'))
    const plain = Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()])
    return JSON.parse(plain.toString('utf8')) as CachedRelease
  } catch {
    throw unusable(
      file,
      'it does not decrypt with TRESOR_FALLBACK_KEY for this project and environment',
    )
  }
}
