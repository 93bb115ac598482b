import { describe, expect, it } from 'vitest'
import { createFailureLimiter } from '../../src/http/rate-limit.ts'

describe('createFailureLimiter', () => {
  it('limits after maxFailures within the sliding window and says how long to wait', () => {
    let now = 0
    const limiter = createFailureLimiter({ maxFailures: 3, windowMs: 60_000, now: () => now })
    for (const t of [0, 10_000, 20_000]) {
      now = t
      expect(limiter.check('1.2.3.4')).toEqual({ limited: false })
      limiter.recordFailure('1.2.3.4')
    }
    expect(limiter.check('1.2.3.4')).toEqual({ limited: true, retryAfterSeconds: 40 })
    expect(limiter.check('5.6.7.8')).toEqual({ limited: false })
    now = 60_000 // the failure at 0 leaves the window: two remain
    expect(limiter.check('1.2.3.4')).toEqual({ limited: false })
    now = 80_001
    limiter.recordFailure('1.2.3.4')
    expect(limiter.check('1.2.3.4')).toEqual({ limited: false })
  })

  it('keeps only the last maxFailures failures of an address, and waits on the oldest of them', () => {
    let now = 0
    const limiter = createFailureLimiter({ maxFailures: 2, windowMs: 10_000, now: () => now })
    for (let i = 0; i < 50; i++) {
      now += 1000
      limiter.recordFailure('ip')
    }
    expect(limiter.check('ip')).toEqual({ limited: true, retryAfterSeconds: 9 })
  })

  it('remembers at most maxClients addresses, forgetting the least recently failing', () => {
    const limiter = createFailureLimiter({ maxFailures: 1, maxClients: 100, now: () => 0 })
    for (let i = 0; i < 1000; i++) limiter.recordFailure(`10.0.${Math.floor(i / 256)}.${i % 256}`)
    expect(limiter.size()).toBe(100)
    expect(limiter.check('10.0.0.0').limited).toBe(false) // forgotten
    expect(limiter.check('10.0.3.231').limited).toBe(true) // the last one
  })
})
