import { isAppError } from '../../core/errors.ts'
import type { Store } from '../../storage/store.ts'
import type { DocumentService } from '../documents/document-service.ts'
import { resolveEnvironment } from '../projects/targets.ts'
import type { ReleaseService } from './release-service.ts'

/**
 * The document service as variable writes see it: after a change to an environment that opted
 * into auto-deploy, a release follows (like a PaaS rolling restart). A release that cannot be
 * made (a missing reference) leaves the write in place and the environment "redeploy required";
 * the failure is in the release's own error, reported as a warning.
 */
export function withAutoDeploy(
  documents: DocumentService,
  deps: { store: Store; releases: ReleaseService; onFailure?: (message: string) => void },
): DocumentService {
  const commit: DocumentService['commit'] = async (scope, ctx, plan, opts) => {
    const out = await documents.commit(scope, ctx, plan, opts)
    if (!out.changed || scope.environmentId === null) return out
    const env = await deps.store.environments.get(scope.workspaceId, scope.environmentId)
    if (env?.autoDeploy !== true) return out
    try {
      const target = await resolveEnvironment(
        deps.store,
        ctx,
        scope.projectId,
        scope.environmentId,
        'read',
      )
      await deps.releases.create(target, ctx, `auto-deploy of revision ${out.state.revision}`)
    } catch (err) {
      if (!isAppError(err)) throw err
      deps.onFailure?.(`auto-deploy of ${env.slug} failed: ${err.code}: ${err.message}`)
    }
    return out
  }
  return { ...documents, commit }
}
