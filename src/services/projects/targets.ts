import { assertCan, type Action } from '../../core/actor.ts'
import { AppError } from '../../core/errors.ts'
import type {
  DocumentScope,
  EnvironmentRow,
  ProjectRow,
  StoreReads,
  StoreTx,
} from '../../storage/store.ts'
import type { RequestContext } from '../context.ts'

/** A resolved environment (or a project's shared document when `env` is null). */
export interface Target {
  project: ProjectRow
  env: EnvironmentRow | null
  scope: DocumentScope
}

// Refs come from paths and bodies; only one shaped like an id or a slug is worth echoing (any
// other text might be something pasted by mistake, such as a value).
const SHOWABLE_REF = /^([a-z0-9][a-z0-9-]{0,62}|[a-z]{2,4}_[0-9a-z]{16})$/

const notFound = (what: string, ref: string) =>
  new AppError(
    'NOT_FOUND',
    SHOWABLE_REF.test(ref) ? `${what} '${ref}' not found` : `${what} not found`,
  )

/** Finds a live project by id or slug in the caller's workspace; NOT_FOUND when not visible. */
export async function resolveProject(
  reads: Pick<StoreReads, 'projects'>,
  ctx: RequestContext,
  ref: string,
  action: Action,
): Promise<ProjectRow> {
  const ws = ctx.actor.workspaceId
  const project = ref.includes('_')
    ? await reads.projects.get(ws, ref)
    : await reads.projects.getBySlug(ws, ref)
  if (project === undefined) throw notFound('project', ref)
  if (ctx.actor.projectId !== undefined && ctx.actor.projectId !== project.id) {
    throw notFound('project', ref)
  }
  assertCan(ctx.actor, action, { workspaceId: ws, projectId: project.id })
  return project
}

/** Finds an environment of a project by id or slug and checks `action` on it. */
export async function resolveEnvironment(
  reads: Pick<StoreReads, 'projects' | 'environments'>,
  ctx: RequestContext,
  projectRef: string,
  envRef: string,
  action: Action,
): Promise<Target> {
  // A deploy-only token (a CI deployer) sees the project only to deploy it: `deploy` does not
  // imply `read`, so the project is checked with the action itself.
  const project = await resolveProject(
    reads,
    ctx,
    projectRef,
    action === 'deploy' ? 'deploy' : 'read',
  )
  const ws = ctx.actor.workspaceId
  const env = envRef.includes('_')
    ? await reads.environments.get(ws, envRef)
    : await reads.environments.getBySlug(ws, project.id, envRef)
  if (env === undefined || env.projectId !== project.id) throw notFound('environment', envRef)
  assertCan(ctx.actor, action, {
    workspaceId: ws,
    projectId: project.id,
    environmentId: env.id,
    environmentSlug: env.slug,
  })
  return { project, env, scope: { workspaceId: ws, projectId: project.id, environmentId: env.id } }
}

/** The project's shared document as a target; writing it needs `action` on the whole project. */
export async function resolveShared(
  reads: Pick<StoreReads, 'projects'>,
  ctx: RequestContext,
  projectRef: string,
  action: Action,
): Promise<Target> {
  const project = await resolveProject(reads, ctx, projectRef, 'read')
  if (action !== 'read' && ctx.actor.environmentIds !== undefined) {
    throw new AppError('FORBIDDEN', 'this token is limited to some environments')
  }
  assertCan(ctx.actor, action, { workspaceId: project.workspaceId, projectId: project.id })
  const scope = { workspaceId: project.workspaceId, projectId: project.id, environmentId: null }
  return { project, env: null, scope }
}

/**
 * The creation time of a new environment of project `projectId`: `now`, or a millisecond after
 * the project's newest environment if that is not earlier. Environments are listed in creation
 * order (time, then id), and a project's default environments are stamped a millisecond apart,
 * so one created within those milliseconds (or under a clock that stepped back) would otherwise
 * be listed among them, or at random against one made in the same millisecond.
 */
export async function environmentCreatedAt(
  tx: Pick<StoreTx, 'environments'>,
  workspaceId: string,
  projectId: string,
  now: Date,
): Promise<string> {
  let at = now.getTime()
  for (const env of await tx.environments.list(workspaceId, projectId)) {
    at = Math.max(at, Date.parse(env.createdAt) + 1)
  }
  return new Date(at).toISOString()
}
