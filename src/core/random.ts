import { randomFillSync } from 'node:crypto'

// A call to Node's CSPRNG costs ~5 µs (a crypto job plus OpenSSL's fork check, a getpid system
// call) whatever its size; a commit takes three small draws (two ids, one nonce). They come
// from one 4 KiB buffer the CSPRNG refills when it runs out: the same generator, the same
// quality, each byte handed out once and wiped as it is taken.
const POOL_BYTES = 4096
const MAX_DRAW = 64
// Its own memory (not Node's shared slab), so no other buffer can ever view these bytes.
const pool = Buffer.allocUnsafeSlow(POOL_BYTES)
let next = POOL_BYTES

/**
 * `n` (1–64) bytes from the CSPRNG, for values that must be unpredictable and unique but are not
 * secrets (ids, AES-GCM nonces); secrets and keys take `crypto.randomBytes` directly.
 */
export function freshRandomBytes(n: number): Buffer {
  if (!Number.isInteger(n) || n < 1 || n > MAX_DRAW) throw new RangeError('bad random size')
  if (next + n > POOL_BYTES) {
    randomFillSync(pool)
    next = 0
  }
  const out = Buffer.allocUnsafe(n)
  pool.copy(out, 0, next, next + n)
  pool.fill(0, next, next + n)
  next += n
  return out
}
