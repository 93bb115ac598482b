import { describe, expect, it } from 'vitest'
import { createListingCache } from './listing-cache.ts'
import type { ListedVar } from './var-list.ts'

const scope = (env: string) => ({ workspaceId: 'wsp_1', projectId: 'prj_1', environmentId: env })
const listing = (n: number, value = 'v'): ListedVar[] =>
  Array.from({ length: n }, (_, i) => ({ key: `K${i}`, kind: 'config', value }))

describe('listing cache', () => {
  it('returns a frozen copy for the same document and revision only', () => {
    const cache = createListingCache()
    const vars = listing(2)
    cache.set(scope('env_a'), 3, vars)
    vars[0] = { key: 'CHANGED', kind: 'config', value: 'x' }
    const hit = cache.get(scope('env_a'), 3)
    expect(hit).toEqual(listing(2))
    expect(Object.isFrozen(hit) && Object.isFrozen(hit?.[0])).toBe(true)
    expect(cache.get(scope('env_a'), 4)).toBeUndefined()
    expect(cache.get(scope('env_b'), 3)).toBeUndefined()
    expect(cache.get({ ...scope('env_a'), environmentId: null }, 3)).toBeUndefined()
  })

  it('evicts the least recently used listings past its byte budget, and skips oversized ones', () => {
    // Each listing of 10 one-letter variables is estimated at 10 × (96 + 2 × 3) = 1,020 bytes.
    const cache = createListingCache(3_000)
    cache.set(scope('env_a'), 1, listing(10))
    cache.set(scope('env_b'), 1, listing(10))
    expect(cache.get(scope('env_a'), 1)).toBeDefined() // a is now the most recent
    cache.set(scope('env_c'), 1, listing(10))
    expect([
      cache.get(scope('env_a'), 1) !== undefined,
      cache.get(scope('env_b'), 1) !== undefined,
      cache.get(scope('env_c'), 1) !== undefined,
    ]).toEqual([true, false, true])
    cache.set(scope('env_d'), 1, listing(10, 'x'.repeat(5_000)))
    expect(cache.get(scope('env_d'), 1)).toBeUndefined()
    expect(cache.get(scope('env_c'), 1)).toBeDefined()
  })
})
