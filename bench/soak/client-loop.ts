// The soak client's If-Match writes, releases and its main loop (the operation mix).
import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import {
  call,
  envPath,
  fail,
  merge,
  read,
  reveal,
  type ClientState,
  type Shared,
} from './client.ts'
import type { Op } from './types.ts'

// Weights of the mix: mostly reads, a quarter merges, the rest reveals, If-Match writes (some
// deliberately stale) and releases.
const MIX: [Op, number][] = [
  ['read', 35],
  ['merge', 25],
  ['reveal', 15],
  ['put-if-match', 12],
  ['put-stale', 5],
  ['release', 8],
]
const TOTAL = MIX.reduce((n, [, w]) => n + w, 0)

function choose(): Op {
  let r = Math.random() * TOTAL
  for (const [op, w] of MIX) {
    if ((r -= w) < 0) return op
  }
  return 'read'
}

const casKey = (c: ClientState) => `C${c.id}_CAS`

/** Read the revision, PUT with If-Match on it; on a race's 412 read again and retry. */
async function putIfMatch(s: Shared, c: ClientState): Promise<void> {
  const key = casKey(c)
  const value = randomBytes(9).toString('hex')
  const before = c.acked.get(key)
  const failoversBefore = s.counters.failovers
  for (let attempt = 0; attempt < 20; attempt++) {
    const revision = await read(s, c)
    if (revision === undefined) return
    const { reply, replica } = await call(s, c, 'put-if-match', {
      method: 'PUT',
      path: `${envPath(s, c)}/vars`,
      body: { key, value, kind: 'secret' },
      headers: { 'if-match': `"${revision}"` },
    })
    if (reply.status === 200) {
      s.ops['put-if-match'].ok++
      c.acked.set(key, { env: c.env, key, values: [value], secret: true, writer: replica })
      return
    }
    if (reply.status !== 412) return fail(s, 'put-if-match', `status ${reply.status}`)
    s.ops['put-if-match'].precondition++
    await sleep(Math.random() * 20)
  }
  s.counters.gaveUp++
  // A request that failed over may have been committed before its server died: from now on the
  // key may hold either value.
  if (before !== undefined && s.counters.failovers !== failoversBefore) before.values.push(value)
}

/** PUT with an If-Match long out of date: must be 412, and its value must never be stored. */
async function putStale(s: Shared, c: ClientState): Promise<void> {
  const { reply } = await call(s, c, 'put-stale', {
    method: 'PUT',
    path: `${envPath(s, c)}/vars`,
    body: { key: casKey(c), value: `stale${randomBytes(6).toString('hex')}`, kind: 'secret' },
    headers: { 'if-match': '"1"' },
  })
  if (reply.status !== 412) return fail(s, 'put-stale', `status ${reply.status} instead of 412`)
  s.ops['put-stale'].precondition++
}

async function release(s: Shared, c: ClientState): Promise<void> {
  const { reply } = await call(s, c, 'release', {
    method: 'POST',
    path: `${envPath(s, c)}/releases`,
    body: { message: `soak client ${c.id}` },
  })
  if (reply.status !== 201) return fail(s, 'release', `status ${reply.status}`)
  s.ops.release.ok++
}

const RUN: Record<Op, (s: Shared, c: ClientState) => Promise<unknown>> = {
  read,
  merge,
  reveal,
  'put-if-match': putIfMatch,
  'put-stale': putStale,
  release,
}

/** Runs one client's mix until `deadline` (ms since the epoch). */
export async function runClient(s: Shared, c: ClientState, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    const op = choose()
    try {
      await RUN[op](s, c)
    } catch (err) {
      fail(s, op, err instanceof Error ? err.message : 'exception')
    }
  }
}
