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

// Layout: [format][u32 length of the JSON head][JSON head][document text, UTF-8]. Kinds and
// stamps live in the head, authenticated by the seal, because kinds decide masking: the clear
// key index of a revision row is a copy for listings only. Formats:
// - 0x01: the head is {"c":"csc…" (a kind letter per key), "t":[times], "a":[actors],
//   "k":[time, actor index per key, -1 for none]}, each time and actor listed once. 0x02 adds
//   "o": the add-ons' variables (sealed in the same ciphertext: one decrypt per read still gives
//   everything). Read, no longer written.
// - 0x03 and 0x04 (with "o"), written now: {"c", "t":[per key, what follows the prefix its time
//   shares with the previous key's time], "p":[per key, that prefix's length; -1: no time],
//   "a":[actors], "k":[per key, actor index or -1]}. Keys changed at different moments of one
//   day share about 17 of 24 characters, and a time equal to the previous one is an empty tail:
//   a 100-key document's ciphertext is about 1.5 KB smaller (a WAL page less per commit), and
//   encoding needs no lookup table of times (about 20 KB of garbage per commit).
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
  const n = keys.length
  const kinds = kindLetters(n)
  const tails = new Array<string>(n)
  const shared = new Array<number>(n)
  const actors = new ActorList()
  const refs = new Array<number>(n)
  let prev: string | undefined
  for (let i = 0; i < n; i++) {
    const key = keys[i] as PayloadKey
    kinds[i] = key.kind === 'secret' ? 0x73 : 0x63
    const at = key.updatedAt
    if (at === undefined) {
      tails[i] = ''
      shared[i] = -1
    } else {
      const p = prev === undefined ? 0 : sharedPrefix(prev, at)
      tails[i] = p === 0 ? at : at.slice(p)
      shared[i] = p
      prev = at
    }
    refs[i] = actors.slot(key.updatedBy)
  }
  const c = kinds.toString('latin1', 0, n)
  const head: Head = { c, t: tails, p: shared, a: actors.list, k: refs }
  if (addons.length > 0) head.o = [...addons]
  return JSON.stringify(head)
}

let letters = Buffer.alloc(0)

/** A reused buffer for `n` kind letters (they are not secret). */
function kindLetters(n: number): Buffer {
  if (letters.length < n) letters = Buffer.allocUnsafeSlow(Math.max(n, 2 * letters.length, 64))
  return letters
}

/** The length of the prefix `a` and `b` share, never splitting a surrogate pair. */
function sharedPrefix(a: string, b: string): number {
  const max = Math.min(a.length, b.length)
  let n = 0
  while (n < max && a.charCodeAt(n) === b.charCodeAt(n)) n++
  if (n > 0 && n < b.length && isLowSurrogate(b.charCodeAt(n))) n--
  return n
}

const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff

// A document's keys are stamped by a few members and tokens: a scan of those found so far, with
// a map only once there are many.
const ACTOR_SCAN = 16

/** The actors of one payload in order of first use, each named by its index. */
class ActorList {
  readonly list: string[] = []
  private index: Map<string, number> | undefined

  /** The index of `actor`, appended if new; -1 for none. */
  slot(actor: string | undefined): number {
    if (actor === undefined) return -1
    const { list } = this
    const last = list.length - 1
    if (last >= 0 && list[last] === actor) return last
    if (this.index === undefined && list.length > ACTOR_SCAN) {
      this.index = new Map(list.map((a, i) => [a, i]))
    }
    const found = this.index === undefined ? list.indexOf(actor) : (this.index.get(actor) ?? -1)
    if (found >= 0) return found
    this.index?.set(actor, list.length)
    return list.push(actor) - 1
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
  if (typeof head.c !== 'string') throw malformed()
  const keys = format >= FORMAT_COMPACT ? compactKeys(head) : listedKeys(head)
  if (keys === undefined) throw malformed()
  const out: Payload = { text: plain.toString('utf8', end), keys }
  if (format === FORMAT_ADDONS || format === FORMAT_COMPACT_ADDONS) {
    if (!Array.isArray(head.o)) throw malformed()
    out.addons = head.o
  }
  return out
}

/** A key's metadata; stamped keys (nearly all) in one literal, which keeps one object shape. */
function keyOf(kind: KeyKind, at: string | undefined, by: string | undefined): PayloadKey {
  if (at !== undefined && by !== undefined) return { kind, updatedAt: at, updatedBy: by }
  const key: PayloadKey = { kind }
  if (at !== undefined) key.updatedAt = at
  if (by !== undefined) key.updatedBy = by
  return key
}

const kindAt = (c: string, i: number): KeyKind => (c.charCodeAt(i) === 0x73 ? 'secret' : 'config')

/** Formats 0x01/0x02: times and actors listed once, two indexes per key. */
function listedKeys(head: Head): PayloadKey[] | undefined {
  const { c, t, a, k } = head
  if (!Array.isArray(k) || k.length !== 2 * c.length) return undefined
  const keys: PayloadKey[] = []
  for (let i = 0; i < c.length; i++) {
    keys.push(keyOf(kindAt(c, i), t[k[2 * i] ?? -1], a[k[2 * i + 1] ?? -1]))
  }
  return keys
}

/** Formats 0x03/0x04: each key's time as a tail after a prefix shared with the previous time. */
function compactKeys(head: Head): PayloadKey[] | undefined {
  const { c, t, p, a, k } = head
  const n = c.length
  if (!Array.isArray(t) || !Array.isArray(p) || !Array.isArray(k) || !Array.isArray(a)) return
  if (t.length !== n || p.length !== n || k.length !== n) return undefined
  const keys: PayloadKey[] = []
  let prev = ''
  for (let i = 0; i < n; i++) {
    const tail: unknown = t[i]
    const shared: unknown = p[i]
    const actor: unknown = k[i]
    if (typeof tail !== 'string' || !Number.isInteger(shared) || !Number.isInteger(actor)) return
    let at: string | undefined
    if (shared === -1) {
      if (tail !== '') return undefined
    } else {
      const len = shared as number
      if (len < 0 || len > prev.length) return undefined
      // A time equal to the one before (an empty tail) is that very string: nothing allocated.
      at = len === 0 ? tail : tail === '' && len === prev.length ? prev : prev.slice(0, len) + tail
      prev = at
    }
    const ref = actor as number
    if (ref < -1 || ref >= a.length) return undefined
    const by = ref === -1 ? undefined : a[ref]
    if (by !== undefined && typeof by !== 'string') return undefined
    keys.push(keyOf(kindAt(c, i), at, by))
  }
  return keys
}
