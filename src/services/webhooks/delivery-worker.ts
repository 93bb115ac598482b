import type { Keyring } from '../../crypto/index.ts'
import type { Store, WebhookAttemptResult, WebhookDeliveryRow } from '../../storage/store.ts'
import type { Clock } from '../context.ts'
import { internalDestinationReason, type Lookup } from './destination.ts'
import { sendDelivery, type FetchLike, type SendOutcome } from './send.ts'
import {
  DEFAULT_RETRY_POLICY,
  retryDelayMs,
  webhookAad,
  type RetryPolicy,
} from './webhook-rules.ts'

/** Schedules `fn` after `ms` and returns what cancels it; the default never keeps Node alive. */
export type ScheduleFn = (fn: () => void, ms: number) => () => void

const realSchedule: ScheduleFn = (fn, ms) => {
  const handle = setTimeout(fn, ms)
  handle.unref()
  return () => clearTimeout(handle)
}

export interface WebhookWorkerOptions {
  store: Store
  keyring: Keyring
  clock: Clock
  /** `Tresor-Webhooks/<version>`. */
  userAgent: string
  policy?: Partial<RetryPolicy>
  fetch?: FetchLike
  schedule?: ScheduleFn
  /** Longest sleep between scans: how soon another replica's (or a dead one's) work is seen. */
  pollMs?: number
  /** Deliveries claimed and sent at once per scan. */
  batchSize?: number
  /** Told about a scan that failed (the store down…); the loop carries on. */
  onError?: (err: unknown) => void
  /**
   * TRESOR_WEBHOOK_ALLOW_PRIVATE: send to loopback, private and link-local addresses too. Off,
   * each attempt first resolves the host and refuses if any address is internal.
   */
  allowInternal?: boolean
  /** The resolver used for that check (the system's unless a test gives one). */
  lookup?: Lookup
}

// A claim outlives the request by this much, so a slow store write after a send does not let
// another replica send the same delivery again.
const CLAIM_SLACK_MS = 30_000

/**
 * Sends pending webhook deliveries: claims each due one by compare-and-set (two replicas never
 * send the same attempt), POSTs it signed, and records delivered, retry-later or failed.
 */
