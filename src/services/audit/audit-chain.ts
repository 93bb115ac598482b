import { hash } from 'node:crypto'

/** The hash that precedes a workspace's first audit event. */
export const GENESIS_HASH = '0'.repeat(64)

/** The fields of an audit event that its hash covers (everything but the hash itself). */
export interface ChainedEvent {
  id: string
  workspaceId: string
  seq: number
  at: string
  actorId: string
  actorKind: string
  action: string
  projectId: string | null
  environmentId: string | null
  keys: readonly string[]
  outcome: string
  ip: string | null
  requestId: string | null
  detail: Readonly<Record<string, unknown>>
  prevHash: string
}

/**
 * Canonical JSON: object keys sorted at every depth (by UTF-16 code units, as `<` compares), so
 * the hash does not depend on key order; undefined members are left out. Written with loops:
 * every commit hashes one event, and this used to cost more than the SHA-256 itself.
 */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) {
    let out = '['
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonical(value[i])
    return `${out}]`
  }
  return canonicalRecord(value as Record<string, unknown>, undefined)
}

/** The canonical form of an object, leaving out member `skip` as if it were not there. */
function canonicalRecord(record: Record<string, unknown>, skip: string | undefined): string {
  let out = '{'
  for (const key of Object.keys(record).sort()) {
    const member = record[key]
    if (member === undefined || key === skip) continue
    out += `${out.length === 1 ? '' : ','}${JSON.stringify(key)}:${canonical(member)}`
  }
  return `${out}}`
}

/** SHA-256 over the previous hash and the event's canonical form: editing any field breaks it. */
export function hashAuditEvent(event: ChainedEvent & { hash?: string }): string {
  // Every member but the stored hash itself, read in place (a rest copy of the event cost more).
  const covered = canonicalRecord(event as unknown as Record<string, unknown>, 'hash')
  // One-shot: the same bytes as hashing the three parts in turn, without a Hash object.
  return hash('sha256', `${event.prevHash}\n${covered}`, 'hex')
}

export type ChainVerdict =
  { ok: true; count: number; headHash: string } | { ok: false; seq: number; reason: string }

/**
 * Checks a workspace's events in seq order: each links to the one before, its hash matches its
 * content, no seq is missing, and the last one is the recorded head (so a deleted tail shows).
 */
export function verifyAuditChain(
  events: Iterable<ChainedEvent & { hash: string }>,
  head: { seq: number; hash: string },
): ChainVerdict {
  let prev = GENESIS_HASH
  let expectedSeq = 1
  let count = 0
  for (const e of events) {
    if (e.seq !== expectedSeq) return { ok: false, seq: expectedSeq, reason: 'event missing' }
    if (e.prevHash !== prev) return { ok: false, seq: e.seq, reason: 'link to previous broken' }
    if (hashAuditEvent(e) !== e.hash) return { ok: false, seq: e.seq, reason: 'content edited' }
    prev = e.hash
    expectedSeq++
    count++
  }
  if (head.seq !== count) return { ok: false, seq: count + 1, reason: 'events after this missing' }
  if (count > 0 && head.hash !== prev) return { ok: false, seq: count, reason: 'head mismatch' }
  return { ok: true, count, headHash: prev }
}
