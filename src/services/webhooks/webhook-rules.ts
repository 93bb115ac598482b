import { randomBytes } from 'node:crypto'
import { AppError } from '../../core/errors.ts'
import type { Aad } from '../../crypto/index.ts'
import { internalHostReason } from './destination.ts'

/** The AAD environment of a webhook's sealed secret; no real environment id can equal it. */
export const WEBHOOK_ENVIRONMENT = '~webhook'

/** Where a webhook's secret is sealed: its workspace, project and own id. */
export function webhookAad(hook: { workspaceId: string; projectId: string; id: string }): Aad {
  return {
    workspaceId: hook.workspaceId,
    projectId: hook.projectId,
    environmentId: WEBHOOK_ENVIRONMENT,
    revisionId: hook.id,
  }
}

/** A new signing secret: `whsec_` and 256 random bits in base64url. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`
}

const urlProblem = (message: string) =>
  new AppError('VALIDATION_FAILED', `the webhook url ${message}`, [{ field: 'url', message }])

/**
 * The normalised URL if `raw` is an absolute http(s) URL without credentials. Messages never
 * repeat the URL: a mistaken one may hold a password or a token.
 */
export function checkWebhookUrl(raw: string, opts: { allowInternal?: boolean } = {}): string {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw urlProblem('must be an absolute http:// or https:// URL')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw urlProblem('must use http or https')
  }
  if (url.username !== '' || url.password !== '') {
    throw urlProblem(
      'must not contain credentials (user:password@); receivers authenticate deliveries by their signature',
    )
  }
  if (url.hash !== '') throw urlProblem('must not have a #fragment')
  const internal = opts.allowInternal === true ? undefined : internalHostReason(url.href)
  if (internal !== undefined) {
    throw urlProblem(
      `must not point at this server's own network (${internal}); the operator can allow internal receivers with TRESOR_WEBHOOK_ALLOW_PRIVATE=true`,
    )
  }
  return url.href
}

/** Only the scheme, host and port of a webhook URL: what audit events and logs may name. */
export function webhookOrigin(url: string): string {
  return new URL(url).origin
}

/** How deliveries are retried. */
export interface RetryPolicy {
  /** Attempts before a delivery is `failed` (default 8). */
  maxAttempts: number
  /** Wait after the first failed attempt; doubles after each (default 1 s). */
  baseDelayMs: number
  /** Longest wait between attempts (default 60 s). */
  maxDelayMs: number
  /** How long one request may take (default 5 s). */
  timeoutMs: number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 1000,
  maxDelayMs: 60_000,
  timeoutMs: 5000,
}

/** The wait after failed attempt number `attempt` (1-based): 1 s, 2 s, 4 s … capped. */
export function retryDelayMs(attempt: number, policy: RetryPolicy): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30)
  return Math.min(policy.baseDelayMs * 2 ** exponent, policy.maxDelayMs)
}
