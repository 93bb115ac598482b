import type { KeyIndexEntry } from '../../storage/store.ts'
import type { DocState, KeyMeta } from './document-state.ts'

// Most writes change values, not which keys a document has or their kinds, so the clear key
// index of the new revision usually equals its parent's. Reusing the parent's (frozen) array lets
// the store reuse its JSON too: with 100 keys, building and serialising it cost a commit ~15 µs.
const indexes = new WeakMap<DocState, readonly KeyIndexEntry[]>()

/**
 * The key index of a revision with `values` whose keys' metadata is `keys` (in the same order):
 * names and kinds in document order, frozen; the very array of `parent`'s revision when nothing
 * in it changed.
 */
export function keyIndexAfter(
  parent: DocState,
  values: ReadonlyMap<string, string>,
  keys: readonly KeyMeta[],
): readonly KeyIndexEntry[] {
  const previous = indexes.get(parent)
  if (previous !== undefined && previous.length === values.size) {
    let i = 0
    let same = true
    for (const key of values.keys()) {
      const entry = previous[i]
      if (entry?.key !== key || entry.kind !== (keys[i]?.kind ?? 'config')) {
        same = false
        break
      }
      i++
    }
    if (same) return previous
  }
  let i = 0
  const built: KeyIndexEntry[] = []
  for (const key of values.keys())
    built.push(Object.freeze({ key, kind: keys[i++]?.kind ?? 'config' }))
  return Object.freeze(built)
}

/** Remembers the key index `state`'s revision was stored with, for its child's commit. */
export function rememberKeyIndex(state: DocState, index: readonly KeyIndexEntry[]): void {
  indexes.set(state, index)
}

/** The key index `state`'s revision was stored with, if this process wrote it. */
export function rememberedKeyIndex(state: DocState): readonly KeyIndexEntry[] | undefined {
  return indexes.get(state)
}
