/** What happened; clients of the event stream switch on this name. */
export const EVENT_TYPES = [
  'variables.changed',
  'environment.created',
  'environment.deleted',
  'project.created',
  'project.deleted',
  'release.created',
  'release.updated',
] as const
export type EventType = (typeof EVENT_TYPES)[number]

/**
 * One change notification. It names what changed (ids, key names, revision numbers), never a
 * value: events travel through PostgreSQL NOTIFY and out to browsers.
 */
export interface BusEvent {
  type: EventType
  projectId?: string
  environmentId?: string
  /** ISO 8601 time of the change. */
  at: string
  data: Readonly<Record<string, unknown>>
}

/** Which events of a workspace a subscriber wants; every field set must match. */
export interface EventFilter {
  projectId?: string
  environmentIds?: readonly string[]
  types?: readonly EventType[]
}

export type EventListener = (event: BusEvent) => void

/**
 * The port through which services announce committed changes and the event stream listens.
 * In memory for one process; PostgreSQL LISTEN/NOTIFY when replicas share a database.
 */
export interface EventBus {
  /** Delivers `event` to every matching subscriber of the workspace (after commit only). */
  publish(workspaceId: string, event: BusEvent): Promise<void>
  /** Starts delivering matching events to `listener`; returns the function that stops it. */
  subscribe(workspaceId: string, filter: EventFilter, listener: EventListener): () => void
  /** Stops every subscription and releases connections. */
  close(): Promise<void>
}

/** True when `event` passes `filter`: an event without a project never reaches a filtered one. */
export function matchesFilter(filter: EventFilter, event: BusEvent): boolean {
  if (filter.types !== undefined && !filter.types.includes(event.type)) return false
  if (filter.projectId !== undefined && event.projectId !== filter.projectId) return false
  if (filter.environmentIds !== undefined) {
    return event.environmentId !== undefined && filter.environmentIds.includes(event.environmentId)
  }
  return true
}
