import type { DocumentScope, EnvironmentRow, ReleaseRow, StoreReads } from '../../storage/store.ts'
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

/** What a listing needs of a release; none of it ever changes once the release exists. */
export type ReleaseFacts = Pick<ReleaseRow, 'envRevision' | 'projectRevision' | 'deployId'>

/** Finds a release's facts (a store read, or a cache in front of one). */
export type ReleaseFactsLookup = (
  workspaceId: string,
  releaseId: string,
) => Promise<ReleaseFacts | undefined>

/** Whether a redeploy is needed, and the release the environment runs now (if any). */
export interface ReleaseState {
  redeployRequired: boolean
  release: ReleaseFacts | undefined
}

/**
 * How `releaseState` sees the environment: `false`, as resolved for the request; `true`, read
 * again (after a write, so that a release the write triggered counts); or a row of it already
 * read after the write (by the auto-deploy check, when no release followed).
 */
export type EnvAfterWrite = boolean | EnvironmentRow

/**
 * `redeployRequired` without listing which keys changed: compares heads with the current
 * release (at most one point read). `envRevision` is the document revision the caller just read
 * or wrote; after a write, pass `reread` (`true`, or the row read after the write) so that a
 * release the write triggered (auto-deploy) counts.
 */
export async function releaseState(
  reads: Pick<StoreReads, 'environments'>,
  facts: ReleaseFactsLookup,
  target: Target,
  envRevision: number,
  reread: EnvAfterWrite = false,
): Promise<ReleaseState> {
  if (target.env === null) return { redeployRequired: false, release: undefined }
  const ws = target.project.workspaceId
  const env =
    reread === false
      ? target.env
      : reread !== true && reread.id === target.env.id && reread.workspaceId === ws
        ? reread
        : ((await reads.environments.get(ws, target.env.id)) ?? target.env)
  const release = env.currentReleaseId ? await facts(ws, env.currentReleaseId) : undefined
  const envHead = Math.max(envRevision, env.headRevision)
  return {
    redeployRequired:
      envHead > (release?.envRevision ?? 0) ||
      target.project.headRevision > (release?.projectRevision ?? 0),
    release,
  }
}

/**
 * A release-facts lookup that remembers up to `max` releases: releases are immutable, so the
 * hot listing path reads the current release's row (and its sealed snapshot) once, not per call.
 */
export function cachedReleaseFacts(
  reads: Pick<StoreReads, 'releases'>,
  max = 1024,
): ReleaseFactsLookup {
  const known = new Map<string, ReleaseFacts>()
  return async (workspaceId, releaseId) => {
    const key = `${workspaceId}/${releaseId}`
    const hit = known.get(key)
    if (hit !== undefined) return hit
    const row = await reads.releases.get(workspaceId, releaseId)
    if (row === undefined) return undefined
    const facts = {
      envRevision: row.envRevision,
      projectRevision: row.projectRevision,
      deployId: row.deployId,
    }
    if (known.size >= max) known.delete(known.keys().next().value ?? '')
    known.set(key, facts)
    return facts
  }
}
