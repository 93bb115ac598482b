import type { DocumentScope } from '../../storage/store.ts'
import type { ListedVar } from './var-list.ts'

/**
 * Masked listings of document revisions, most recently used kept. A revision never changes, so
 * its listing (names, kinds, previews, config values: never a secret value) can be reused by
 * every read that finds the document still at that revision, skipping decrypt and parse.
 */
export interface ListingCache {
  get(scope: DocumentScope, revision: number): readonly ListedVar[] | undefined
  set(scope: DocumentScope, revision: number, vars: readonly ListedVar[]): void
}

const keyOf = (scope: DocumentScope, revision: number) =>
  `${scope.workspaceId}/${scope.projectId}/${scope.environmentId ?? ''}/${revision}`

/** A cache of at most `max` listings (one per document is enough: older revisions age out). */
export function createListingCache(max = 512): ListingCache {
  const entries = new Map<string, readonly ListedVar[]>()
  return {
    get(scope, revision) {
      const key = keyOf(scope, revision)
      const hit = entries.get(key)
      if (hit !== undefined) {
        entries.delete(key)
        entries.set(key, hit)
      }
      return hit
    },
    set(scope, revision, vars) {
      const key = keyOf(scope, revision)
      entries.delete(key)
      entries.set(key, Object.freeze(vars.map((v) => Object.freeze({ ...v }))))
      if (entries.size > max) {
        const oldest = entries.keys().next()
        if (oldest.done !== true) entries.delete(oldest.value)
      }
    },
  }
}
