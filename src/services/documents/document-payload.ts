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

// Layout: [format][u32 length of the JSON head][JSON head][document text, UTF-8]. The head is
// {"c":"csc…" (a kind letter per key), "t":[times], "a":[actors], "k":[time, actor index per
// key, -1 for none]}: times and actors are listed once, since one write stamps many keys alike.
// Kinds live here, authenticated by the seal, because they decide masking: the clear key index
// of a revision row is a copy for listings only. Formats:
// - 0x01: as above; 0x02 adds "o": the add-ons' variables (sealed in the same ciphertext: one
//   decrypt per read still gives everything). Read, no longer written.
// - 0x03 and 0x04 (with "o"), written now: each time after the first is stored as what follows
//   the prefix it shares with the time before it, "p" giving that prefix's length. Keys changed
//   at different moments of one day share about 17 of 24 characters: a 100-key document's
//   ciphertext is about 1.5 KB smaller, a WAL page less on every commit.
const FORMAT = 0x01
const FORMAT_ADDONS = 0x02
const FORMAT_COMPACT = 0x03
const FORMAT_COMPACT_ADDONS = 0x04
const HEAD_AT = 5

type Head = { c: string; t: string[]; p?: number[]; a: string[]; k: number[]; o?: AddonPayload[] }

/** Encodes the plaintext of a revision; `keys` in the order the document's keys appear. */
export function encodePayload(
  text: string,
  keys: readonly PayloadKey[],
  addons: readonly AddonPayload[] = [],
): Buffer {
  const json = headJson(keys, addons)
  const out = Buffer.allocUnsafe(payloadSize(json, text))
  writePayload(out, json, text, addons.length > 0)
  return out
}

// A commit seals its payload at once, so the payload can be encoded into one buffer kept for the
// purpose: a fresh one of that size (past 4 KiB, an ArrayBuffer of its own) cost a commit more
// than encoding into it. Larger payloads, and a nested use, get a fresh buffer as before.
const SCRATCH_MAX = 256 * 1024
let scratch = Buffer.alloc(0)
let scratchBusy = false

/**
 * Encodes the plaintext of a revision as `encodePayload` does, hands it to `use` and wipes it as
 * soon as `use` returns: `use` must be synchronous and must not keep the buffer.
 */
export function withEncodedPayload<T>(
  text: string,
  keys: readonly PayloadKey[],
  addons: readonly AddonPayload[],
  use: (plain: Buffer) => T,
): T {
  const json = headJson(keys, addons)
  const size = payloadSize(json, text)
  const reuse = size <= SCRATCH_MAX && !scratchBusy
  if (reuse && scratch.length < size) {
    scratch = Buffer.allocUnsafeSlow(Math.min(SCRATCH_MAX, Math.max(size, 2 * scratch.length)))
  }
  const plain = reuse ? scratch.subarray(0, size) : Buffer.allocUnsafe(size)
  scratchBusy ||= reuse
  try {
    writePayload(plain, json, text, addons.length > 0)
    return use(plain)
  } finally {
    plain.fill(0)
    if (reuse) scratchBusy = false
  }
}

function headJson(keys: readonly PayloadKey[], addons: readonly AddonPayload[]): string {
  let kinds = ''
  const times = new Slots()
  const actors = new Slots()
  const refs: number[] = []
  for (const key of keys) {
    kinds += key.kind === 'secret' ? 's' : 'c'
    refs.push(times.of(key.updatedAt), actors.of(key.updatedBy))
  }
  const [t, p] = prefixCompressed(times.list)
  const head: Head = { c: kinds, t, p, a: actors.list, k: refs }
  if (addons.length > 0) head.o = [...addons]
  return JSON.stringify(head)
}

/** Each string after the first as what follows its shared prefix with the one before. */
function prefixCompressed(list: readonly string[]): [string[], number[]] {
  const tails: string[] = []
  const shared: number[] = []
  let prev = ''
  for (const value of list) {
    const max = Math.min(prev.length, value.length)
    let n = 0
    while (n < max && prev.charCodeAt(n) === value.charCodeAt(n)) n++
    // Never split a surrogate pair: both halves stay on the same side.
    if (n > 0 && n < value.length && isLowSurrogate(value.charCodeAt(n))) n--
    tails.push(n === 0 ? value : value.slice(n))
    shared.push(n)
    prev = value
  }
  return [tails, shared]
}

