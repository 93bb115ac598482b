import { assertCan, can } from '../../core/actor.ts'
import { parseDuration } from '../../core/duration.ts'
import { AppError } from '../../core/errors.ts'
import { newId } from '../../core/ids.ts'
import type { EnvironmentRow, ProjectRow, Store } from '../../storage/store.ts'
import { appendAudit } from '../audit/audit-service.ts'
import type { Clock, RequestContext } from '../context.ts'
import { redeployStatus } from './redeploy.ts'
import { environmentCreatedAt, resolveEnvironment, resolveProject } from './targets.ts'

export const DEFAULT_ENVIRONMENTS = ['development', 'staging', 'production'] as const

export interface CreateProjectInput {
  slug: string
  name?: string | undefined
  environments?: readonly string[] | undefined
}

export interface CreateEnvironmentInput {
  slug: string
  ttl?: string | undefined
  autoDeploy?: boolean | undefined
  requiredKeys?: readonly string[] | undefined
}

/** Projects and their environments: create, list, get, delete; all audited. */
export function createProjectService(deps: {
  store: Store
  clock: Clock
  /** Runs before an environment is deleted (add-ons drop their databases); throwing refuses. */
  beforeEnvironmentDelete?: (env: EnvironmentRow) => Promise<void>
}) {
  const { store, clock } = deps

  async function create(ctx: RequestContext, input: CreateProjectInput) {
    assertCan(ctx.actor, 'write')
    const envSlugs = [...new Set(input.environments ?? DEFAULT_ENVIRONMENTS)]
    const now = clock.now()
    const at = now.toISOString()
    const ws = ctx.actor.workspaceId
    return store.transaction(async (tx) => {
      const project = await tx.projects.create({
        id: newId('project', now.getTime()),
        workspaceId: ws,
        slug: input.slug,
        name: input.name ?? input.slug,
        requiredKeys: [],
        createdAt: at,
      })
      const envs: EnvironmentRow[] = []
      for (const [i, slug] of envSlugs.entries()) {
        envs.push(
          await tx.environments.create({
            id: newId('environment', now.getTime()),
            workspaceId: ws,
            projectId: project.id,
            slug,
            parentId: null,
            expiresAt: null,
            autoDeploy: false,
            requiredKeys: [],
            // A millisecond apart: listings order by creation time, and these are listed in the
            // order they were asked for (ids made in the same second sort at random).
            createdAt: new Date(now.getTime() + i).toISOString(),
          }),
        )
      }
      await appendAudit(
        tx,
        ctx,
        {
          workspaceId: ws,
          action: 'project.create',
          projectId: project.id,
          detail: { slug: input.slug, environments: envSlugs },
        },
        now,
      )
      return { project, envs }
    })
  }

  /** Projects the caller can see, each with its environments. */
  async function list(ctx: RequestContext) {
    const ws = ctx.actor.workspaceId
    const projects = (await store.projects.list(ws)).filter((p) =>
      can(ctx.actor, 'read', { workspaceId: ws, projectId: p.id }),
    )
    return Promise.all(
      projects.map(async (project) => ({ project, envs: await visibleEnvs(ctx, project) })),
    )
  }

  async function get(ctx: RequestContext, ref: string) {
    const project = await resolveProject(store, ctx, ref, 'read')
    return { project, envs: await visibleEnvs(ctx, project) }
  }

  async function visibleEnvs(ctx: RequestContext, project: ProjectRow) {
    const envs = await store.environments.list(project.workspaceId, project.id)
    return envs.filter(
      (e) => ctx.actor.environmentIds === undefined || ctx.actor.environmentIds.includes(e.id),
    )
  }

  async function remove(ctx: RequestContext, ref: string) {
    const project = await resolveProject(store, ctx, ref, 'admin')
    const now = clock.now()
    await store.transaction(async (tx) => {
      await tx.projects.softDelete(project.workspaceId, project.id, now.toISOString())
      await appendAudit(
        tx,
        ctx,
        {
          workspaceId: project.workspaceId,
          action: 'project.delete',
          projectId: project.id,
          detail: { slug: project.slug },
        },
        now,
      )
    })
  }

  async function createEnvironment(
    ctx: RequestContext,
    projectRef: string,
    input: CreateEnvironmentInput,
  ) {
    const project = await resolveProject(store, ctx, projectRef, 'write')
    if (ctx.actor.environmentIds !== undefined)
      throw new AppError('FORBIDDEN', 'this token is limited to some environments')
    const now = clock.now()
    let expiresAt: string | null = null
    if (input.ttl !== undefined) {
      const ms = parseDuration(input.ttl)
      if (ms === undefined)
        throw new AppError('VALIDATION_FAILED', 'ttl must look like 7d or 12h', [
          { field: 'ttl', message: 'invalid duration' },
        ])
      expiresAt = new Date(now.getTime() + ms).toISOString()
    }
    return store.transaction(async (tx) => {
      const env = await tx.environments.create({
        id: newId('environment', now.getTime()),
        workspaceId: project.workspaceId,
        projectId: project.id,
        slug: input.slug,
        parentId: null,
        expiresAt,
        autoDeploy: input.autoDeploy ?? false,
        requiredKeys: [...(input.requiredKeys ?? [])],
        createdAt: await environmentCreatedAt(tx, project.workspaceId, project.id, now),
      })
      await appendAudit(
        tx,
        ctx,
        {
          workspaceId: project.workspaceId,
          action: 'environment.create',
          projectId: project.id,
          environmentId: env.id,
          detail: { slug: env.slug },
        },
        now,
      )
      return env
    })
  }

  /** One environment with its redeploy status (which keys changed since its release). */
  async function getEnvironment(ctx: RequestContext, projectRef: string, envRef: string) {
    const target = await resolveEnvironment(store, ctx, projectRef, envRef, 'read')
    const env = target.env as EnvironmentRow
    return {
      env: (await store.environments.get(env.workspaceId, env.id)) ?? env,
      status: await redeployStatus(store, target),
    }
  }

  async function listEnvironments(ctx: RequestContext, projectRef: string) {
    const { project, envs } = await get(ctx, projectRef)
    return Promise.all(
      envs.map(async (env) => ({
        env,
        status: await redeployStatus(store, {
          project,
          env,
          scope: { workspaceId: env.workspaceId, projectId: project.id, environmentId: env.id },
        }),
      })),
    )
  }

  async function removeEnvironment(ctx: RequestContext, projectRef: string, envRef: string) {
    const target = await resolveEnvironment(store, ctx, projectRef, envRef, 'admin')
    const env = target.env as EnvironmentRow
    await deps.beforeEnvironmentDelete?.(env)
    const now = clock.now()
    await store.transaction(async (tx) => {
      await tx.environments.delete(env.workspaceId, env.id)
      await appendAudit(
        tx,
        ctx,
        {
          workspaceId: env.workspaceId,
          action: 'environment.delete',
          projectId: env.projectId,
          environmentId: env.id,
          detail: { slug: env.slug },
        },
        now,
      )
    })
  }

  return {
    create,
    list,
    get,
    remove,
    createEnvironment,
    getEnvironment,
    listEnvironments,
    removeEnvironment,
  }
}

export type ProjectService = ReturnType<typeof createProjectService>
