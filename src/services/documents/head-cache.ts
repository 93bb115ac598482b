import type { DocumentScope } from '../../storage/store.ts'
import type { DocState } from './document-state.ts'

/**
 * The opened head of recently written documents, so that the next write to one of them skips
 * its decrypt and parse. An entry is only ever used for the revision id it was made from: the
 * commit reads the head's id inside its transaction (`latestSealedUnless`) and opens the
 * ciphertext whenever that id is not the cached one (another process wrote, a rollback, an
 * eviction). Keyed by workspace, project and environment, so no entry answers for another
 * document or workspace; bounded by an estimate of the memory its states hold.
 */
export interface HeadCache {
  /** The cached state of `scope`'s document, whatever revision it is at. */
  peek(scope: DocumentScope): DocState | undefined
  /** Remembers `state` as the head of its document (a state of revision 0 is not kept). */
  set(state: DocState): void
}

// Scope ids are prefixed ids without '/', so this key names exactly one document.
const keyOf = (s: DocumentScope) => `${s.workspaceId}/${s.projectId}/${s.environmentId ?? ''}`

// Roughly what a state holds in memory: the text twice (document nodes, values map), its key
// names three times, and the objects around them.
function sizeOf(state: DocState): number {
  let n = 512
  state.values.forEach((value, key) => {
    n += 200 + 6 * key.length + 4 * value.length
  })
  for (const addon of state.addons) {
    for (const v of addon.vars) n += 200 + 2 * (v.key.length + v.value.length)
  }
  return n
}

/** A head cache bounded by `maxBytes` (default 16 MiB), least recently used dropped first. */
export function createHeadCache(maxBytes = 16 * 1024 * 1024): HeadCache {
  const entries = new Map<string, { state: DocState; bytes: number }>()
  let total = 0
  const drop = (key: string) => {
    total -= entries.get(key)?.bytes ?? 0
    entries.delete(key)
  }
  return {
    peek(scope) {
      const key = keyOf(scope)
      const hit = entries.get(key)
      if (hit === undefined) return undefined
      entries.delete(key)
      entries.set(key, hit)
      return hit.state
    },
    set(state) {
      const key = keyOf(state.scope)
      drop(key)
      if (state.revisionId === null) return
      const bytes = sizeOf(state)
      if (bytes > maxBytes) return
      entries.set(key, { state, bytes })
      total += bytes
      for (const oldest of entries.keys()) {
        if (total <= maxBytes) break
        drop(oldest)
      }
    },
  }
}
