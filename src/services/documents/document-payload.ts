import { AppError } from '../../core/errors.ts'
import type { KeyKind } from '../../storage/store.ts'

/** Who last changed a key's value or kind, and when. */
export interface Stamp {
  updatedAt?: string
  updatedBy?: string
}

/** Per key of a document, in document order: its kind and last change. */
export interface PayloadKey extends Stamp {
  kind: KeyKind
}

/** One add-on's variables as a revision seals them (values included: they are secrets too). */
export interface AddonPayload {
  name: string
  vars: Array<{ key: string; value: string; kind: KeyKind }>
}

/** What one revision's ciphertext holds: the document text and its keys' kinds and stamps. */
export interface Payload {
  text: string
  keys: PayloadKey[]
  /** Attached add-ons' variables (absent when none): kept apart from the user's document. */
  addons?: AddonPayload[]
}

// Layout: [0x01][u32 length of the JSON head][JSON head][document text, UTF-8]. The head is
// {"c":"csc…" (a kind letter per key), "t":[times], "a":[actors], "k":[time, actor index per
// key, -1 for none]}: times and actors are listed once, since one write stamps many keys alike.
// Kinds live here, authenticated by the seal, because they decide masking: the clear key index
// of a revision row is a copy for listings only. Format 0x02 adds "o": the add-ons' variables
// (sealed in the same ciphertext: one decrypt per read still gives everything); a revision
// without add-ons is written as 0x01, byte for byte as before.
const FORMAT = 0x01
const FORMAT_ADDONS = 0x02
const HEAD_AT = 5

type Head = { c: string; t: string[]; a: string[]; k: number[]; o?: AddonPayload[] }

function indexer(list: string[]): (value: string | undefined) => number {
  const slots = new Map<string, number>()
  return (value) => {
    if (value === undefined) return -1
    let slot = slots.get(value)
    if (slot === undefined) slots.set(value, (slot = list.push(value) - 1))
    return slot
  }
}

/** Encodes the plaintext of a revision; `keys` in the order the document's keys appear. */
export function encodePayload(
  text: string,
  keys: readonly PayloadKey[],
  addons: readonly AddonPayload[] = [],
): Buffer {
  const head: Head = { c: '', t: [], a: [], k: [] }
  if (addons.length > 0) head.o = [...addons]
  const time = indexer(head.t)
  const actor = indexer(head.a)
  for (const key of keys) {
    head.c += key.kind === 'secret' ? 's' : 'c'
    head.k.push(time(key.updatedAt), actor(key.updatedBy))
  }
  // Encoded straight into the one output buffer: no intermediate copies of the plaintext to wipe.
  const json = JSON.stringify(head)
  const jsonBytes = Buffer.byteLength(json, 'utf8')
  const out = Buffer.allocUnsafe(HEAD_AT + jsonBytes + Buffer.byteLength(text, 'utf8'))
  out[0] = addons.length > 0 ? FORMAT_ADDONS : FORMAT
  out.writeUInt32BE(jsonBytes, 1)
  out.write(json, HEAD_AT, 'utf8')
  out.write(text, HEAD_AT + jsonBytes, 'utf8')
  return out
}

const malformed = () => new AppError('CRYPTO_ERROR', 'revision payload is malformed')

/** Decodes a revision's opened plaintext. It was authenticated, so a bad shape is a bug. */
export function decodePayload(plain: Buffer): Payload {
  if (plain.length < HEAD_AT || (plain[0] !== FORMAT && plain[0] !== FORMAT_ADDONS))
    throw malformed()
  const end = HEAD_AT + plain.readUInt32BE(1)
  if (end > plain.length) throw malformed()
  let head: Head
  try {
    head = JSON.parse(plain.toString('utf8', HEAD_AT, end)) as Head
  } catch {
    throw malformed()
  }
  if (typeof head.c !== 'string' || head.k?.length !== 2 * head.c.length) throw malformed()
  const keys: PayloadKey[] = []
  for (let i = 0; i < head.c.length; i++) {
    const key: PayloadKey = { kind: head.c[i] === 's' ? 'secret' : 'config' }
    const at = head.t[head.k[2 * i] ?? -1]
    const by = head.a[head.k[2 * i + 1] ?? -1]
    if (at !== undefined) key.updatedAt = at
    if (by !== undefined) key.updatedBy = by
    keys.push(key)
  }
  const out: Payload = { text: plain.toString('utf8', end), keys }
  if (plain[0] === FORMAT_ADDONS) {
    if (!Array.isArray(head.o)) throw malformed()
    out.addons = head.o
  }
  return out
}
