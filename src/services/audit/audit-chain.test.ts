import { describe, expect, it } from 'vitest'
import { GENESIS_HASH, hashAuditEvent, verifyAuditChain, type ChainedEvent } from './audit-chain.ts'

function chain(n: number): Array<ChainedEvent & { hash: string }> {
  const out: Array<ChainedEvent & { hash: string }> = []
  let prev = GENESIS_HASH
  for (let seq = 1; seq <= n; seq++) {
    const e: ChainedEvent = {
      id: `aud_${seq}`,
      workspaceId: 'wsp_1',
      seq,
      at: `2026-11-29T10:00:0${seq}.000Z`,
      actorId: 'mem_1',
      actorKind: 'member',
      action: 'vars.set',
      projectId: 'prj_1',
      environmentId: 'env_1',
      keys: ['A', `K${seq}`],
      outcome: 'ok',
      ip: '127.0.0.1',
      requestId: `req_${seq}`,
      detail: { revision: seq, nested: { b: 1, a: 2 } },
      prevHash: prev,
    }
    const hash = hashAuditEvent(e)
    out.push({ ...e, hash })
    prev = hash
  }
  return out
}

const headOf = (events: Array<{ seq: number; hash: string }>) => {
  const last = events.at(-1)
  return { seq: last?.seq ?? 0, hash: last?.hash ?? GENESIS_HASH }
}

describe('audit hash chain', () => {
  it('verifies an intact chain and an empty one', () => {
    const events = chain(5)
    expect(verifyAuditChain(events, headOf(events))).toEqual({
      ok: true,
      count: 5,
      headHash: events[4]?.hash,
    })
    expect(verifyAuditChain([], { seq: 0, hash: GENESIS_HASH })).toMatchObject({
      ok: true,
      count: 0,
    })
  })

  it('does not depend on object key order', () => {
    const [e] = chain(1)
    if (!e) throw new Error('no event')
    const reordered = { ...e, detail: { nested: { a: 2, b: 1 }, revision: 1 } }
    expect(hashAuditEvent(reordered)).toBe(e.hash)
  })

  it.each([
    ['action', (e: ChainedEvent) => ({ ...e, action: 'vars.delete' })],
    ['keys', (e: ChainedEvent) => ({ ...e, keys: ['A'] })],
    ['detail', (e: ChainedEvent) => ({ ...e, detail: { revision: 99 } })],
    ['ip', (e: ChainedEvent) => ({ ...e, ip: '10.0.0.1' })],
    ['at', (e: ChainedEvent) => ({ ...e, at: '2020-01-01T00:00:00.000Z' })],
  ])('detects an edited %s', (_field, edit) => {
    const events = chain(4)
    const head = headOf(events)
    events[2] = { ...edit(events[2] as ChainedEvent), hash: events[2]?.hash ?? '' }
    expect(verifyAuditChain(events, head)).toEqual({ ok: false, seq: 3, reason: 'content edited' })
  })

  it('detects a deleted middle event and a deleted tail', () => {
    const events = chain(4)
    const head = headOf(events)
    expect(verifyAuditChain([...events.slice(0, 1), ...events.slice(2)], head)).toEqual({
      ok: false,
      seq: 2,
      reason: 'event missing',
    })
    expect(verifyAuditChain(events.slice(0, 3), head)).toEqual({
      ok: false,
      seq: 4,
      reason: 'events after this missing',
    })
  })

  it('detects a re-hashed edit through the broken link to the next event', () => {
    const events = chain(3)
    const head = headOf(events)
    const forged = { ...(events[1] as ChainedEvent), action: 'nothing.happened' }
    events[1] = { ...forged, hash: hashAuditEvent(forged) }
    expect(verifyAuditChain(events, head)).toEqual({
      ok: false,
      seq: 3,
      reason: 'link to previous broken',
    })
  })
})
