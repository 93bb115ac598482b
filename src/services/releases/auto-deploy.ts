import { isAppError } from '../../core/errors.ts'
import type { DocumentScope, EnvironmentRow, Store } from '../../storage/store.ts'
import type { RequestContext } from '../context.ts'
import type { DocState } from '../documents/document-state.ts'
import type {
  Committed,
  DocumentCommitOptions,
  DocumentService,
  Proposal,
} from '../documents/document-service.ts'
import { resolveEnvironment } from '../projects/targets.ts'
import type { ReleaseService } from './release-service.ts'

/** A commit's outcome, with the environment as read after it when the commit reports one. */
export interface CommittedWithEnv<T> extends Committed<T> {
  /**
   * The environment's row read after the commit, when no release followed it (a release would
   * change it): the caller's "redeploy required" needs the same post-commit row, not a second
   * read. Absent for a shared document, a commit that changed nothing, or after an auto-deploy.
   */
  envAfter?: EnvironmentRow
}

/** A document service whose commits may report the environment read after them. */
export interface EnvReportingDocuments extends Omit<DocumentService, 'commit'> {
  commit<T>(
    scope: DocumentScope,
    ctx: RequestContext,
    plan: (state: DocState) => Proposal<T>,
    opts?: DocumentCommitOptions,
  ): Promise<CommittedWithEnv<T>>
}

/**
 * The document service as variable writes see it: after a change to an environment that opted
 * into auto-deploy, a release follows (like a PaaS rolling restart). A release that cannot be
 * made (a missing reference) leaves the write in place and the environment "redeploy required";
 * the failure is in the release's own error, reported as a warning.
 */
export function withAutoDeploy(
  documents: DocumentService,
  deps: { store: Store; releases: ReleaseService; onFailure?: (message: string) => void },
): EnvReportingDocuments {
  async function commit<T>(
    scope: DocumentScope,
    ctx: RequestContext,
    plan: (state: DocState) => Proposal<T>,
    opts?: DocumentCommitOptions,
  ): Promise<CommittedWithEnv<T>> {
    const out = await documents.commit(scope, ctx, plan, opts)
    if (!out.changed || scope.environmentId === null) return out
    const env = await deps.store.environments.get(scope.workspaceId, scope.environmentId)
    if (env === undefined) return out
    if (!env.autoDeploy) return { ...out, envAfter: env }
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
