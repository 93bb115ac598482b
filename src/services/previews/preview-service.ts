import { mergeDocument } from '../../core/dotenv/index.ts'
import { parseDuration } from '../../core/duration.ts'
import { AppError } from '../../core/errors.ts'
import { newId } from '../../core/ids.ts'
import type { AddonRow, EnvironmentRow, KeyKind, Store } from '../../storage/store.ts'
import { appendAudit } from '../audit/audit-service.ts'
import type { Clock, RequestContext } from '../context.ts'
import type { DocumentService } from '../documents/document-service.ts'
import type { AddonVars } from '../documents/document-state.ts'
import {
  environmentCreatedAt,
  resolveEnvironment,
  resolveProject,
  type Target,
} from '../projects/targets.ts'
import { assertNoAddonKeys, assertNotReserved, changedKeys } from '../variables/var-rules.ts'

export interface CreatePreviewInput {
  slug: string
  parent: string
  overrides?: Readonly<Record<string, string>> | undefined
  ttl?: string | undefined
  url?: string | undefined
  /** Keep the parent's postgres add-on database instead of forking it. */
  shareDatabase?: boolean | undefined
}

/** What previews need of the add-on service (see src/services/addons). */
export interface PreviewAddonHooks {
  /** The preview's add-ons made from the parent's (its own database forked unless shared). */
  fork(
    ctx: RequestContext,
    parent: EnvironmentRow,
    parentAddons: readonly AddonVars[],
    preview: EnvironmentRow,
    shareDatabase: boolean,
  ): Promise<PreviewAddons>
  /** Drops what the environment's add-ons made on a database server, before it is deleted. */
  teardown(env: EnvironmentRow): Promise<void>
}

/** The add-ons a new preview starts with (see src/services/addons/preview-fork.ts). */
export interface PreviewAddons {
  addons: AddonVars[]
  rows: AddonRow[]
  database?: { mode: 'template' | 'dump' | 'shared'; reason: string }
  warnings: string[]
  undo(): Promise<void>
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
  addons?: PreviewAddonHooks
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
    // Checked before anything is created: an override cannot replace an add-on's variable.
    assertNoAddonKeys(
      parentState,
      overrides.map(([k]) => k),
    )
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
        createdAt: await environmentCreatedAt(tx, project.workspaceId, project.id, now),
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
    let made: PreviewAddons | undefined
    try {
      if (parentState.addons.length > 0 && parent.env !== null) {
        if (deps.addons === undefined) throw new AppError('INTERNAL', 'add-ons are not wired')
        made = await deps.addons.fork(
          ctx,
          parent.env,
          parentState.addons,
          env,
          input.shareDatabase === true,
        )
      }
      const addons = made?.addons ?? []
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
      if (parentState.revision > 0 || set.length > 0 || addons.length > 0) {
        await documents.commit(
          target.scope,
          ctx,
          (state) => ({
            doc,
            kinds,
            addons,
            changedKeys: [
              ...changedKeys(state, doc, kinds),
              ...addons.flatMap((a) => a.vars.map((v) => v.key)),
            ],
            audit: {
              action: 'preview.clone',
              keys: set.map(([k]) => k),
              detail: { fromRevision: parentState.revision },
            },
            result: undefined,
          }),
          {
            message: `cloned from ${parent.env?.slug ?? 'parent'} revision ${parentState.revision}`,
            inTransaction: async (tx) => {
              for (const row of made?.rows ?? []) await tx.addons.put(row)
            },
          },
        )
      }
    } catch (err) {
      await made?.undo().catch(() => {})
      await store.transaction(async (tx) => {
        for (const row of made?.rows ?? [])
          await tx.addons.delete(row.workspaceId, env.id, row.name)
        await tx.environments.delete(env.workspaceId, env.id)
      })
      throw err
    }
    const row = (await store.environments.get(env.workspaceId, env.id)) ?? env
    return {
      ...row,
      ...(made?.database === undefined ? {} : { database: made.database }),
      warnings: made?.warnings ?? [],
    }
  }

  /** Removes every expired preview (all workspaces), each with an audit event; returns how many. */
  async function sweepExpired(): Promise<number> {
    const now = clock.now()
    const expired: EnvironmentRow[] = await store.environments.listExpired(now.toISOString(), 100)
    let removed = 0
    for (const env of expired) {
      // Its databases first: when the database server is down, the preview stays (and its
      // record of what to drop with it) until a later sweep succeeds.
      try {
        await deps.addons?.teardown(env)
      } catch {
        continue
      }
      removed++
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
    return removed
  }

  return { create, sweepExpired }
}

export type PreviewService = ReturnType<typeof createPreviewService>
