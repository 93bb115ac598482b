import type { StoreReads } from '../../storage/store.ts'
import type { DocState } from '../documents/document-state.ts'
import { redeployStatus } from '../projects/redeploy.ts'
import type { Target } from '../projects/targets.ts'
import { systemVarsOf } from './var-rules.ts'
import { previewSecret } from '../../core/masking.ts'

export interface ListedVar {
  key: string
  kind: 'config' | 'secret' | 'system'
  value?: string
  preview?: string
  system?: boolean
  updatedAt?: string
  updatedBy?: string
}

/** What a variable looks like on the wire: config shows its value, a secret only its preview. */
export function shown(
  kind: 'config' | 'secret',
  value: string,
): { value: string } | { preview: string } {
  return kind === 'secret' ? { preview: previewSecret(value) } : { value }
}

export interface VarList {
  vars: ListedVar[]
  count: number
  revision: number
  redeployRequired: boolean
}

/** The masked listing of a document plus the target's system variables (marked `system`). */
export async function listVars(
  reads: Pick<StoreReads, 'releases' | 'revisions' | 'environments' | 'projects'>,
  target: Target,
  state: DocState,
): Promise<VarList> {
  const vars: ListedVar[] = []
  for (const [key, value] of state.values) {
    const meta = state.meta.get(key)
    const kind = meta?.kind ?? 'config'
    const item: ListedVar = { key, kind, ...shown(kind, value) }
    if (meta?.updatedAt !== undefined) item.updatedAt = meta.updatedAt
    if (meta?.updatedBy !== undefined) item.updatedBy = meta.updatedBy
    vars.push(item)
  }
  const status = await redeployStatus(reads, target)
  const deployId = await currentDeployId(reads, target)
  for (const [key, value] of systemVarsOf(target, deployId)) {
    vars.push({ key, kind: 'system', value, system: true })
  }
  return {
    vars,
    count: vars.length,
    revision: state.revision,
    redeployRequired: status.redeployRequired,
  }
}

async function currentDeployId(
  reads: Pick<StoreReads, 'releases'>,
  target: Target,
): Promise<string | undefined> {
  if (target.env?.currentReleaseId == null) return undefined
  const release = await reads.releases.get(target.project.workspaceId, target.env.currentReleaseId)
  return release?.deployId
}
