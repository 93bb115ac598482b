import { z } from 'zod'
import { RoleSchema } from './tokens.ts'

/** `POST /v1/session`: a personal token opens a dashboard session (break-glass sign-in). */
export const CreateSessionBodySchema = z.object({
  token: z.string().min(1).max(1024).describe('A personal token (tresor_pat_…)'),
})

export const SessionInfoSchema = z.object({
  id: z.string(),
  kind: z.enum(['sso', 'token']),
  client: z.enum(['browser', 'cli']),
  memberId: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  idleTimeoutSeconds: z.number().int(),
})

/** `GET /v1/session` and `POST /v1/session`: the session and its CSRF token (cookie sessions). */
export const SessionSchema = z.object({
  session: SessionInfoSchema,
  csrfToken: z
    .string()
    .nullable()
    .describe('Send as X-Tresor-CSRF on every write signed in by cookie; null for bearer calls'),
})

/** `POST /v1/session/refresh`: the CLI's refresh secret for new (rotated) secrets. */
export const RefreshSessionBodySchema = z.object({ refresh: z.string().min(1).max(200) })
export const CliSessionSchema = z.object({
  session: z.string().describe('Bearer secret (tresor_ses_…), short-lived'),
  refresh: z.string().describe('Refresh secret (tresor_rfs_…), single use'),
  accessExpiresAt: z.string(),
  expiresAt: z.string(),
})

export const SessionSettingsSchema = z.object({
  sessionLifetimeSeconds: z.number().int(),
  idleTimeoutSeconds: z.number().int(),
})
export const UpdateSessionSettingsBodySchema = z.object({
  sessionLifetime: z.string().max(20).optional().describe('e.g. 12h'),
  idleTimeout: z.string().max(20).optional().describe('e.g. 30m'),
})

/** The workspace's OIDC provider as admins read it: the client secret is never returned. */
export const SsoConfigSchema = z.object({
  enabled: z.boolean(),
  issuer: z.string().nullable(),
  clientId: z.string().nullable(),
  clientSecretSet: z.boolean(),
  allowedDomains: z.array(z.string()),
  roleClaim: z.string().nullable(),
  roleMap: z.record(z.string(), RoleSchema),
  defaultRole: RoleSchema.nullable(),
  redirectUri: z.string().nullable(),
})
export const PutSsoConfigBodySchema = z.object({
  issuer: z.url().max(500),
  clientId: z.string().min(1).max(500),
  clientSecret: z.string().min(1).max(2000).optional().describe('Kept if omitted'),
  allowedDomains: z.array(z.string().min(1).max(253)).max(100).default([]),
  roleClaim: z.string().min(1).max(100).nullable().default(null),
  roleMap: z.record(z.string().max(200), RoleSchema).default({}),
  defaultRole: RoleSchema.nullable().default(null),
})

/** Public: whether the sign-in page offers "Sign in with SSO". */
export const SsoStatusSchema = z.object({ enabled: z.boolean() })

/** `POST /v1/sso/device`: what the CLI shows the user, and the handle it polls with. */
export const DeviceStartSchema = z.object({
  deviceCode: z.string(),
  userCode: z.string(),
  verificationUri: z.string(),
  verificationUriComplete: z.string().nullable(),
  expiresIn: z.number().int(),
  interval: z.number().int(),
})
export const DeviceTokenBodySchema = z.object({ deviceCode: z.string().min(1).max(2000) })
export const DeviceTokenSchema = z.union([
  z.object({ status: z.enum(['pending', 'slow_down']), interval: z.number().int() }),
  CliSessionSchema.extend({ status: z.literal('complete') }),
])
