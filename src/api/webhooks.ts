import { z } from 'zod'
import { idSchema, ProjectParamsSchema, SlugSchema } from './common.ts'

export const WebhookParamsSchema = ProjectParamsSchema.extend({ id: idSchema('webhook') })

export const WebhookDeliveryParamsSchema = WebhookParamsSchema.extend({
  deliveryId: idSchema('webhookDelivery'),
})

export const CreateWebhookBodySchema = z.object({
  url: z
    .string()
    .min(1)
    .max(2048)
    .describe('http:// or https:// URL that receives each release; no user:password@'),
  environments: z
    .array(SlugSchema)
    .min(1)
    .max(100)
    .optional()
    .describe('Only releases of these environments; omitted = every environment'),
  description: z.string().max(500).optional(),
})

export const WebhookSchema = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string().nullable(),
  environments: z.array(z.string()).nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
})

export const CreatedWebhookSchema = z.object({
  id: z.string(),
  url: z.string(),
  environments: z.array(z.string()).nullable(),
  secret: z
    .string()
    .describe('The signing secret (`whsec_…`), shown this once: store it with the receiver'),
})

export const WebhookListSchema = z.object({ webhooks: z.array(WebhookSchema) })

/** The body of a `release.created` delivery, exactly as the receiver gets it. */
export const ReleaseWebhookPayloadSchema = z.object({
  type: z.literal('release.created'),
  id: z.string().describe('The delivery id, also in `Tresor-Delivery`'),
  release: z.object({ id: z.string(), number: z.number().int(), revision: z.number().int() }),
  environment: z.object({ id: z.string(), slug: z.string() }),
  project: z.object({ id: z.string(), slug: z.string() }),
  changedKeys: z.array(z.string()).describe('Names only, never values'),
  deployId: z.string(),
  createdAt: z.string(),
})

export const WebhookDeliverySchema = z.object({
  id: z.string(),
  webhookId: z.string(),
  event: z.string(),
  releaseId: z.string(),
  environmentId: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable().describe("Tresor's reason; never the receiver's body"),
  lastAttemptAt: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  createdAt: z.string(),
  payload: ReleaseWebhookPayloadSchema,
})

export const WebhookDeliveryListSchema = z.object({
  deliveries: z.array(WebhookDeliverySchema),
})

export const DeliveryListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).optional(),
})
