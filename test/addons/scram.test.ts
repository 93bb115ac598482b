// The SCRAM verifier sent instead of a password is what a real client authenticates against:
// the `pg` driver's own SASL code plays the client, the verifier's keys play the server.
import { createHash, createHmac, randomBytes } from 'node:crypto'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { generatePassword, scramVerifier } from '../../src/services/addons/scram.ts'

interface Session {
  response: string
  serverSignature: string
}
const sasl = createRequire(import.meta.url)('pg/lib/crypto/sasl.js') as {
  startSession(mechanisms: string[]): Session & { clientNonce: string }
  continueSession(session: Session, password: string, serverData: string): Promise<void>
  finalizeSession(session: Session, serverData: string): void
}

function parse(verifier: string) {
  const m = /^SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):(.+)$/.exec(verifier)
  if (!m) throw new Error('not a SCRAM verifier')
  const b = (s = '') => Buffer.from(s, 'base64')
  return { iterations: Number(m[1]), salt: m[2] ?? '', storedKey: b(m[3]), serverKey: b(m[4]) }
}

/** The server side of one SCRAM exchange: true when the client's proof matches the verifier. */
async function authenticates(verifier: string, password: string): Promise<boolean> {
  const v = parse(verifier)
  const session = sasl.startSession(['SCRAM-SHA-256'])
  const clientFirstBare = session.response.slice('n,,'.length)
  const nonce = session.clientNonce + randomBytes(18).toString('base64')
  const serverFirst = `r=${nonce},s=${v.salt},i=${v.iterations}`
  await sasl.continueSession(session, password, serverFirst)
  const [withoutProof = '', proof = ''] = session.response.split(',p=')
  const auth = `${clientFirstBare},${serverFirst},${withoutProof}`
  const signature = createHmac('sha256', v.storedKey).update(auth).digest()
  const clientKey = Buffer.from(proof, 'base64').map((byte, i) => byte ^ (signature[i] ?? 0))
  const ok = createHash('sha256').update(clientKey).digest().equals(v.storedKey)
  if (ok) {
    const serverSignature = createHmac('sha256', v.serverKey).update(auth).digest('base64')
    sasl.finalizeSession(session, `v=${serverSignature}`)
  }
  return ok
}

describe('SCRAM-SHA-256 verifier of a generated password', () => {
  it('authenticates the pg client with the password, and only with it', async () => {
    const password = generatePassword()
    expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/)
    const verifier = scramVerifier(password)
    expect(verifier).toMatch(
      /^SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}:[A-Za-z0-9+/=]{44}$/,
    )
    expect(verifier).not.toContain(password)
    expect(await authenticates(verifier, password)).toBe(true)
    expect(await authenticates(verifier, generatePassword())).toBe(false)
  })

  it('salts every verifier: the same password never gives the same text', () => {
    const password = generatePassword()
    expect(scramVerifier(password)).not.toBe(scramVerifier(password))
  })
})
