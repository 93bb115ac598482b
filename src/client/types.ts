// The wire shapes, inferred from the zod schemas of api/. Type-only imports: the client never
// loads zod at run time (it costs a short-lived CLI more than its whole request).
import type { z } from 'zod'
import type { AuditEventSchema, AuditQuerySchema, AuditVerifySchema } from '../api/audit.ts'
import type {
  CreatePreviewBodySchema,
  ReleaseEnvSchema,
  ReleaseSchema,
  UpdateEnvironmentBodySchema,
  UpdateProjectBodySchema,
} from '../api/releases.ts'
import type {
  CreateEnvironmentBodySchema,
  CreateProjectBodySchema,
  EnvironmentSchema,
  ProjectSchema,
} from '../api/resources.ts'
import type { CliSessionSchema, DeviceStartSchema, DeviceTokenSchema } from '../api/sessions.ts'
import type {
  CreatedSecretRequestSchema,
  CreateSecretRequestBodySchema,
  SecretRequestSchema,
} from '../api/secret-requests.ts'
import type {
  CreatedTokenSchema,
  CreateMemberBodySchema,
  CreateTokenBodySchema,
  MemberSchema,
  TokenInfoSchema,
  UpdateMemberBodySchema,
  WhoamiSchema,
} from '../api/tokens.ts'
import type {
  DeleteResultSchema,
  CompareSchema,
  DiffSchema,
  PatchVarsBodySchema,
  PutVarBodySchema,
  PutVarResultSchema,
  RevealResultSchema,
  RevisionSchema,
  VarListSchema,
  VarSchema,
} from '../api/vars.ts'

export type Project = z.infer<typeof ProjectSchema>
export type CreateProjectBody = z.input<typeof CreateProjectBodySchema>
export type Environment = z.infer<typeof EnvironmentSchema>
export type CreateEnvironmentBody = z.input<typeof CreateEnvironmentBodySchema>

export type Var = z.infer<typeof VarSchema>
export type VarList = z.infer<typeof VarListSchema>
export type PutVarBody = z.input<typeof PutVarBodySchema>
export type PutVarResult = z.infer<typeof PutVarResultSchema>
export type PatchVarsBody = z.input<typeof PatchVarsBodySchema>
export type DeleteResult = z.infer<typeof DeleteResultSchema>
export type RevealResult = z.infer<typeof RevealResultSchema>
export type Revision = z.infer<typeof RevisionSchema>
export type Diff = z.infer<typeof DiffSchema>
/** Two environments compared by the server (`GET /v1/projects/{p}/compare`). */
export type EnvCompare = z.infer<typeof CompareSchema>

export type Whoami = z.infer<typeof WhoamiSchema>
export type CreateTokenBody = z.input<typeof CreateTokenBodySchema>
export type CreatedToken = z.infer<typeof CreatedTokenSchema>
export type TokenInfo = z.infer<typeof TokenInfoSchema>
export type Member = z.infer<typeof MemberSchema>
export type CreateMemberBody = z.input<typeof CreateMemberBodySchema>
export type UpdateMemberBody = z.input<typeof UpdateMemberBodySchema>

export type Release = z.infer<typeof ReleaseSchema>
export type ReleaseEnv = z.infer<typeof ReleaseEnvSchema>
export type CreatePreviewBody = z.input<typeof CreatePreviewBodySchema>
export type UpdateEnvironmentBody = z.input<typeof UpdateEnvironmentBodySchema>
export type UpdateProjectBody = z.input<typeof UpdateProjectBodySchema>
/** `PATCH /v1/projects/{project}`'s answer: the project's settings. */
export interface ProjectSettings {
  id: string
  slug: string
  name: string
  requiredKeys: string[]
}
/** The formats `GET …/releases/{ref}/env?format=` answers as text. */
export type ReleaseEnvFormat = 'dotenv' | 'shell' | 'yaml' | 'docker' | 'systemd' | 'k8s' | 'kamal'

export type CreateSecretRequestBody = z.input<typeof CreateSecretRequestBodySchema>
export type SecretRequest = z.infer<typeof SecretRequestSchema>
export type CreatedSecretRequest = z.infer<typeof CreatedSecretRequestSchema>

export type DeviceStart = z.infer<typeof DeviceStartSchema>
export type DeviceToken = z.infer<typeof DeviceTokenSchema>
export type CliSession = z.infer<typeof CliSessionSchema>

export type AuditEvent = z.infer<typeof AuditEventSchema>
export type AuditQuery = z.infer<typeof AuditQuerySchema>
export type AuditVerify = z.infer<typeof AuditVerifySchema>

/**
 * Which variables a call addresses: an environment's (`env` given) or the project's shared
 * ones (`env` omitted). Both accept an id or a slug.
 */
export interface Target {
  project: string
  env?: string | undefined
}

/** One environment of a project (id or slug each): what releases belong to. */
export interface EnvTarget {
  project: string
  env: string
}

/** Options of a write: the revision it was based on (`If-Match`). */
export interface WriteOptions {
  baseRevision?: number | undefined
}

/** The env document as dotenv text (secrets masked) and the revision it shows. */
export interface DocumentText {
  text: string
  revision: number | undefined
}
