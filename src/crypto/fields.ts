/**
 * Canonical, unambiguous encoding of a purpose label and a list of string fields: every part is
 * prefixed by its UTF-8 byte length (u32 BE), so ("ab","c") and ("a","bc") never encode alike
 * and a value made for one purpose can never be replayed as another.
 */
export function encodeFields(label: string, fields: readonly string[]): Buffer {
  let size = 4 + Buffer.byteLength(label, 'utf8')
  for (const field of fields) size += 4 + Buffer.byteLength(field, 'utf8')
  // Every byte is written below: the length prefixes and the parts fill the buffer exactly.
  const out = Buffer.allocUnsafe(size)
  let at = writePart(out, 0, label)
  for (const field of fields) at = writePart(out, at, field)
  return out
}

function writePart(out: Buffer, at: number, part: string): number {
  const length = out.write(part, at + 4, 'utf8')
  out.writeUInt32BE(length, at)
  return at + 4 + length
}

/** A cursor over a binary header; every read throws when the buffer is too short. */
export interface ByteReader {
  u8(): number
  bytes(n: number): Buffer
  rest(): Buffer
  readonly offset: number
}

/** Reads `buf` front to back; callers turn the thrown `RangeError` into their own error. */
export function byteReader(buf: Buffer): ByteReader {
  let at = 0
  const take = (n: number): Buffer => {
    if (n < 0 || at + n > buf.length) throw new RangeError('truncated')
    const out = buf.subarray(at, at + n)
    at += n
    return out
  }
  return {
    u8: () => take(1).readUInt8(0),
    bytes: take,
    rest: () => take(buf.length - at),
    get offset() {
      return at
    },
  }
}

// Printable ASCII without space. Checked byte by byte because Node's 'ascii' decoder silently
// drops the high bit, which would let a tampered id byte decode to the original id.
const ID_TEXT = /^[\x21-\x7e]{1,255}$/

/** One byte of length followed by an ASCII id; ids are short so one byte is enough. */
export function encodeShortString(text: string): Buffer {
  if (!ID_TEXT.test(text)) throw new RangeError('id must be 1-255 printable ASCII characters')
  return Buffer.concat([Buffer.from([text.length]), Buffer.from(text, 'latin1')])
}

/** Reads what `encodeShortString` wrote, refusing any byte it could not have written. */
export function readShortString(reader: ByteReader): string {
  const text = reader.bytes(reader.u8()).toString('latin1')
  if (!ID_TEXT.test(text)) throw new RangeError('malformed id')
  return text
}
