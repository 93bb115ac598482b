// One simulated API client of the soak: a loop of reads, merges, reveals, If-Match writes and
// releases on its own environment, spread over every live server. A request that gets no HTTP
// answer (its server was killed) is sent again to another server: every write here is idempotent
// or guarded by If-Match, so a retry can never apply twice.
import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { NetworkError, type JsonClient, type Reply } from './http.ts'
import type { AckedVar, LoadConfig, Op, OpStats } from './types.ts'

export interface Shared {
  cfg: LoadConfig
  http: JsonClient
  ops: Record<Op, OpStats>
  /** Servers that refused a connection: no client sends to them again. */
  dead: Set<number>
  counters: { failovers: number; gaveUp: number }
  errorKinds: Record<string, number>
  /** When each 503 answer came (ms since the epoch). */
  unavailableAt: number[]
}

export interface ClientState {
  id: number
  env: string
  /** Round-robin position over the live servers. */
  turn: number
  merges: number
  acked: Map<string, AckedVar>
}

const hex = () => randomBytes(9).toString('hex')

/** Counts one error by kind; the description names the op and status, never a value. */
export function fail(s: Shared, op: Op, what: string): void {
  s.ops[op].errors++
  const kind = `${op}: ${what}`
  s.errorKinds[kind] = (s.errorKinds[kind] ?? 0) + 1
}

function pick(s: Shared, c: ClientState, avoid: number | undefined): number {
  const live = s.cfg.urls.map((_, i) => i).filter((i) => !s.dead.has(i))
  const choices = live.length > 1 ? live.filter((i) => i !== avoid) : live
  return choices[c.turn++ % Math.max(1, choices.length)] ?? 0
}

/**
 * Sends one request, failing over to another server while there is no HTTP answer, and sending
 * again a little later while the answer is 503 (the database is unreachable: nothing committed).
 */
async function call(
  s: Shared,
  c: ClientState,
  op: Op,
  req: { method: string; path: string; body?: unknown; headers?: Record<string, string> },
  avoid?: number,
): Promise<{ reply: Reply; replica: number }> {
  let networkErrors = 0
  for (let attempt = 0; attempt < 100 && networkErrors < 6; attempt++) {
    const replica = pick(s, c, avoid)
    const base = s.cfg.urls[replica] ?? ''
    const t0 = performance.now()
    try {
      const reply = await s.http.send(base, req.method, req.path, req.body, req.headers)
      s.ops[op].ms.push(performance.now() - t0)
      if (reply.status !== 503) return { reply, replica }
      s.unavailableAt.push(Date.now())
      await sleep(100 + Math.random() * 200)
    } catch (err) {
      if (!(err instanceof NetworkError)) throw err
      networkErrors++
      s.counters.failovers++
      if (err.code === 'ECONNREFUSED') s.dead.add(replica)
    }
  }
  throw new NetworkError('no server answered')
}

const envPath = (s: Shared, c: ClientState) => `/v1/projects/${s.cfg.project}/environments/${c.env}`

type Listed = { vars: Array<{ key: string; value?: string }> }

/** GET vars on any server: every write this client got acknowledged must be there already. */
async function read(s: Shared, c: ClientState): Promise<number | undefined> {
  const { reply } = await call(s, c, 'read', { method: 'GET', path: `${envPath(s, c)}/vars` })
  if (reply.status !== 200) return void fail(s, 'read', `status ${reply.status}`)
  const listed = new Map((reply.body as Listed).vars.map((v) => [v.key, v.value]))
  for (const a of c.acked.values()) {
    const value = listed.get(a.key)
    if (!listed.has(a.key)) return void fail(s, 'read', 'an acknowledged key is missing')
    if (!a.secret && !a.values.includes(value ?? '')) {
      return void fail(s, 'read', 'an acknowledged value differs')
    }
  }
  s.ops.read.ok++
  return reply.revision
}

/** PATCH one new key (every other one a secret) and remember it once acknowledged. */
async function merge(s: Shared, c: ClientState): Promise<void> {
  const n = c.merges++
  const key = `C${c.id}_M${n}`
  const value = hex()
  const secret = n % 2 === 0
  const body = { env: { [key]: value }, ...(secret ? { secrets: [key] } : {}) }
  const { reply, replica } = await call(s, c, 'merge', {
    method: 'PATCH',
    path: `${envPath(s, c)}/vars`,
    body,
  })
  if (reply.status !== 200) return fail(s, 'merge', `status ${reply.status}`)
  s.ops.merge.ok++
  c.acked.set(key, { env: c.env, key, values: [value], secret, writer: replica })
}

/** Reveals one acknowledged key on a server other than the one that wrote it. */
async function reveal(s: Shared, c: ClientState): Promise<void> {
  const all = [...c.acked.values()]
  const a = all[Math.floor(Math.random() * all.length)]
  if (a === undefined) return merge(s, c)
  const path = `${envPath(s, c)}/vars/${a.key}/reveal`
  const { reply } = await call(s, c, 'reveal', { method: 'POST', path }, a.writer)
  if (reply.status !== 200) return fail(s, 'reveal', `status ${reply.status}`)
  if (!a.values.includes((reply.body as { value?: string }).value ?? '')) {
    return fail(s, 'reveal', 'the revealed value is not the acknowledged one')
  }
  s.ops.reveal.ok++
}

export { call, envPath, merge, read, reveal }
