// Wire shapes the dashboard reads, inferred from the zod schemas of src/api. Type-only imports:
// zod never reaches the browser bundle.
import type { z } from 'zod'
import type { AddonSchema } from '../../../src/api/addons.ts'
import type { ReleaseSchema } from '../../../src/api/releases.ts'
import type { TokenInfo } from '../../../src/client/types.ts'

export type {
  AuditEvent,
  AuditQuery,
  AuditVerify,
  CreatedToken,
  CreateTokenBody,
  DeleteResult,
  Diff,
  EnvCompare,
  Environment,
  Member,
  Project,
  PutVarResult,
  RevealResult,
  Revision,
  TokenInfo,
  Var,
  VarList,
  Whoami,
} from '../../../src/client/types.ts'

export type Release = z.infer<typeof ReleaseSchema>
/** An add-on attached to an environment: its name, mode and variable names, never a value. */
export type Addon = z.infer<typeof AddonSchema>
export type Scope = TokenInfo['scopes'][number]

/** The scopes a token may carry, in the order the dashboard lists them. */
export const ALL_SCOPES: readonly Scope[] = ['read', 'write', 'secrets:reveal', 'deploy', 'admin']
