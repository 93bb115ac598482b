import { assertCan, decide } from '../../core/actor.ts'
import { mergeDocument, replaceDocument } from '../../core/dotenv/index.ts'
import { AppError } from '../../core/errors.ts'
import type { JsonValue, KeyKind, Store } from '../../storage/store.ts'
import { appendAudit } from '../audit/audit-service.ts'
import type { Clock, RequestContext } from '../context.ts'
import type { DocState } from '../documents/document-state.ts'
import type { CommitOptions } from '../documents/document-service.ts'
import { cachedReleaseFacts, releaseState, type EnvAfterWrite } from '../projects/redeploy.ts'
import type { Target } from '../projects/targets.ts'
import type { CommittedWithEnv, EnvReportingDocuments } from '../releases/auto-deploy.ts'
import { createListingCache } from './listing-cache.ts'
import { assertAgentWrite, assertNotAgent } from './agent-rules.ts'
import { listVars, maskedEntries, shown, type VarList } from './var-list.ts'
import {
  assertNoAddonKeys,
  assertNotReserved,
  changedKey,
  changedKeys,
  kindWarnings,
} from './var-rules.ts'

export interface SetInput {
  key: string
  value: string
  kind?: KeyKind | undefined
}

export interface PatchInput {
  env: Readonly<Record<string, string>>
  secrets?: readonly string[] | undefined
  replace?: boolean | undefined
}

/**
 * Variables of an environment or of a project's shared document: list (masked), set, merge,
 * replace, delete and the audited reveal. Every write is one revision (see DocumentService).
 */