const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff

/** The list `prefixCompressed` made `tails` and `shared` from; undefined if they cannot be. */
function prefixExpanded(tails: unknown, shared: unknown): string[] | undefined {
  if (!Array.isArray(tails) || !Array.isArray(shared) || tails.length !== shared.length) return
  const out: string[] = []
  let prev = ''
  for (let i = 0; i < tails.length; i++) {
    const tail: unknown = tails[i]
    const n: unknown = shared[i]
    if (typeof tail !== 'string' || typeof n !== 'number' || !(n >= 0 && n <= prev.length)) return
    prev = n === 0 ? tail : prev.slice(0, n) + tail
    out.push(prev)
  }
  return out
}

/** Distinct values in order of first use, each named by its index (-1 for none). */
class Slots {
  readonly list: string[] = []
  private readonly index = new Map<string, number>()
  // Neighbouring keys were often stamped by the same write: one comparison instead of a lookup.
  private last: string | undefined
  private lastSlot = -1

  of(value: string | undefined): number {
    if (value === undefined) return -1
    if (value === this.last) return this.lastSlot
    let slot = this.index.get(value)
    if (slot === undefined) this.index.set(value, (slot = this.list.push(value) - 1))
    this.last = value
    this.lastSlot = slot
    return slot
  }
}

const payloadSize = (json: string, text: string): number =>
  HEAD_AT + Buffer.byteLength(json, 'utf8') + Buffer.byteLength(text, 'utf8')

// Encoded straight into the one output buffer: no intermediate copies of the plaintext to wipe.
function writePayload(out: Buffer, json: string, text: string, withAddons: boolean): void {
  out[0] = withAddons ? FORMAT_COMPACT_ADDONS : FORMAT_COMPACT
  const jsonBytes = out.write(json, HEAD_AT, 'utf8')
  out.writeUInt32BE(jsonBytes, 1)
  out.write(text, HEAD_AT + jsonBytes, 'utf8')
}

const malformed = () => new AppError('CRYPTO_ERROR', 'revision payload is malformed')

/** Decodes a revision's opened plaintext. It was authenticated, so a bad shape is a bug. */
export function decodePayload(plain: Buffer): Payload {
  const format = plain[0] ?? 0
  if (plain.length < HEAD_AT || format < FORMAT || format > FORMAT_COMPACT_ADDONS) throw malformed()
  const end = HEAD_AT + plain.readUInt32BE(1)
  if (end > plain.length) throw malformed()
  let head: Head
  try {
    head = JSON.parse(plain.toString('utf8', HEAD_AT, end)) as Head
  } catch {
    throw malformed()
  }
  if (typeof head.c !== 'string' || head.k?.length !== 2 * head.c.length) throw malformed()
  if (format >= FORMAT_COMPACT) {
    const times = prefixExpanded(head.t, head.p)
    if (times === undefined) throw malformed()
    head.t = times
  }
  const keys: PayloadKey[] = []
  for (let i = 0; i < head.c.length; i++) {
    const kind = head.c[i] === 's' ? 'secret' : 'config'
    const at = head.t[head.k[2 * i] ?? -1]
    const by = head.a[head.k[2 * i + 1] ?? -1]
    // Stamped keys (nearly all) are built in one literal: adding the fields one by one moved
    // every object through two more shapes.
    if (at !== undefined && by !== undefined) {
      keys.push({ kind, updatedAt: at, updatedBy: by })
      continue
    }
    const key: PayloadKey = { kind }
    if (at !== undefined) key.updatedAt = at
    if (by !== undefined) key.updatedBy = by
    keys.push(key)
  }
  const out: Payload = { text: plain.toString('utf8', end), keys }
  if (format === FORMAT_ADDONS || format === FORMAT_COMPACT_ADDONS) {
    if (!Array.isArray(head.o)) throw malformed()
    out.addons = head.o
  }
  return out
}
