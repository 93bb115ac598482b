import { assertCan } from '../../core/actor.ts'
import { AppError } from '../../core/errors.ts'
import { newId } from '../../core/ids.ts'
import { parseSealedHeader, type Keyring } from '../../crypto/index.ts'
import type { ProjectRow, Store, WebhookDeliveryRow, WebhookRow } from '../../storage/store.ts'
import { appendAudit } from '../audit/audit-service.ts'
import type { Clock, RequestContext } from '../context.ts'
import { checkWebhookUrl, newWebhookSecret, webhookAad, webhookOrigin } from './webhook-rules.ts'

export interface WebhookDeps {
  store: Store
  keyring: Keyring
  clock: Clock
  /** Called after a delivery is queued again, so that it goes out now rather than at the next poll. */
  onQueued?: () => void
  /** TRESOR_WEBHOOK_ALLOW_PRIVATE: accept loopback, private and link-local receivers. */
  allowInternal?: boolean
}

export interface NewWebhookInput {
  url: string
  /** Environment slugs; omitted = every environment of the project, present and future. */
  environments?: readonly string[] | undefined
  description?: string | undefined
}

/** A webhook as its owners see it: environment slugs, never the secret. */
export interface WebhookView {
  id: string
  url: string
  description: string | null
  environments: string[] | null
  createdBy: string
  createdAt: string
}

/**
 * Release webhooks of a project: register (the signing secret is returned once, then kept only
 * sealed under the workspace data key), list, delete, and the delivery log with manual retry.
 * Managing them needs `admin` on the project: a URL receives every release of it.
 */
export function createWebhookService(deps: WebhookDeps) {
  const { store, keyring, clock } = deps

  function allowed(ctx: RequestContext, project: ProjectRow) {
    assertCan(ctx.actor, 'admin', { workspaceId: project.workspaceId, projectId: project.id })
  }

  async function create(ctx: RequestContext, project: ProjectRow, input: NewWebhookInput) {
    allowed(ctx, project)
    const url = checkWebhookUrl(input.url, { allowInternal: deps.allowInternal === true })
    const environmentIds = await environmentIdsOf(project, input.environments)
    const id = newId('webhook', clock.now().getTime())
    const secret = newWebhookSecret()
    const sealed = await keyring.seal(
      secret,
      webhookAad({ workspaceId: project.workspaceId, projectId: project.id, id }),
    )
    const row = await store.transaction(async (tx) => {
      const now = clock.now()
      const created = await tx.webhooks.create({
        id,
        workspaceId: project.workspaceId,
        projectId: project.id,
        url,
        description: input.description ?? null,
        environmentIds,
        sealedSecret: sealed,
        keyId: parseSealedHeader(sealed).keyId,
        createdBy: ctx.actor.id,
        createdAt: now.toISOString(),
      })
      await appendAudit(tx, ctx, auditOf(project, 'webhook.create', created, input), now)
      return created
    })
    return { webhook: await viewOf(project, row), secret }
  }

  async function list(ctx: RequestContext, project: ProjectRow): Promise<WebhookView[]> {
    allowed(ctx, project)
    const rows = await store.webhooks.list(project.workspaceId, project.id)
    const slugs = await slugsById(project)
    return rows.map((r) => toView(r, slugs))
  }

  async function remove(ctx: RequestContext, project: ProjectRow, id: string): Promise<void> {
    const hook = await find(ctx, project, id)
    await store.transaction(async (tx) => {
      await tx.webhooks.delete(project.workspaceId, hook.id)
      await appendAudit(tx, ctx, auditOf(project, 'webhook.delete', hook), clock.now())
    })
  }

  async function deliveries(ctx: RequestContext, project: ProjectRow, id: string, limit?: number) {
    const hook = await find(ctx, project, id)
    return store.webhookDeliveries.list(project.workspaceId, hook.id, { limit: limit ?? 100 })
  }

  async function retry(
    ctx: RequestContext,
    project: ProjectRow,
    id: string,
    deliveryId: string,
  ): Promise<WebhookDeliveryRow> {
    const hook = await find(ctx, project, id)
    const found = await store.webhookDeliveries.get(project.workspaceId, deliveryId)
    if (found === undefined || found.webhookId !== hook.id) {
      throw new AppError('NOT_FOUND', 'webhook delivery not found')
    }
    const row = await store.transaction(async (tx) => {
      const now = clock.now()
      const queued = await tx.webhookDeliveries.requeue(
        project.workspaceId,
        deliveryId,
        now.toISOString(),
      )
      const audit = auditOf(project, 'webhook.delivery.retry', hook)
      await appendAudit(tx, ctx, { ...audit, detail: { ...audit.detail, deliveryId } }, now)
      return queued
    })
    deps.onQueued?.()
    return row
  }

  async function find(ctx: RequestContext, project: ProjectRow, id: string) {
    allowed(ctx, project)
    const hook = await store.webhooks.get(project.workspaceId, id)
    if (hook === undefined || hook.projectId !== project.id) {
      throw new AppError('NOT_FOUND', 'webhook not found')
    }
    return hook
  }

  async function slugsById(project: ProjectRow): Promise<Map<string, string>> {
    const envs = await store.environments.list(project.workspaceId, project.id)
    return new Map(envs.map((e) => [e.id, e.slug]))
  }

  async function viewOf(project: ProjectRow, row: WebhookRow) {
    return toView(row, await slugsById(project))
  }

  async function environmentIdsOf(project: ProjectRow, slugs: readonly string[] | undefined) {
    if (slugs === undefined) return null
    const bySlug = new Map([...(await slugsById(project))].map(([id, slug]) => [slug, id]))
    const missing = slugs.filter((s) => !bySlug.has(s))
    if (missing.length > 0) {
      throw new AppError(
        'VALIDATION_FAILED',
        `${missing.length} environment(s) not found in project ${project.slug}`,
        missing.map((s) => ({ field: 'environments', message: `no environment '${s}'` })),
      )
    }
    return [...new Set(slugs.map((s) => bySlug.get(s) ?? ''))]
  }

  return { create, list, remove, deliveries, retry }
}

export type WebhookService = ReturnType<typeof createWebhookService>

function toView(row: WebhookRow, slugs: Map<string, string>): WebhookView {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    // An environment deleted since keeps its id here but matches no release: it is not shown.
    environments: row.environmentIds?.flatMap((id) => slugs.get(id) ?? []) ?? null,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
  }
}

// The audit trail names the webhook and its origin only: a URL's path or query may itself be a
// credential (many chat and CI hooks work that way).
function auditOf(project: ProjectRow, action: string, hook: WebhookRow, input?: NewWebhookInput) {
  return {
    workspaceId: project.workspaceId,
    projectId: project.id,
    action,
    detail: {
      webhookId: hook.id,
      origin: webhookOrigin(hook.url),
      ...(input?.environments === undefined ? {} : { environments: [...input.environments] }),
    },
  }
}
