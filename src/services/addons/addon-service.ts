import { AppError } from '../../core/errors.ts'
import type { AddonMode, AddonRow, EnvironmentRow, Store } from '../../storage/store.ts'
import type { Clock, RequestContext } from '../context.ts'
import type { AddonVars } from '../documents/document-state.ts'
import type { DocumentService } from '../documents/document-service.ts'
import { cachedReleaseFacts, releaseState } from '../projects/redeploy.ts'
import { resolveEnvironment, type Target } from '../projects/targets.ts'
import {
  addonVarsOf,
  assertAddonName,
  assertNoClash,
  changedAddonKeys,
  withAddon,
  type AttachVarsInput,
} from './addon-rules.ts'
import { namesFor, type DatabaseNames } from './pg-identifiers.ts'
import type { PostgresProvisioner } from './postgres-provisioner.ts'

export interface AttachInput {
  vars?: AttachVarsInput['vars'] | undefined
  config?: AttachVarsInput['config']
  /** Built-in `postgres` only: create a database and role for this environment. */
  provision?: boolean | undefined
}

export interface AddonDeps {
  store: Store
  /** The document service writes go through (with auto-deploy). */
  documents: DocumentService
  clock: Clock
  /** The built-in postgres add-on, when the server has an admin URL for it. */
  postgres?: { provisioner: PostgresProvisioner; prefix: string } | undefined
}

const MANAGED: readonly AddonMode[] = ['provisioned', 'forked']
const DEFAULT_POOL_SIZE = '5'

/**
 * Add-ons of an environment: attach (PUT its variables, or have Tresor provision a database),
 * rotate, detach, list. Their variables are sealed in the environment's revisions next to the
 * user's document (one decrypt per read), so releases carry them and every change is a revision
 * that makes the environment "redeploy required"; the `addons` table keeps names only.
 */
