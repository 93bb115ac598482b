// The pieces webhook tests share: a delivery worker over the app's own store and keys (with a
// clock the test moves), and short calls for the webhook API.
import { expect } from 'vitest'
import { createKeyring, createStaticKeyProvider } from '../../../src/crypto/index.ts'
import {
  createWebhookWorker,
  type WebhookWorker,
} from '../../../src/services/webhooks/delivery-worker.ts'
import type { ReleaseWebhookPayload } from '../../../src/services/webhooks/enqueue.ts'
import { ok, type AppUnderTest } from '../../http/helpers/app.ts'

/** A clock that stands still until the test moves it. */
export interface FrozenClock {
  ms: number
  now(): Date
  /** Moves it forward by `ms`. */
  advance(ms: number): void
  /** Moves it to the real time, so that what was just queued is due. */
  catchUp(): void
}

export function frozenClock(): FrozenClock {
  const c: FrozenClock = {
    ms: Date.now(),
    now: () => new Date(c.ms),
    advance: (ms) => {
      c.ms += ms
    },
    catchUp: () => {
      c.ms = Math.max(c.ms, Date.now())
    },
  }
  return c
}

export interface TestWorker {
  worker: WebhookWorker
  /** Every error the worker reported. */
  errors: unknown[]
}

/** A worker over the app's store, its root key, and `clock`; never started unless asked. */
export function workerFor(
  t: AppUnderTest,
  clock: FrozenClock,
  extra: Partial<Parameters<typeof createWebhookWorker>[0]> = {},
): TestWorker {
  const keyring = createKeyring({
    provider: createStaticKeyProvider(t.rootKey),
    loadWrappedKey: async (ws, keyId) =>
      (await t.store.dataKeys.loadWrappedKey(ws, keyId))?.wrappedKey,
    loadCurrentKeyId: (ws) => t.store.dataKeys.loadCurrentKeyId(ws),
  })
  const errors: unknown[] = []
  const worker = createWebhookWorker({
    store: t.store,
    keyring,
    clock,
    userAgent: 'Tresor-Webhooks/0.0.0-test',
    onError: (err) => errors.push(err),
    // The receivers of these tests listen on 127.0.0.1.
    allowInternal: true,
    ...extra,
  })
  return { worker, errors }
}

export interface CreatedHook {
  id: string
  url: string
  environments: string[] | null
  secret: string
}

export interface Delivery {
  id: string
  status: 'pending' | 'delivered' | 'failed'
  attempts: number
  lastStatusCode: number | null
  lastError: string | null
  lastAttemptAt: string | null
  nextAttemptAt: string | null
  deliveredAt: string | null
  releaseId: string
  payload: ReleaseWebhookPayload
}

export function createHook(
  t: AppUnderTest,
  project: string,
  body: { url: string; environments?: string[]; description?: string },
): Promise<CreatedHook> {
  return ok<CreatedHook>(t, 'POST', `/v1/projects/${project}/webhooks`, { body, status: 201 })
}

export async function deliveriesOf(
  t: AppUnderTest,
  project: string,
  hookId: string,
): Promise<Delivery[]> {
  const url = `/v1/projects/${project}/webhooks/${hookId}/deliveries`
  return (await ok<{ deliveries: Delivery[] }>(t, 'GET', url)).deliveries
}

export function release(
  t: AppUnderTest,
  project: string,
  env: string,
): Promise<{ id: string; number: number; revision: number; deployId: string; createdAt: string }> {
  return ok(t, 'POST', `/v1/projects/${project}/environments/${env}/releases`, { status: 201 })
}

/** `expect.stringMatching` typed as the string it stands for (the linter refuses `any`). */
export function matching(pattern: RegExp = /./): string {
  return expect.stringMatching(pattern) as string
}
