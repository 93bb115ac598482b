import { z } from 'zod'
import type { KeyService } from '../../services/keys/key-service.ts'
import type { TresorApp } from '../build-server.ts'
import { ctxOf } from './route-deps.ts'

// Wire shapes of the key-management endpoints: ids, fingerprints and counts, never key material.
const RootRotationSchema = z.object({
  rootKeyId: z.string(),
  dataKeys: z.number().int(),
  serverSecrets: z.number().int(),
  alreadyCurrent: z.number().int(),
  unreadable: z.array(z.object({ id: z.string(), rootKeyId: z.string() })),
})

const DataKeyRotationSchema = z.object({
  workspaceId: z.string(),
  keyId: z.string(),
  rotatedFrom: z.string().nullable(),
  revisions: z.number().int(),
  releases: z.number().int(),
  webhooks: z.number().int(),
  sessions: z.number().int().describe('SSO sessions’ IdP refresh tokens re-sealed'),
  ssoClientSecret: z.number().int().describe('1 when the SSO client secret was re-sealed'),
  remaining: z.number().int(),
})

const RotateDataKeyBodySchema = z
  .object({
    /** Only finish re-sealing an interrupted rotation; do not make a new key version. */
    resumeOnly: z.boolean().optional(),
  })
  .strict()
  .optional()

const KeyStatusSchema = z.object({
  rootKeyId: z.string(),
  sealLimit: z.number().int(),
  keys: z.array(
    z.object({
      id: z.string(),
      version: z.number().int(),
      state: z.enum(['current', 'retired']),
      rootKeyId: z.string(),
      createdAt: z.string(),
      sealedRows: z.number().int(),
    }),
  ),
})

/** Key management for admins: status, root-key re-wrap, data-key rotation (all audited). */
export function keyRoutes(deps: { keys: KeyService }) {
  return (app: TresorApp) => {
    app.get(
      '/v1/admin/keys',
      { schema: { tags: ['keys'], response: { 200: KeyStatusSchema } } },
      (req) => deps.keys.status(ctxOf(req)),
    )
    app.post(
      '/v1/admin/keys/rewrap',
      { schema: { tags: ['keys'], response: { 200: RootRotationSchema } } },
      (req) => deps.keys.rotateRoot(ctxOf(req)),
    )
    app.post(
      '/v1/admin/keys/rotate-data-key',
      {
        schema: {
          tags: ['keys'],
          body: RotateDataKeyBodySchema,
          response: { 200: DataKeyRotationSchema },
        },
      },
      (req) => deps.keys.rotateDataKey(ctxOf(req), { resumeOnly: req.body?.resumeOnly === true }),
    )
  }
}
