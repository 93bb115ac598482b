/** A bounded least-recently-used map of pending or settled loads, where failures are not kept. */
export interface LoadCache<T> {
  getOrLoad(slot: string, load: () => Promise<T>): Promise<T>
  /** The value of a load that already succeeded, without waiting or loading; else undefined. */
  peek(slot: string): T | undefined
  deleteWhere(match: (slot: string) => boolean): void
  readonly size: number
}

interface Entry<T> {
  readonly pending: Promise<T>
  value?: T
}

/**
 * Creates a cache that runs one load per slot even under concurrent callers (one KMS unwrap, not
 * one per request) and forgets a load that failed, so a transient error is retried next time.
 */
export function createLoadCache<T>(maxEntries: number): LoadCache<T> {
  const entries = new Map<string, Entry<T>>()
  return {
    getOrLoad(slot, load) {
      let entry = entries.get(slot)
      if (entry === undefined) {
        const made: Entry<T> = { pending: load() }
        made.pending.then(
          (value) => {
            made.value = value
          },
          () => {
            if (entries.get(slot) === made) entries.delete(slot)
          },
        )
        entry = made
      }
      // Re-inserting moves the slot to the end: Map order is then least recently used first.
      entries.delete(slot)
      entries.set(slot, entry)
      const oldest = entries.keys().next().value
      if (entries.size > maxEntries && oldest !== undefined) entries.delete(oldest)
      return entry.pending
    },
    peek(slot) {
      return entries.get(slot)?.value
    },
    deleteWhere(match) {
      for (const slot of [...entries.keys()]) if (match(slot)) entries.delete(slot)
    },
    get size() {
      return entries.size
    },
  }
}
