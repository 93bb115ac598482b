import type { DocumentScope, ReleaseRow, StoreReads } from '../../storage/store.ts'
import type { Target } from './targets.ts'

export interface RedeployStatus {
  redeployRequired: boolean
  /** Keys changed since the current release: environment keys, then `project.KEY` names. */
  changedKeys: string[]
  /** Number of the current release, null before the first deploy. */
  currentRelease: number | null
}

const NO_CHANGES: RedeployStatus = {
  redeployRequired: false,
  changedKeys: [],
  currentRelease: null,
}

/**
 * Whether the environment has changes (its own or its project's shared variables) that its
 * current release does not include, and which keys they touched. Names only.
 */
export async function redeployStatus(
  reads: Pick<StoreReads, 'releases' | 'revisions' | 'environments' | 'projects'>,
  target: Target,
): Promise<RedeployStatus> {
  if (target.env === null) return NO_CHANGES
  const ws = target.project.workspaceId
  // Re-read heads: the target may have been resolved before a write in the same request.
  const env = (await reads.environments.get(ws, target.env.id)) ?? target.env
  const project = (await reads.projects.get(ws, target.project.id)) ?? target.project
  const release = env.currentReleaseId
    ? await reads.releases.get(ws, env.currentReleaseId)
    : undefined
  const envBase = release?.envRevision ?? 0
  const projectBase = release?.projectRevision ?? 0
  const keys = new Set<string>()
  if (env.headRevision > envBase) {
    for (const k of await changedSince(reads, target.scope, envBase)) keys.add(k)
  }
  if (project.headRevision > projectBase) {
    const shared = { workspaceId: ws, projectId: project.id, environmentId: null }
    for (const k of await changedSince(reads, shared, projectBase)) keys.add(`project.${k}`)
  }
  return {
    redeployRequired: env.headRevision > envBase || project.headRevision > projectBase,
    changedKeys: [...keys],
    currentRelease: release?.number ?? null,
  }
}

async function changedSince(
  reads: Pick<StoreReads, 'revisions'>,
  scope: DocumentScope,
  base: number,
): Promise<string[]> {
  const keys: string[] = []
  let beforeNumber: number | undefined
  for (;;) {
    const page = await reads.revisions.list(scope, {
      limit: 500,
      ...(beforeNumber === undefined ? {} : { beforeNumber }),
    })
    for (const rev of page) if (rev.number > base) keys.push(...rev.changedKeys)
    const last = page.at(-1)
    if (last === undefined || last.number <= base + 1 || page.length < 500) break
    beforeNumber = last.number
  }
  return [...new Set(keys)].reverse()
}

/** Whether a redeploy is needed, and the release the environment runs now (if any). */
export interface ReleaseState {
  redeployRequired: boolean
  release: ReleaseRow | undefined
}

/**
 * `redeployRequired` without listing which keys changed: compares heads with the current
 * release (one point read). `envRevision` is the document revision the caller just read or
 * wrote; after a write, pass `reread` so that a release the write triggered (auto-deploy) counts.
 */
export async function releaseState(
  reads: Pick<StoreReads, 'releases' | 'environments'>,
  target: Target,
  envRevision: number,
  reread = false,
): Promise<ReleaseState> {
  if (target.env === null) return { redeployRequired: false, release: undefined }
  const ws = target.project.workspaceId
  const env = reread
    ? ((await reads.environments.get(ws, target.env.id)) ?? target.env)
    : target.env
  const release = env.currentReleaseId
    ? await reads.releases.get(ws, env.currentReleaseId)
    : undefined
  const envHead = Math.max(envRevision, env.headRevision)
  return {
    redeployRequired:
      envHead > (release?.envRevision ?? 0) ||
      target.project.headRevision > (release?.projectRevision ?? 0),
    release,
  }
}
