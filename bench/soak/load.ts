// The soak's load process (forked by run.ts so the clients don't share an event loop with the
// orchestrator): gets a LoadConfig over IPC, runs the clients until the deadline, and sends back
// a LoadResult. It exits by itself; run.ts also kills it if it overstays.
import { runClient } from './client-loop.ts'
import type { ClientState, Shared } from './client.ts'
import { createJsonClient } from './http.ts'
import { emptyStats, type LoadConfig, type LoadResult } from './types.ts'

async function runLoad(cfg: LoadConfig): Promise<LoadResult> {
  const shared: Shared = {
    cfg,
    http: createJsonClient(cfg.token, cfg.clients + 8),
    ops: emptyStats(),
    dead: new Set(),
    counters: { failovers: 0, gaveUp: 0 },
    errorKinds: {},
    unavailableAt: [],
  }
  const clients: ClientState[] = Array.from({ length: cfg.clients }, (_, id) => ({
    id,
    env: cfg.envs[id % cfg.envs.length] ?? '',
    turn: id,
    merges: 0,
    acked: new Map(),
  }))
  const started = Date.now()
  const deadline = started + cfg.seconds * 1000
  await Promise.all(clients.map((c) => runClient(shared, c, deadline)))
  shared.http.close()
  return {
    ops: shared.ops,
    failovers: shared.counters.failovers,
    gaveUp: shared.counters.gaveUp,
    errorKinds: shared.errorKinds,
    acked: clients.flatMap((c) => [...c.acked.values()]),
    unavailableAt: shared.unavailableAt,
    elapsedMs: Date.now() - started,
  }
}

process.once('message', (cfg: LoadConfig) => {
  runLoad(cfg).then(
    (result) => process.send?.(result, () => process.exit(0)),
    (err: unknown) => {
      console.error(err)
      process.exit(1)
    },
  )
})
