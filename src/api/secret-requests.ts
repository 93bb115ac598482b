import { z } from 'zod'
import { EnvironmentParamsSchema, idSchema } from './common.ts'
import { TtlSchema, VariableKeySchema } from './resources.ts'
import { VariableValueSchema } from './vars.ts'

/** Length of a secret-request link token: 32 random bytes in base64url (256 bits). */
export const LINK_TOKEN_LENGTH = 43

/** The shape of a link token; checked before any lookup so junk never reaches the database. */
export const LINK_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/

export const SecretRequestStatusSchema = z
  .enum(['pending', 'fulfilled', 'expired'])
  .describe('pending until a person submits the value; then fulfilled; expired after its TTL')

export const CreateSecretRequestBodySchema = z.object({
  key: VariableKeySchema.describe('The variable the person will set, stored as a secret'),
  description: z
    .string()
    .max(500)
    .optional()
    .describe('Shown to the person on the page: what the value is for'),
  ttl: TtlSchema.optional().describe('How long the link works: default 24h, at most 7d'),
})

export const SecretRequestParamsSchema = EnvironmentParamsSchema.extend({
  id: idSchema('secretRequest'),
})

/** A secret request as its creator sees it: never the value, never the link token. */
export const SecretRequestSchema = z.object({
  id: z.string(),
  key: z.string(),
  description: z.string().nullable(),
  status: SecretRequestStatusSchema,
  project: z.string().describe('Project slug'),
  environment: z.string().describe('Environment slug'),
  expiresAt: z.string(),
  fulfilledAt: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string().describe('The token that created the request'),
})

/** The answer to a create: the request plus its one-time link (shown this once). */
export const CreatedSecretRequestSchema = SecretRequestSchema.extend({
  url: z.string().describe('Open in a browser to type the value; the capability is after #'),
})

export const SecretRequestListSchema = z.object({ secretRequests: z.array(SecretRequestSchema) })

const LinkTokenSchema = z
  .string()
  .regex(LINK_TOKEN_PATTERN, 'must be the token after # in the link')
  .describe('The one-time token from the link (the part after #)')

/** `POST /v1/secret-requests/inspect`: what the page shows before the person types. */
export const InspectLinkBodySchema = z.object({ token: LinkTokenSchema })

export const LinkInfoSchema = z.object({
  key: z.string(),
  description: z.string().nullable(),
  project: z.string(),
  environment: z.string(),
  expiresAt: z.string(),
})

/** `POST /v1/secret-requests/fulfill`: the person's value, stored as a secret. */
export const FulfillLinkBodySchema = z.object({
  token: LinkTokenSchema,
  value: VariableValueSchema.refine((v) => v.length > 0, 'must not be empty'),
})

export const FulfilledLinkSchema = z.object({
  key: z.string(),
  project: z.string(),
  environment: z.string(),
  status: z.literal('fulfilled'),
  redeployRequired: z.boolean(),
})
