import {
  matchesFilter,
  type BusEvent,
  type EventBus,
  type EventFilter,
  type EventListener,
} from '../../core/events.ts'

interface Subscription {
  filter: EventFilter
  listener: EventListener
}

export interface MemoryEventBusOptions {
  /** Called when a listener throws; one faulty subscriber must not stop the others. */
  onListenerError?: (err: unknown) => void
}

/**
 * The single-process `EventBus`: subscribers of a workspace get its matching events in
 * publish order, synchronously. Replicas sharing PostgreSQL use the LISTEN/NOTIFY bus instead.
 */
export function createMemoryEventBus(options: MemoryEventBusOptions = {}): EventBus & {
  subscriberCount(workspaceId?: string): number
} {
  const byWorkspace = new Map<string, Set<Subscription>>()

  function subscribe(workspaceId: string, filter: EventFilter, listener: EventListener) {
    const sub: Subscription = { filter, listener }
    let subs = byWorkspace.get(workspaceId)
    if (subs === undefined) byWorkspace.set(workspaceId, (subs = new Set()))
    subs.add(sub)
    return () => {
      subs.delete(sub)
      if (subs.size === 0 && byWorkspace.get(workspaceId) === subs) byWorkspace.delete(workspaceId)
    }
  }

  function publish(workspaceId: string, event: BusEvent): Promise<void> {
    // A snapshot, so that a listener unsubscribing (or subscribing) mid-delivery is safe.
    const subs = [...(byWorkspace.get(workspaceId) ?? [])]
    for (const sub of subs) {
      if (!matchesFilter(sub.filter, event)) continue
      try {
        sub.listener(event)
      } catch (err) {
        options.onListenerError?.(err)
      }
    }
    return Promise.resolve()
  }

  function subscriberCount(workspaceId?: string): number {
    if (workspaceId !== undefined) return byWorkspace.get(workspaceId)?.size ?? 0
    let n = 0
    for (const subs of byWorkspace.values()) n += subs.size
    return n
  }

  return {
    publish,
    subscribe,
    subscriberCount,
    close: () => {
      byWorkspace.clear()
      return Promise.resolve()
    },
  }
}
