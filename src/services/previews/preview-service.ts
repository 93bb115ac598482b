import { mergeDocument } from '../../core/dotenv/index.ts'
import { parseDuration } from '../../core/duration.ts'
import { AppError } from '../../core/errors.ts'
import { newId } from '../../core/ids.ts'
import type { EnvironmentRow, KeyKind, Store } from '../../storage/store.ts'
import { appendAudit } from '../audit/audit-service.ts'
import type { Clock, RequestContext } from '../context.ts'
import type { DocumentService } from '../documents/document-service.ts'
import { resolveEnvironment, resolveProject, type Target } from '../projects/targets.ts'
import { assertNotReserved, changedKeys } from '../variables/var-rules.ts'

export interface CreatePreviewInput {
  slug: string
  parent: string
  overrides?: Readonly<Record<string, string>> | undefined
  ttl?: string | undefined
  url?: string | undefined
}

const DEFAULT_TTL = '7d'
const PLACEHOLDER = '${PREVIEW_URL}'

/**
 * Preview environments (`pr-42`): a copy of the parent's document at creation, with overrides
 * (where `${PREVIEW_URL}` becomes the preview's URL) and `PREVIEW_URL` set; removed at expiry.
 */
export function createPreviewService(deps: {
  store: Store
  documents: DocumentService
  clock: Clock
}) {
  const { store, documents, clock } = deps

  async function create(ctx: RequestContext, projectRef: string, input: CreatePreviewInput) {
    const project = await resolveProject(store, ctx, projectRef, 'write')
    if (ctx.actor.environmentIds !== undefined)
      throw new AppError('FORBIDDEN', 'this token is limited to some environments')
    const parent = await resolveEnvironment(store, ctx, project.id, input.parent, 'read')
    const ttlMs = parseDuration(input.ttl ?? DEFAULT_TTL)
    if (ttlMs === undefined)
      throw new AppError('VALIDATION_FAILED', 'ttl must look like 7d or 12h', [
        { field: 'ttl', message: 'invalid duration' },
      ])
    const overrides = Object.entries(input.overrides ?? {}).map(([k, v]): [string, string] => [
      k,
      input.url === undefined ? v : v.replaceAll(PLACEHOLDER, input.url),
    ])
    const parentState = await documents.read(parent.scope)
    const now = clock.now()
    const env = await store.transaction(async (tx) => {
      const created = await tx.environments.create({
        id: newId('environment', now.getTime()),
        workspaceId: project.workspaceId,
        projectId: project.id,
        slug: input.slug,
        parentId: parent.scope.environmentId,
        expiresAt: new Date(now.getTime() + ttlMs).toISOString(),
        autoDeploy: false,
        requiredKeys: [...(parent.env?.requiredKeys ?? [])],
        createdAt: now.toISOString(),
      })
      await appendAudit(
        tx,
        ctx,
        {
          workspaceId: project.workspaceId,
          action: 'preview.create',
          projectId: project.id,
          environmentId: created.id,
          keys: overrides.map(([k]) => k),
          detail: {
            slug: input.slug,
            parent: parent.env?.slug ?? '',
            expiresAt: created.expiresAt,
          },
        },
        now,
      )
      return created
    })
    const target: Target = {
      project,
      env,
      scope: { workspaceId: project.workspaceId, projectId: project.id, environmentId: env.id },
    }
    try {
      assertNotReserved(
        target,
        overrides.map(([k]) => k),
      )
      const set =
        input.url === undefined
          ? overrides
          : [
              ...overrides.filter(([k]) => k !== 'PREVIEW_URL'),
              ['PREVIEW_URL', input.url] as [string, string],
            ]
      const doc = set.length > 0 ? mergeDocument(parentState.doc, { set }).doc : parentState.doc
      const kinds = new Map<string, KeyKind>([...parentState.meta].map(([k, m]) => [k, m.kind]))
      if (parentState.revision > 0 || set.length > 0) {
        await documents.commit(
          target.scope,
          ctx,
          (state) => ({
            doc,
            kinds,
            changedKeys: changedKeys(state, doc, kinds),
            audit: {
              action: 'preview.clone',
              keys: set.map(([k]) => k),
              detail: { fromRevision: parentState.revision },
            },
            result: undefined,
          }),
          {
            message: `cloned from ${parent.env?.slug ?? 'parent'} revision ${parentState.revision}`,
          },
        )
      }
    } catch (err) {
      await store.transaction((tx) => tx.environments.delete(env.workspaceId, env.id))
      throw err
    }
    return (await store.environments.get(env.workspaceId, env.id)) ?? env
  }

  /** Removes every expired preview (all workspaces), each with an audit event; returns how many. */
  async function sweepExpired(): Promise<number> {
    const now = clock.now()
    const expired: EnvironmentRow[] = await store.environments.listExpired(now.toISOString(), 100)
    for (const env of expired) {
      await store.transaction(async (tx) => {
        await tx.environments.delete(env.workspaceId, env.id)
        await appendAudit(
          tx,
          undefined,
          {
            workspaceId: env.workspaceId,
            action: 'preview.expired',
            projectId: env.projectId,
            environmentId: env.id,
            detail: { slug: env.slug, expiresAt: env.expiresAt },
          },
          now,
        )
      })
    }
    return expired.length
  }

  return { create, sweepExpired }
}

export type PreviewService = ReturnType<typeof createPreviewService>
