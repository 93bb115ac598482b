import type { Keyring } from '../../crypto/index.ts'
import type { Store } from '../../storage/store.ts'
import type { Clock } from '../context.ts'
import type { ReleaseHooks } from '../releases/release-service.ts'
import {
  createWebhookWorker,
  type WebhookWorker,
  type WebhookWorkerOptions,
} from './delivery-worker.ts'
import { enqueueReleaseDeliveries } from './enqueue.ts'
import { createWebhookService } from './webhook-service.ts'

export { createWebhookWorker, type WebhookWorker } from './delivery-worker.ts'
export { RELEASE_CREATED, type ReleaseWebhookPayload } from './enqueue.ts'
export { signWebhook, verifyWebhookSignature, WEBHOOK_HEADERS } from './signature.ts'
export { createWebhookService, type WebhookService } from './webhook-service.ts'
export { DEFAULT_RETRY_POLICY, retryDelayMs, type RetryPolicy } from './webhook-rules.ts'

/**
 * Release webhooks as the server composes them: the service behind the routes, the release
 * hooks (deliveries are queued inside the release's transaction, then the worker is woken) and
 * the delivery worker, which runs only once `start` is called (by `tresor server`).
 */
export function createWebhooks(deps: {
  store: Store
  keyring: Keyring
  clock: Clock
  /** TRESOR_WEBHOOK_ALLOW_PRIVATE: receivers on loopback, private and link-local addresses. */
  allowInternal?: boolean
}) {
  let worker: WebhookWorker | undefined
  const service = createWebhookService({ ...deps, onQueued: () => worker?.wake() })
  const releaseHooks: ReleaseHooks = {
    async inTransaction(tx, release, previous) {
      await enqueueReleaseDeliveries(tx, release, previous)
    },
    afterCommit: () => worker?.wake(),
  }
  return {
    service,
    releaseHooks,
    /** Starts the delivery worker (once). */
    start: (options: Pick<WebhookWorkerOptions, 'userAgent' | 'onError'>) => {
      worker ??= createWebhookWorker({ ...deps, ...options })
      worker.start()
    },
    /** Stops the worker; requests in flight are aborted and stay due. */
    stop: async () => worker?.stop(),
  }
}
