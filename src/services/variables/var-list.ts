import type { StoreReads } from '../../storage/store.ts'
import type { DocState } from '../documents/document-state.ts'
import { releaseState, type EnvAfterWrite, type ReleaseFactsLookup } from '../projects/redeploy.ts'
import type { Target } from '../projects/targets.ts'
import { systemVarsOf } from './var-rules.ts'
import { previewSecret } from '../../core/masking.ts'

export interface ListedVar {
  key: string
  kind: 'config' | 'secret' | 'system'
  value?: string
  preview?: string
  system?: boolean
  /** The add-on that manages this variable ("managed by add-on postgres"). */
  addon?: string
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

/** The masked entries of a document: config values, secret previews, never a secret value. */
export function maskedEntries(state: DocState): ListedVar[] {
  const vars: ListedVar[] = []
  for (const [key, value] of state.values) {
    const meta = state.meta.get(key)
    const kind = meta?.kind ?? 'config'
    const item: ListedVar = { key, kind, ...shown(kind, value) }
    if (meta?.updatedAt !== undefined) item.updatedAt = meta.updatedAt
    if (meta?.updatedBy !== undefined) item.updatedBy = meta.updatedBy
    vars.push(item)
  }
  // Add-on variables are system variables sealed in the same revision: masked like secrets.
  for (const addon of state.addons) {
    for (const v of addon.vars) {
      const kind = v.kind === 'secret' ? 'secret' : 'config'
      vars.push({
        key: v.key,
        kind: 'system',
        ...shown(kind, v.value),
        system: true,
        addon: addon.name,
      })
    }
  }
  return vars
}

/**
 * The listing of a document at `revision` from its masked entries, plus the target's system
 * variables (marked `system`). Pass `afterWrite` when the request just changed the document (see
 * `releaseState`).
 */
export async function listVars(
  reads: Pick<StoreReads, 'environments'>,
  facts: ReleaseFactsLookup,
  target: Target,
  entries: readonly ListedVar[],
  revision: number,
  afterWrite: EnvAfterWrite = false,
): Promise<VarList> {
  // The hot path of every client: one point read at most, not the redeploy key scan.
  const { redeployRequired, release } = await releaseState(
    reads,
    facts,
    target,
    revision,
    afterWrite,
  )
  const vars = [...entries]
  for (const [key, value] of systemVarsOf(target, release?.deployId)) {
    vars.push({ key, kind: 'system', value, system: true })
  }
  return { vars, count: vars.length, revision, redeployRequired }
}
