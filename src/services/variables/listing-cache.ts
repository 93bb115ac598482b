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

// Roughly what a listed variable holds in memory: its strings plus the object around them.
const sizeOf = (vars: readonly ListedVar[]) =>
  vars.reduce((n, v) => n + 96 + 2 * (v.key.length + (v.value?.length ?? 0)), 0)

/** A cache bounded by an estimate of the memory its listings hold (default 32 MiB). */
export function createListingCache(maxBytes = 32 * 1024 * 1024): ListingCache {
  const entries = new Map<string, { vars: readonly ListedVar[]; bytes: number }>()
  let total = 0
  const drop = (key: string) => {
    total -= entries.get(key)?.bytes ?? 0
    entries.delete(key)
  }
  return {
    get(scope, revision) {
      const key = keyOf(scope, revision)
      const hit = entries.get(key)
      if (hit === undefined) return undefined
      entries.delete(key)
      entries.set(key, hit)
      return hit.vars
    },
    set(scope, revision, vars) {
      const key = keyOf(scope, revision)
      const bytes = sizeOf(vars)
      drop(key)
      if (bytes > maxBytes) return
      entries.set(key, { vars: Object.freeze(vars.map((v) => Object.freeze({ ...v }))), bytes })
      total += bytes
      for (const oldest of entries.keys()) {
        if (total <= maxBytes) break
        drop(oldest)
      }
    },
  }
}
