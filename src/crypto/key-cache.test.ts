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

  it('peek() shows only settled successes, and nothing after eviction or a failure', async () => {
    const cache = createLoadCache<string>(1)
    let fail!: (e: Error) => void
    const failing = cache.getOrLoad(
      'bad',
      () => new Promise<string>((_, reject) => (fail = reject)),
    )
    expect(cache.peek('bad')).toBeUndefined()
    fail(new Error('no'))
    await expect(failing).rejects.toThrow('no')
    expect(cache.peek('bad')).toBeUndefined()
    await cache.getOrLoad('a', () => Promise.resolve('A'))
    expect(cache.peek('a')).toBe('A')
    await cache.getOrLoad('b', () => Promise.resolve('B'))
    expect([cache.peek('a'), cache.peek('b')]).toEqual([undefined, 'B'])
  })
})