export function createAddonService(deps: AddonDeps) {
  const { store, documents, clock } = deps
  const facts = cachedReleaseFacts(store)

  async function list(ctx: RequestContext, projectRef: string, envRef: string) {
    const target = await resolveEnvironment(store, ctx, projectRef, envRef, 'read')
    const rows = await store.addons.list(target.scope.workspaceId, envOf(target).id)
    return rows.map(describe)
  }

  async function attach(
    ctx: RequestContext,
    projectRef: string,
    envRef: string,
    name: string,
    input: AttachInput,
  ) {
    assertAddonName(name)
    const target = await resolveEnvironment(store, ctx, projectRef, envRef, 'admin')
    const env = envOf(target)
    const existing = await store.addons.get(env.workspaceId, env.id, name)
    if (existing !== undefined && MANAGED.includes(existing.mode)) {
      throw new AppError(
        'CONFLICT',
        `add-on ${name} is provisioned by Tresor: rotate it (POST …/addons/${name}/rotate) or detach it first`,
      )
    }
    if (input.provision !== true) {
      const addon = addonVarsOf(name, { vars: input.vars ?? {}, config: input.config })
      const row = rowOf(target, ctx, name, 'external', addon, undefined, existing)
      return commitAddon(target, ctx, existing ? 'addon.update' : 'addon.attach', addon, row)
    }
    const pgAddon = provisionerFor(name)
    if (existing !== undefined)
      throw new AppError('CONFLICT', `add-on ${name} is already attached; detach it first`)
    const extra = Object.keys(input.vars ?? {}).filter((k) => k !== 'DATABASE_POOL_SIZE')
    if (extra.length > 0)
      throw new AppError(
        'VALIDATION_FAILED',
        'a provisioned postgres add-on sets DATABASE_URL itself',
        extra.map((key) => ({ key, message: `${key} cannot be given with provision: true` })),
      )
    // Checked before anything is created on the database server (and again under the lock).
    const pool = input.vars?.['DATABASE_POOL_SIZE'] ?? DEFAULT_POOL_SIZE
    assertNoClash(await documents.read(target.scope), placeholder(name, pool))
    const names = namesFor(pgAddon.prefix, env.id)
    const { url } = await pgAddon.provisioner.provision(names)
    try {
      const addon = postgresVars(name, url, pool)
      const row = rowOf(target, ctx, name, 'provisioned', addon, names)
      return await commitAddon(target, ctx, 'addon.attach', addon, row)
    } catch (err) {
      await pgAddon.provisioner.drop(names).catch(() => {})
      throw err
    }
  }

  async function rotate(ctx: RequestContext, projectRef: string, envRef: string, name: string) {
    assertAddonName(name)
    const target = await resolveEnvironment(store, ctx, projectRef, envRef, 'admin')
    const row = await requireRow(target, name)
    const names = namesOf(row)
    if (!MANAGED.includes(row.mode) || names === undefined)
      throw new AppError(
        'BAD_REQUEST',
        `add-on ${name}'s credentials are managed outside Tresor: PUT its new values to rotate them`,
      )
    const current = (await documents.read(target.scope)).addons.find((a) => a.name === name)
    const pool =
      current?.vars.find((v) => v.key === 'DATABASE_POOL_SIZE')?.value ?? DEFAULT_POOL_SIZE
    const next = { ...row, updatedAt: clock.now().toISOString() }
    // The role's new password takes effect only once the revision holding the new URL commits;
    // until then (and for good, if the commit fails) the stored URL keeps working.
    const out = await provisionerFor(name).provisioner.rotate(names, async (url) => {
      try {
        return {
          done: await commitAddon(target, ctx, 'addon.rotate', postgresVars(name, url, pool), next),
        }
      } catch (err) {
        // Failing after its transaction committed (e.g. while announcing): the URL is stored.
        if (await isStored(target, name, url)) return { done: undefined, err }
        throw err
      }
    })
    if (out.done === undefined) throw out.err
    return out.done
  }

  async function isStored(target: Target, name: string, url: string): Promise<boolean> {
    const state = await documents.read(target.scope).catch(() => undefined)
    const addon = state?.addons.find((a) => a.name === name)
    return addon?.vars.some((v) => v.key === 'DATABASE_URL' && v.value === url) === true
  }

  async function detach(
    ctx: RequestContext,
    projectRef: string,
    envRef: string,
    name: string,
    opts: { dropDatabase?: boolean | undefined } = {},
  ) {
    assertAddonName(name)
    const target = await resolveEnvironment(store, ctx, projectRef, envRef, 'admin')
    const row = await requireRow(target, name)
    const names = namesOf(row)
    if (names !== undefined) {
      if (opts.dropDatabase !== true)
        throw new AppError(
          'CONFLICT',
          `detaching add-on ${name} drops database ${names.database} and role ${names.role} with all their data; confirm with ?dropDatabase=true`,
          [{ field: 'dropDatabase', message: 'must be true to drop the database' }],
        )
      await provisionerFor(name).provisioner.drop(names)
    }
    const out = await commitAddon(target, ctx, 'addon.detach', { name, vars: [] }, undefined, row)
    return { ...out, droppedDatabase: names !== undefined }
  }

  /**
   * Drops what an environment's add-ons made on the database server, before the environment is
   * deleted. A preview's databases go with it; a regular environment's provisioned database is
   * refused (CONFLICT): its data is dropped only by an explicit detach.
   */
  async function teardown(env: EnvironmentRow): Promise<void> {
    const rows = await store.addons.list(env.workspaceId, env.id)
    for (const row of rows) {
      const names = namesOf(row)
      if (names === undefined) continue
      if (env.parentId === null)
        throw new AppError(
          'CONFLICT',
          `environment ${env.slug} has add-on ${row.name} with database ${names.database}: detach it with ?dropDatabase=true first`,
        )
      await provisionerFor(row.name).provisioner.drop(names)
    }
    if (rows.length > 0)
      await store.transaction(async (tx) => {
        for (const row of rows) await tx.addons.delete(row.workspaceId, row.environmentId, row.name)
      })
  }

  function provisionerFor(name: string) {
    if (name !== 'postgres')
      throw new AppError('VALIDATION_FAILED', `only the postgres add-on can be provisioned`, [
        { field: 'provision', message: `add-on ${name} has no built-in provisioner` },
      ])
    if (deps.postgres === undefined)
      throw new AppError(
        'BAD_REQUEST',
        'the built-in postgres add-on is not enabled on this server (set TRESOR_ADDON_POSTGRES_ADMIN_URL)',
      )
    return deps.postgres
  }

  async function requireRow(target: Target, name: string): Promise<AddonRow> {
    const row = await store.addons.get(target.scope.workspaceId, envOf(target).id, name)
    if (row === undefined)
      throw new AppError('NOT_FOUND', `add-on ${name} is not attached to ${envOf(target).slug}`)
    return row
  }

  function rowOf(
    target: Target,
    ctx: RequestContext,
    name: string,
    mode: AddonMode,
    addon: AddonVars,
    names?: DatabaseNames,
    existing?: AddonRow,
  ): AddonRow {
    const at = clock.now().toISOString()
    return {
      workspaceId: target.scope.workspaceId,
      projectId: target.scope.projectId,
      environmentId: envOf(target).id,
      name,
      mode,
      keys: addon.vars.map((v) => v.key),
      databaseName: names?.database ?? null,
      roleName: names?.role ?? null,
      parentEnvironmentId: null,
      createdBy: existing?.createdBy ?? ctx.actor.id,
      createdAt: existing?.createdAt ?? at,
      updatedAt: at,
    }
  }

  /** One revision with the add-on's new variables (none: detached) and its row, audited. */
  async function commitAddon(
    target: Target,
    ctx: RequestContext,
    action: string,
    addon: AddonVars,
    row: AddonRow | undefined,
    removed?: AddonRow,
  ) {
    const detached = addon.vars.length === 0
    const out = await documents.commit(
      target.scope,
      ctx,
      (state) => {
        const before = state.addons.find((a) => a.name === addon.name)
        if (!detached) assertNoClash(state, addon)
        const changed = changedAddonKeys(before, detached ? undefined : addon)
        return {
          doc: state.doc,
          addons: detached
            ? state.addons.filter((a) => a.name !== addon.name)
            : withAddon(state, addon),
          changedKeys: changed,
          audit: {
            action,
            keys: changed,
            detail: { addon: addon.name, mode: row?.mode ?? 'detached' },
          },
          result: changed,
        }
      },
      {
        message: `add-on ${addon.name}: ${action.slice('addon.'.length)}`,
        inTransaction: async (tx) => {
          if (row === undefined)
            await tx.addons.delete(target.scope.workspaceId, envOf(target).id, addon.name)
          else await tx.addons.put(row)
        },
      },
    )
    const status = await releaseState(store, facts, target, out.state.revision, true)
    return {
      ...describe((row ?? removed) as AddonRow),
      changedKeys: out.result,
      revision: out.state.revision,
      redeployRequired: status.redeployRequired,
    }
  }

  return { list, attach, rotate, detach, teardown }
}

export type AddonService = ReturnType<typeof createAddonService>

/** What listings show of an add-on: names, never values. */
export function describe(row: AddonRow) {
  return {
    name: row.name,
    mode: row.mode,
    keys: [...row.keys],
    ...(row.databaseName === null ? {} : { database: row.databaseName }),
    ...(row.parentEnvironmentId === null ? {} : { parentEnvironmentId: row.parentEnvironmentId }),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  }
}

/** The database and role of a provisioned or forked add-on, undefined for the others. */
export function namesOf(row: AddonRow): DatabaseNames | undefined {
  if (!MANAGED.includes(row.mode) || row.databaseName === null || row.roleName === null)
    return undefined
  return { database: row.databaseName, role: row.roleName }
}

export function postgresVars(name: string, url: string, pool: string): AddonVars {
  return {
    name,
    vars: [
      { key: 'DATABASE_URL', value: url, kind: 'secret' },
      { key: 'DATABASE_POOL_SIZE', value: pool, kind: 'config' },
    ],
  }
}

const placeholder = (name: string, pool: string) => postgresVars(name, '', pool)

function envOf(target: Target): EnvironmentRow {
  if (target.env === null) throw new AppError('BAD_REQUEST', 'add-ons belong to environments')
  return target.env
}
