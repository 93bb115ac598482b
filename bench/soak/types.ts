// What the soak's orchestrator (run.ts) and its load process (load.ts) say to each other.

export const OPS = ['read', 'merge', 'reveal', 'put-if-match', 'put-stale', 'release'] as const
export type Op = (typeof OPS)[number]

export interface LoadConfig {
  /** Base URLs of the servers; clients spread requests over them and fail over between them. */
  urls: string[]
  token: string
  seconds: number
  clients: number
  project: string
  envs: string[]
}

/** A write the server acknowledged (2xx): it must be readable at the end, from any replica. */
export interface AckedVar {
  env: string
  key: string
  /** The values the key may hold at the end: the acknowledged one, plus any unconfirmed retry. */
  values: string[]
  secret: boolean
  /** Index in `urls` of the server that acknowledged it. */
  writer: number
}

export interface OpStats {
  /** Latencies in ms of the requests that got an HTTP answer. */
  ms: number[]
  ok: number
  /** 412s the client asked for (stale If-Match) or met in a race and retried. */
  precondition: number
  errors: number
}

export interface LoadResult {
  ops: Record<Op, OpStats>
  /** Requests that got no HTTP answer and were sent again to another server. */
  failovers: number
  /** If-Match writes that met 412 more times than the client was willing to retry. */
  gaveUp: number
  /** Distinct error descriptions (status and op, never a value) with their counts. */
  errorKinds: Record<string, number>
  acked: AckedVar[]
  /** When each 503 answer came (ms since the epoch); the request was sent again after it. */
  unavailableAt: number[]
  elapsedMs: number
}

/** Zeroed counters for every operation. */
export function emptyStats(): Record<Op, OpStats> {
  const stats = {} as Record<Op, OpStats>
  for (const op of OPS) stats[op] = { ms: [], ok: 0, precondition: 0, errors: 0 }
  return stats
}
