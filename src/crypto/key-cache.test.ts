import { describe, expect, it } from 'vitest'
import { createLoadCache } from './key-cache.ts'

describe('createLoadCache', () => {
  it('evicts the least recently used slot past its bound', async () => {
    const cache = createLoadCache<number>(2)
    let loads = 0
    const load = (n: number) => () => Promise.resolve((loads++, n))
    await cache.getOrLoad('a', load(1))
    await cache.getOrLoad('b', load(2))
    await cache.getOrLoad('a', load(99)) // a is now the most recent
    await cache.getOrLoad('c', load(3)) // evicts b
    expect(cache.size).toBe(2)
    expect(await cache.getOrLoad('a', load(99))).toBe(1)
    expect(await cache.getOrLoad('b', load(22))).toBe(22)
    expect(loads).toBe(4)
  })

  it('shares one pending load between concurrent callers', async () => {
    const cache = createLoadCache<string>(10)
    let loads = 0
    const slow = () => new Promise<string>((r) => setTimeout(() => r(`v${++loads}`), 5))
    const got = await Promise.all([1, 2, 3].map(() => cache.getOrLoad('k', slow)))
    expect(got).toEqual(['v1', 'v1', 'v1'])
  })
})
