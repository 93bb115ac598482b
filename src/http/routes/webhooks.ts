import { z } from 'zod'
import { ProjectParamsSchema } from '../../api/common.ts'
import {
  CreatedWebhookSchema,
  CreateWebhookBodySchema,
  DeliveryListQuerySchema,
  WebhookDeliveryListSchema,
  WebhookDeliveryParamsSchema,
  WebhookDeliverySchema,
  WebhookListSchema,
  WebhookParamsSchema,
} from '../../api/webhooks.ts'
import { resolveProject } from '../../services/projects/targets.ts'
import type { WebhookService } from '../../services/webhooks/webhook-service.ts'
import type { StoreReads, WebhookDeliveryRow } from '../../storage/store.ts'
import type { TresorApp } from '../build-server.ts'
import { ctxOf, PROJECT_PREFIXES } from './route-deps.ts'

/** A delivery on the wire: its state and the exact body sent (which holds no value). */
function deliveryBody(d: WebhookDeliveryRow) {
  return {
    id: d.id,
    webhookId: d.webhookId,
    event: d.event,
    releaseId: d.releaseId,
    environmentId: d.environmentId,
    status: d.status,
    attempts: d.attempts,
    lastStatusCode: d.lastStatusCode,
    lastError: d.lastError,
    lastAttemptAt: d.lastAttemptAt,
    // While an attempt is in flight the row holds the end of its claim, not a due time.
    nextAttemptAt: d.status === 'pending' ? d.nextAttemptAt : null,
    deliveredAt: d.deliveredAt,
    createdAt: d.createdAt,
    payload: JSON.parse(d.payload) as z.infer<typeof WebhookDeliverySchema>['payload'],
  }
}

/** Release webhooks of a project and their deliveries (all need `admin` on the project). */
export function webhookRoutes(deps: { store: StoreReads; webhooks: WebhookService }) {
  const tags = ['webhooks']
  const project = (req: { params: { project: string } }, ctx: ReturnType<typeof ctxOf>) =>
    resolveProject(deps.store, ctx, req.params.project, 'read')
  return (app: TresorApp) => {
    for (const prefix of PROJECT_PREFIXES) {
      const hide = prefix.startsWith('/v1/repos')
      const base = `${prefix}/webhooks`
      app.post(
        base,
        {
          schema: {
            tags,
            hide,
            params: ProjectParamsSchema,
            body: CreateWebhookBodySchema,
            response: { 201: CreatedWebhookSchema },
          },
        },
        async (req, reply) => {
          const ctx = ctxOf(req)
          const { webhook, secret } = await deps.webhooks.create(ctx, await project(req, ctx), {
            url: req.body.url,
            environments: req.body.environments,
            description: req.body.description,
          })
          const created = { id: webhook.id, url: webhook.url, environments: webhook.environments }
          return reply
            .code(201)
            .header('cache-control', 'no-store')
            .send({ ...created, secret })
        },
      )
      app.get(
        base,
        {
          schema: { tags, hide, params: ProjectParamsSchema, response: { 200: WebhookListSchema } },
        },
        async (req) => {
          const ctx = ctxOf(req)
          return { webhooks: await deps.webhooks.list(ctx, await project(req, ctx)) }
        },
      )
      app.delete(
        `${base}/:id`,
        { schema: { tags, hide, params: WebhookParamsSchema, response: { 204: z.null() } } },
        async (req, reply) => {
          const ctx = ctxOf(req)
          await deps.webhooks.remove(ctx, await project(req, ctx), req.params.id)
          return reply.code(204).send(null)
        },
      )
      app.get(
        `${base}/:id/deliveries`,
        {
          schema: {
            tags,
            hide,
            params: WebhookParamsSchema,
            querystring: DeliveryListQuerySchema,
            response: { 200: WebhookDeliveryListSchema },
          },
        },
        async (req) => {
          const ctx = ctxOf(req)
          const p = await project(req, ctx)
          const rows = await deps.webhooks.deliveries(ctx, p, req.params.id, req.query.limit)
          return { deliveries: rows.map(deliveryBody) }
        },
      )
      app.post(
        `${base}/:id/deliveries/:deliveryId/retry`,
        {
          schema: {
            tags,
            hide,
            params: WebhookDeliveryParamsSchema,
            response: { 200: WebhookDeliverySchema },
          },
        },
        async (req) => {
          const ctx = ctxOf(req)
          const p = await project(req, ctx)
          return deliveryBody(
            await deps.webhooks.retry(ctx, p, req.params.id, req.params.deliveryId),
          )
        },
      )
    }
  }
}
