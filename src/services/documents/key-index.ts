import type { KeyIndexEntry } from '../../storage/store.ts'
import type { DocState, KeyMeta } from './document-state.ts'

// Most writes change values, not which keys a document has or their kinds, so the clear key
// index of the new revision usually equals its parent's. Reusing the parent's (frozen) array lets
// the store reuse its JSON too: with 100 keys, building and serialising it cost a commit ~15 µs.
const indexes = new WeakMap<DocState, readonly KeyIndexEntry[]>()

/**
 * The key index of a revision with `values` and `meta` (names and kinds in document order),
 * frozen; the very array of `parent`'s revision when nothing in it changed.
 */
export function keyIndexAfter(
  parent: DocState,
  values: ReadonlyMap<string, string>,
  meta: ReadonlyMap<string, KeyMeta>,
): readonly KeyIndexEntry[] {
  const previous = indexes.get(parent)
  if (previous !== undefined && previous.length === values.size) {
    let i = 0
    let same = true
    for (const key of values.keys()) {
      const entry = previous[i++]
      if (entry?.key !== key || entry.kind !== (meta.get(key)?.kind ?? 'config')) {
        same = false
        break
      }
    }
    if (same) return previous
  }
  const built = [...values.keys()].map((key) =>
    Object.freeze({ key, kind: meta.get(key)?.kind ?? 'config' }),
  )
  return Object.freeze(built)
}

/** Remembers the key index `state`'s revision was stored with, for its child's commit. */
export function rememberKeyIndex(state: DocState, index: readonly KeyIndexEntry[]): void {
  indexes.set(state, index)
}