export function createWebhookWorker(options: WebhookWorkerOptions) {
  const { store, keyring, clock } = options
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.policy }
  const fetchImpl: FetchLike = options.fetch ?? ((url, init) => fetch(url, init))
  const schedule = options.schedule ?? realSchedule
  const pollMs = options.pollMs ?? 5000
  const batchSize = options.batchSize ?? 20
  const shutdown = new AbortController()
  let started = false
  let cancelTimer: (() => void) | undefined
  let running: Promise<void> | undefined
  let again = false

  /** Claims and sends every delivery due now (one batch); resolves to how many were sent. */
  async function runDue(): Promise<number> {
    const now = clock.now()
    const due = await store.webhookDeliveries.listDue(now.toISOString(), batchSize)
    const settled = await Promise.allSettled(due.map((d) => attempt(d, now)))
    for (const s of settled) if (s.status === 'rejected') options.onError?.(s.reason)
    return settled.filter((s) => s.status === 'fulfilled' && s.value).length
  }

  async function attempt(due: WebhookDeliveryRow, now: Date): Promise<boolean> {
    if (due.nextAttemptAt === null || shutdown.signal.aborted) return false
    const lease = new Date(now.getTime() + policy.timeoutMs + CLAIM_SLACK_MS).toISOString()
    const dueAt = due.nextAttemptAt
    const claimed = await store.transaction((tx) =>
      tx.webhookDeliveries.claim(due.id, dueAt, now.toISOString(), lease),
    )
    if (claimed === undefined) return false
    const outcome = await deliver(claimed, now)
    if ('aborted' in outcome) return false
    const result = resultOf(outcome, claimed.attempts, clock.now())
    await store.transaction((tx) =>
      tx.webhookDeliveries.finish(claimed.id, claimed.attempts, result),
    )
    return true
  }

  async function deliver(claimed: WebhookDeliveryRow, now: Date): Promise<SendOutcome> {
    let secret: Buffer | undefined
    try {
      const hook = await store.webhooks.get(claimed.workspaceId, claimed.webhookId)
      // Deleted since the claim: nothing to send, and its deliveries are gone with it.
      if (hook === undefined) return { ok: false, aborted: true }
      if (options.allowInternal !== true) {
        const internal = await internalDestinationReason(hook.url, options.lookup)
        if (internal !== undefined) {
          const error = `not sent: ${internal} (TRESOR_WEBHOOK_ALLOW_PRIVATE is off)`
          return { ok: false, statusCode: null, error }
        }
      }
      secret = await keyring.open(hook.sealedSecret, webhookAad(hook))
      return await sendDelivery(fetchImpl, {
        url: hook.url,
        deliveryId: claimed.id,
        event: claimed.event,
        body: claimed.payload,
        secret,
        timestamp: Math.floor(now.getTime() / 1000),
        userAgent: options.userAgent,
        timeoutMs: policy.timeoutMs,
        shutdown: shutdown.signal,
      })
    } catch (err) {
      // The store or the keyring failed, not the receiver: count the attempt, say so, move on.
      options.onError?.(err)
      return { ok: false, statusCode: null, error: 'Tresor could not prepare the request' }
    } finally {
      secret?.fill(0)
    }
  }

  function resultOf(outcome: Exclude<SendOutcome, { aborted: true }>, attempts: number, at: Date) {
    const base = { lastStatusCode: outcome.statusCode, deliveredAt: null }
    if (outcome.ok) {
      return {
        ...base,
        status: 'delivered',
        nextAttemptAt: null,
        lastError: null,
        deliveredAt: at.toISOString(),
      } satisfies WebhookAttemptResult
    }
    const last = attempts >= policy.maxAttempts
    const next = new Date(at.getTime() + retryDelayMs(attempts, policy)).toISOString()
    return {
      ...base,
      status: last ? 'failed' : 'pending',
      nextAttemptAt: last ? null : next,
      lastError: outcome.error,
    } satisfies WebhookAttemptResult
  }

  // One scan at a time; a wake during a scan runs another right after it.
  function tick() {
    cancelTimer = undefined
    if (!started) return
    if (running !== undefined) {
      again = true
      return
    }
    running = scan().finally(() => {
      running = undefined
    })
  }

  async function scan() {
    let delay = pollMs
    try {
      const sent = await runDue()
      delay = sent >= batchSize ? 0 : await untilNextDue()
    } catch (err) {
      options.onError?.(err)
    }
    if (!started) return
    if (again) {
      again = false
      delay = 0
    }
    cancelTimer = schedule(tick, delay)
  }

  async function untilNextDue(): Promise<number> {
    const next = await store.webhookDeliveries.nextDueAt()
    if (next === undefined) return pollMs
    return Math.min(pollMs, Math.max(0, Date.parse(next) - clock.now().getTime()))
  }

  return {
    runDue,
    /** Starts the loop: a scan now, then one whenever a delivery is due (at most `pollMs` apart). */
    start() {
      if (started || shutdown.signal.aborted) return
      started = true
      cancelTimer = schedule(tick, 0)
    },
    /** Scans now, e.g. right after a release committed deliveries (no-op unless started). */
    wake() {
      if (!started) return
      if (running !== undefined) {
        again = true
        return
      }
      cancelTimer?.()
      cancelTimer = schedule(tick, 0)
    },
    /** Stops the loop and aborts requests in flight (their deliveries stay due for a retry). */
    async stop() {
      started = false
      cancelTimer?.()
      cancelTimer = undefined
      shutdown.abort()
      await running
    },
  }
}

export type WebhookWorker = ReturnType<typeof createWebhookWorker>
