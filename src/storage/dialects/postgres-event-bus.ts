import pg from 'pg'
import { AppError } from '../../core/errors.ts'
import {
  matchesFilter,
  type BusEvent,
  type EventBus,
  type EventFilter,
  type EventListener,
} from '../../core/events.ts'

export interface PostgresEventBusOptions {
  url: string
  /** Channel suffix: replicas on one database and schema share it; tests isolate by schema. */
  schema?: string
  onError?: (err: unknown) => void
  /** Delay before reconnecting the listening connection after it dropped (default 1000 ms). */
  reconnectMs?: number
}

// NOTIFY payloads are limited to 8000 bytes; events name keys only, but a huge write could
// list thousands: past this size the key list is cut and `truncated` says so.
const MAX_PAYLOAD = 7000

interface Subscription {
  workspaceId: string
  filter: EventFilter
  listener: EventListener
}

/**
 * The `EventBus` of replicas sharing one PostgreSQL: `publish` is `pg_notify` on a channel of the
 * schema, and every replica (this one included) delivers what it hears to its own subscribers.
 * One dedicated connection listens and reconnects by itself after a database restart.
 */
export function createPostgresEventBus(options: PostgresEventBusOptions): EventBus {
  const channel =
    `tresor_events_${(options.schema ?? 'public').replace(/[^a-z0-9_]/gi, '_')}`.slice(0, 63)
  const subs = new Set<Subscription>()
  const publisher = new pg.Pool({ connectionString: options.url, max: 2 })
  publisher.on('error', (err) => options.onError?.(err))
  let listener: pg.Client | undefined
  let closed = false

  function deliver(payload: string): void {
    let msg: { ws: string; event: BusEvent }
    try {
      msg = JSON.parse(payload) as { ws: string; event: BusEvent }
    } catch {
      return
    }
    for (const sub of [...subs]) {
      if (sub.workspaceId !== msg.ws || !matchesFilter(sub.filter, msg.event)) continue
      try {
        sub.listener(msg.event)
      } catch (err) {
        options.onError?.(err)
      }
    }
  }

  async function connect(): Promise<void> {
    if (closed) return
    const client = new pg.Client({ connectionString: options.url })
    client.on('notification', (n) => {
      if (n.channel === channel && n.payload !== undefined) deliver(n.payload)
    })
    client.on('error', (err) => {
      options.onError?.(err)
      if (listener === client) listener = undefined
      void client.end().catch(() => undefined)
      setTimeout(() => void connect().catch(retry), options.reconnectMs ?? 1000).unref()
    })
    await client.connect()
    await client.query(`LISTEN ${channel}`)
    listener = client
  }

  function retry(err: unknown): void {
    options.onError?.(err)
    if (!closed) setTimeout(() => void connect().catch(retry), options.reconnectMs ?? 1000).unref()
  }

  const ready = connect().catch(retry)

  return {
    async publish(workspaceId, event) {
      await ready
      let payload = JSON.stringify({ ws: workspaceId, event })
      if (payload.length > MAX_PAYLOAD) {
        const data = { ...event.data, keys: [], truncated: true }
        payload = JSON.stringify({ ws: workspaceId, event: { ...event, data } })
      }
      // Events are notifications after a commit: losing one must never fail the committed write.
      try {
        await publisher.query('SELECT pg_notify($1, $2)', [channel, payload])
      } catch {
        options.onError?.(new AppError('UNAVAILABLE', 'an event could not be published'))
      }
    },
    subscribe(workspaceId, filter, listenerFn) {
      const sub = { workspaceId, filter, listener: listenerFn }
      subs.add(sub)
      return () => subs.delete(sub)
    },
    async close() {
      closed = true
      subs.clear()
      await ready
      await listener?.end().catch(() => undefined)
      await publisher.end().catch(() => undefined)
    },
  }
}
