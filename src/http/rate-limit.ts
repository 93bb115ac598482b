export interface FailureLimiterOptions {
  /** Failed authentications allowed per client IP within the window. Default 20. */
  maxFailures?: number
  /** Sliding window length. Default 60 s. */
  windowMs?: number
  /** Most client IPs remembered; the least recently failing is forgotten first. Default 10,000. */
  maxClients?: number
  /** Milliseconds clock, injectable so tests can move time. */
  now?: () => number
}

/** Whether a client may try to authenticate now, or how long it must wait. */
export type LimitCheck = { limited: false } | { limited: true; retryAfterSeconds: number }

/** Counts failed authentications per client IP in a sliding window (in memory, bounded). */
export interface FailureLimiter {
  /** Checked before a token is even looked at. */
  check(ip: string): LimitCheck
  /** Records one failed authentication (malformed or unknown token). Successes never count. */
  recordFailure(ip: string): void
  /** How many client IPs are tracked now (bounded by `maxClients`). */
  size(): number
}

const NOT_LIMITED: LimitCheck = Object.freeze({ limited: false })

/**
 * Creates the brute-force slowdown of the auth hook: past `maxFailures` failures within
 * `windowMs`, an IP gets 429 until its oldest failure leaves the window.
 */
export function createFailureLimiter(options: FailureLimiterOptions = {}): FailureLimiter {
  const maxFailures = options.maxFailures ?? 20
  const windowMs = options.windowMs ?? 60_000
  const maxClients = options.maxClients ?? 10_000
  const now = options.now ?? Date.now
  // ip → failure times, oldest first; Map order doubles as least-recently-failed order.
  const failures = new Map<string, number[]>()

  function recent(ip: string, at: number): number[] {
    const times = (failures.get(ip) ?? []).filter((t) => t > at - windowMs)
    if (times.length === 0) failures.delete(ip)
    return times
  }

  return {
    check(ip) {
      // Nearly every request comes from an address without a recent failure: no clock, no copy.
      if (!failures.has(ip)) return NOT_LIMITED
      const at = now()
      const times = recent(ip, at)
      if (times.length < maxFailures) return NOT_LIMITED
      // Waiting until the oldest counted failure expires brings the count back under the limit.
      const oldest = times[times.length - maxFailures] ?? at
      return {
        limited: true,
        retryAfterSeconds: Math.max(1, Math.ceil((oldest + windowMs - at) / 1000)),
      }
    },
    recordFailure(ip) {
      const at = now()
      const times = recent(ip, at)
      times.push(at)
      // Keep only what the limit can ever need, so a flood costs O(maxFailures) memory per IP.
      if (times.length > maxFailures) times.splice(0, times.length - maxFailures)
      failures.delete(ip)
      failures.set(ip, times)
      if (failures.size > maxClients) {
        const first = failures.keys().next()
        if (first.done !== true) failures.delete(first.value)
      }
    },
    size: () => failures.size,
  }
}
