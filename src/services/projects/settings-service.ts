import { AppError } from '../../core/errors.ts'
import type { Store } from '../../storage/store.ts'
import { appendAudit } from '../audit/audit-service.ts'
import type { Clock, RequestContext } from '../context.ts'
import { redeployStatus } from './redeploy.ts'
import { resolveEnvironment, resolveShared } from './targets.ts'

export interface EnvironmentSettings {
  autoDeploy?: boolean | undefined
  requiredKeys?: readonly string[] | undefined
}

export interface ProjectSettings {
  name?: string | undefined
  requiredKeys?: readonly string[] | undefined
}

/** Environment options (auto-deploy, required keys) and project options (name, required keys). */
export function createSettingsService(deps: { store: Store; clock: Clock }) {
  const { store, clock } = deps

  async function updateEnvironment(
    ctx: RequestContext,
    projectRef: string,
    envRef: string,
    input: EnvironmentSettings,
  ) {
    const target = await resolveEnvironment(store, ctx, projectRef, envRef, 'write')
    const env = target.env
    if (env === null) throw new AppError('NOT_FOUND', `environment ${envRef} not found`)
    const now = clock.now()
    const updated = await store.transaction(async (tx) => {
      const row = await tx.environments.update(env.workspaceId, env.id, {
        ...(input.autoDeploy === undefined ? {} : { autoDeploy: input.autoDeploy }),
        ...(input.requiredKeys === undefined
          ? {}
          : { requiredKeys: [...new Set(input.requiredKeys)] }),
      })
      await appendAudit(
        tx,
        ctx,
        {
          workspaceId: env.workspaceId,
          action: 'environment.update',
          projectId: env.projectId,
          environmentId: env.id,
          keys: row.requiredKeys,
          detail: { autoDeploy: row.autoDeploy },
        },
        now,
      )
      return row
    })
    return { env: updated, status: await redeployStatus(store, { ...target, env: updated }) }
  }

  async function updateProject(ctx: RequestContext, projectRef: string, input: ProjectSettings) {
    const { project } = await resolveShared(store, ctx, projectRef, 'write')
    const now = clock.now()
    return store.transaction(async (tx) => {
      const row = await tx.projects.update(project.workspaceId, project.id, {
        ...(input.name === undefined ? {} : { name: input.name }),
        ...(input.requiredKeys === undefined
          ? {}
          : { requiredKeys: [...new Set(input.requiredKeys)] }),
      })
      await appendAudit(
        tx,
        ctx,
        {
          workspaceId: project.workspaceId,
          action: 'project.update',
          projectId: project.id,
          keys: row.requiredKeys,
          detail: { name: row.name },
        },
        now,
      )
      return row
    })
  }

  return { updateEnvironment, updateProject }
}

export type SettingsService = ReturnType<typeof createSettingsService>
