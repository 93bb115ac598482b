import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createMasker, maskStream } from './run-mask.ts'

/** Feeds `text` to a masker cut at `cuts` (byte offsets) and returns everything it let out. */
function maskChunked(values: string[], bytes: Buffer, cuts: number[]): Buffer {
  const m = createMasker(values)
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)
  const out: Buffer[] = []
  let at = 0
  for (const p of [...points, bytes.length]) {
    out.push(m.push(bytes.subarray(at, p)))
    at = p
  }
  out.push(m.flush())
  return Buffer.concat(out)
}

describe('createMasker', () => {
  it.each([
    ['a token abcdef123 here', ['abcdef123'], 'a token *** here'],
    ['overlap abcdefghij end', ['abcdefgh', 'efghij'], 'overlap *** end'],
    ['twice s3cret-1s3cret-1', ['s3cret-1'], 'twice ******'],
    ['short abc stays', ['abc'], 'short abc stays'],
    ['utf8 ünïcødé✓ too', ['ünïcødé✓'], 'utf8 *** too'],
    ['multi line\nsecret\nvalue!', ['line\nsecret\nvalue'], 'multi ***!'],
  ])('%j with %j → %j', (text, values, expected) => {
    const bytes = Buffer.from(text)
    expect(maskChunked(values, bytes, []).toString()).toBe(expected)
    // Cut at every byte: the worst split there is, including inside UTF-8 characters.
    const everyByte = Array.from({ length: bytes.length }, (_, i) => i)
    expect(maskChunked(values, bytes, everyByte).toString()).toBe(expected)
  })

  it('gives the same bytes however the stream is cut, and never lets a secret through', () => {
    const secret = fc.string({
      unit: fc.constantFrom('a', 'b', 'c', 'x', '🔑'),
      minLength: 6,
      maxLength: 12,
    })
    const noise = fc.string({ unit: fc.constantFrom('a', 'b', 'c', ' ', '\n', 'é'), maxLength: 30 })
    fc.assert(
      fc.property(
        fc.array(secret, { minLength: 1, maxLength: 3 }),
        fc.array(fc.tuple(noise, fc.nat(2)), { maxLength: 8 }),
        fc.array(fc.nat(400), { maxLength: 12 }),
        (secrets, pieces, cuts) => {
          const text = pieces.map(([n, i]) => n + (secrets[i % secrets.length] ?? '')).join('')
          const bytes = Buffer.from(text)
          const whole = maskChunked(secrets, bytes, [])
          expect(maskChunked(secrets, bytes, cuts).equals(whole)).toBe(true)
          for (const s of secrets) expect(whole.includes(Buffer.from(s))).toBe(false)
        },
      ),
      { numRuns: 1000 },
    )
  })
})

describe('maskStream', () => {
  it('lets a held-back tail out after a quiet moment, and masks it when the rest follows', async () => {
    const stream = maskStream(['secret-value'], 30)
    const seen: string[] = []
    stream.on('data', (d: Buffer) => seen.push(d.toString()))
    const tick = () => new Promise((r) => setImmediate(r))
    stream.write('prompt> secret')
    await tick()
    expect(seen.join('')).toBe('prompt> ')
    stream.write('-value\n')
    await tick()
    expect(seen.join('')).toBe('prompt> ***\n')
    stream.write('Password: sec')
    await new Promise((r) => setTimeout(r, 80))
    expect(seen.join('')).toBe('prompt> ***\nPassword: sec')
    stream.end()
  })
})