export function createVariableService(deps: {
  store: Store
  /** Plain, or with auto-deploy (whose commits report the environment they read after). */
  documents: EnvReportingDocuments
  clock: Clock
}) {
  const { store, documents, clock } = deps
  const listings = createListingCache()
  const facts = cachedReleaseFacts(store)

  /** The masked listing; a document still at a revision listed before is not read again. */
  async function list(target: Target): Promise<VarList> {
    // The head as resolved for this request: the listing of that revision never changes.
    const head = target.env === null ? target.project.headRevision : target.env.headRevision
    const cached = listings.get(target.scope, head)
    if (cached !== undefined) return listVars(store, facts, target, cached, head)
    const state = await documents.read(target.scope)
    const entries = maskedEntries(state)
    listings.set(target.scope, state.revision, entries)
    return listVars(store, facts, target, entries, state.revision)
  }

  /**
   * The listing of a state this request just committed (no second read of the document);
   * `envAfter`, the environment's row already read after the commit, spares reading it again
   * (absent: it is read).
   */
  function listAfterWrite(
    target: Target,
    state: DocState,
    envAfter: EnvAfterWrite = true,
  ): Promise<VarList> {
    const entries = maskedEntries(state)
    listings.set(target.scope, state.revision, entries)
    return listVars(store, facts, target, entries, state.revision, envAfter)
  }

  /** Whether `target` needs a redeploy after the write `out` (its post-commit row if it has one). */
  function statusAfter(target: Target, out: CommittedWithEnv<unknown>) {
    return releaseState(store, facts, target, out.state.revision, out.envAfter ?? true)
  }

  /** Sets one key (PUT): new keys default to secret unless a kind is given (safe by default). */
  async function set(
    target: Target,
    ctx: RequestContext,
    input: SetInput,
    opts: CommitOptions = {},
  ) {
    assertNotReserved(target, [input.key])
    const out = await documents.commit(
      target.scope,
      ctx,
      (state) => {
        assertNoAddonKeys(state, [input.key])
        const kind = input.kind ?? state.meta.get(input.key)?.kind ?? 'secret'
        const kinds = new Map([[input.key, kind]])
        assertAgentWrite(ctx, state, [[input.key, input.value]], kinds)
        const doc = mergeDocument(state.doc, { set: [[input.key, input.value]] }).doc
        return {
          doc,
          kinds,
          changedKeys: changedKey(state, input.key, input.value, kind),
          audit: { action: 'vars.set', keys: [input.key], detail: { kind } },
          result: { kind, warnings: kindWarnings(kinds) },
        }
      },
      opts,
    )
    const status = await statusAfter(target, out)
    return {
      key: input.key,
      kind: out.result.kind,
      ...shown(out.result.kind, input.value),
      revision: out.state.revision,
      warnings: out.result.warnings,
      redeployRequired: status.redeployRequired,
    }
  }

  /** Merges many keys (PATCH), or rewrites the document with exactly them when `replace`. */
  async function patch(
    target: Target,
    ctx: RequestContext,
    input: PatchInput,
    opts: CommitOptions = {},
  ) {
    const entries = Object.entries(input.env)
    assertNotReserved(
      target,
      entries.map(([k]) => k),
    )
    const secrets = new Set(input.secrets ?? [])
    const unknown = [...secrets].filter((k) => !(k in input.env))
    if (unknown.length > 0) {
      throw new AppError(
        'VALIDATION_FAILED',
        'secrets names keys that env does not set',
        unknown.map((key) => ({
          key,
          field: 'secrets',
          message: `${key} is listed in secrets but not set in env`,
        })),
      )
    }
    const out = await documents.commit(
      target.scope,
      ctx,
      (state) => {
        assertNoAddonKeys(
          state,
          entries.map(([k]) => k),
        )
        const kinds = new Map<string, KeyKind>(
          entries.map(([k]) => [
            k,
            secrets.has(k) ? 'secret' : (state.meta.get(k)?.kind ?? 'config'),
          ]),
        )
        assertAgentWrite(ctx, state, entries, kinds, input.replace === true)
        const doc =
          input.replace === true
            ? replaceDocument(entries)
            : mergeDocument(state.doc, { set: entries }).doc
        const changed = changedKeys(state, doc, kinds)
        return {
          doc,
          kinds,
          changedKeys: changed,
          audit: { action: input.replace === true ? 'vars.replace' : 'vars.merge', keys: changed },
          result: kindWarnings(kinds),
        }
      },
      opts,
    )
    return { ...(await listAfterWrite(target, out.state, out.envAfter)), warnings: out.result }
  }

  /** Deletes keys, reporting which were removed and which did not exist. */
  async function remove(
    target: Target,
    ctx: RequestContext,
    keys: readonly string[],
    opts: CommitOptions = {},
  ) {
    assertNotReserved(target, keys)
    const out = await documents.commit(
      target.scope,
      ctx,
      (state) => {
        assertNoAddonKeys(state, keys)
        const merged = mergeDocument(state.doc, { delete: keys })
        return {
          doc: merged.removed.length > 0 ? merged.doc : undefined,
          changedKeys: merged.removed,
          audit: {
            action: 'vars.delete',
            keys: merged.removed,
            detail: { notFound: merged.notFound },
          },
          result: { removed: merged.removed, notFound: merged.notFound },
        }
      },
      opts,
    )
    const status = await statusAfter(target, out)
    return {
      ...out.result,
      revision: out.state.revision,
      redeployRequired: status.redeployRequired,
    }
  }

  /**
   * Returns one value in clear. Secrets need `secrets:reveal`; every reveal is audited, and so is
   * every refused attempt (outcome `denied`, with the reason; an agent's before any lookup).
   */
  async function reveal(target: Target, ctx: RequestContext, key: string) {
    const audit = (outcome: 'success' | 'denied', detail: { [k: string]: JsonValue }) =>
      store.transaction((tx) =>
        appendAudit(
          tx,
          ctx,
          {
            workspaceId: target.scope.workspaceId,
            projectId: target.scope.projectId,
            environmentId: target.scope.environmentId,
            action: 'vars.reveal',
            keys: [key],
            detail,
            outcome,
          },
          clock.now(),
        ),
      )
    if (ctx.actor.agent === true) {
      await audit('denied', { reason: 'agent token' })
      assertNotAgent(ctx, 'reveal values')
    }
    const state: DocState = await documents.read(target.scope)
    // An add-on's variable (e.g. DATABASE_URL) is revealed under the same rules as the user's.
    const addon = state.addons.find((a) => a.vars.some((v) => v.key === key))
    const managed = addon?.vars.find((v) => v.key === key)
    const value = managed?.value ?? state.values.get(key)
    if (value === undefined)
      throw new AppError('NOT_FOUND', `variable ${key} not found`, [
        { key, message: 'not set in this environment' },
      ])
    const kind = managed?.kind ?? state.meta.get(key)?.kind ?? 'config'
    if (kind === 'secret') {
      const access = {
        workspaceId: target.project.workspaceId,
        projectId: target.project.id,
        ...(target.env === null
          ? {}
          : { environmentId: target.env.id, environmentSlug: target.env.slug }),
      }
      if (decide(ctx.actor, 'secrets:reveal', access) === 'FORBIDDEN')
        await audit('denied', { reason: 'not allowed to reveal secrets here', kind })
      assertCan(ctx.actor, 'secrets:reveal', access)
    }
    const detail = { kind, revision: state.revision, ...(addon ? { addon: addon.name } : {}) }
    await audit('success', detail)
    return { key, value }
  }

  return { list, listAfterWrite, set, patch, remove, reveal }
}

export type VariableService = ReturnType<typeof createVariableService>
