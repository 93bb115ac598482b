import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto'

/**
 * A PostgreSQL SCRAM-SHA-256 verifier for `password` (RFC 5802/7677, the format `pg_authid`
 * stores). Sent in `CREATE ROLE … PASSWORD '<verifier>'` instead of the password, so the
 * password itself never reaches the database server (nor its statement log).
 */
export function scramVerifier(
  password: string,
  salt: Buffer = randomBytes(16),
  iterations = 4096,
): string {
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256')
  const hmac = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest()
  const storedKey = createHash('sha256').update(hmac(salted, 'Client Key')).digest()
  const serverKey = hmac(salted, 'Server Key')
  salted.fill(0)
  const b64 = (b: Buffer) => b.toString('base64')
  return `SCRAM-SHA-256$${iterations}:${b64(salt)}$${b64(storedKey)}:${b64(serverKey)}`
}

/** A new database password: 32 characters of base64url (192 random bits), safe in any URL. */
export function generatePassword(): string {
  return randomBytes(24).toString('base64url')
}
