import { assertCan } from '../../core/actor.ts'
import { AppError } from '../../core/errors.ts'
import type { KeyProvider, Keyring } from '../../crypto/index.ts'
import type { Store } from '../../storage/store.ts'
import type { Clock, RequestContext } from '../context.ts'
import {
  countUnder,
  resealWorkspace,
  rollDataKey,
  type DataKeyDeps,
  type ResealReport,
} from './data-key-rotation.ts'
import { rotateRoot, type RootRotationReport } from './root-rotation.ts'
import { createSealGuard, SEAL_LIMIT } from './seal-guard.ts'

export type { ResealReport } from './data-key-rotation.ts'
export type { RootRotationReport } from './root-rotation.ts'

export interface KeyServiceDeps {
  store: Store
  keyring: Keyring
  /** The current root key plus every previous one (createMultiKeyProvider). */
  provider: KeyProvider
  clock: Clock
  batchSize?: number
  /** Told when a background seal-count check fails (see createSealGuard). */
  onGuardError?: (err: unknown, workspaceId: string) => void
  /** Seal-count limit and check interval of the nonce guard (defaults in seal-guard.ts). */
  sealLimit?: number
  sealCheckEvery?: number
}

/** One data key of a workspace as the admin API shows it: ids, state, counts; never material. */
export interface KeyStatus {
  id: string
  version: number
  state: 'current' | 'retired'
  rootKeyId: string
  createdAt: string
  /** Revisions and release snapshots sealed under this key. */
  sealedRows: number
}

/** Root-key and data-key rotation, the nonce-budget guard and the keys' status. */
export function createKeyService(deps: KeyServiceDeps) {
  const dataDeps: DataKeyDeps = deps
  const sealLimit = deps.sealLimit ?? SEAL_LIMIT

  /**
   * Re-wraps every data key and server secret under the current root key (resumable). It touches
   * every tenant, so through the API only the owner of the server's first workspace (the one
   * made at first start: the operator) may run it; the CLI verb runs it without a caller.
   */
  async function rotateRootKey(ctx?: RequestContext): Promise<RootRotationReport> {
    if (ctx !== undefined) {
      assertCan(ctx.actor, 'admin')
      const [first] = await deps.store.workspaces.list()
      if (ctx.actor.role !== 'owner' || ctx.actor.workspaceId !== first?.id) {
        throw new AppError(
          'FORBIDDEN',
          "re-wrapping every workspace's keys is for the server's operator (the first workspace's owner)",
        )
      }
    }
    return rotateRoot(deps, ctx)
  }

  /** Rolls the caller's workspace to a new data key, then re-seals everything under it. */
  async function rotateDataKey(
    ctx: RequestContext,
    opts: { resumeOnly?: boolean } = {},
  ): Promise<ResealReport & { rotatedFrom: string | null }> {
    assertCan(ctx.actor, 'admin')
    const ws = ctx.actor.workspaceId
    const rolled = opts.resumeOnly === true ? undefined : await rollDataKey(dataDeps, ws, ctx)
    const report = await resealWorkspace(dataDeps, ws, ctx)
    return { ...report, rotatedFrom: rolled?.from ?? null }
  }

  /** The caller's workspace's data keys with how many rows each seals, and the seal limit. */
  async function status(ctx: RequestContext) {
    assertCan(ctx.actor, 'admin')
    const ws = ctx.actor.workspaceId
    const keys: KeyStatus[] = []
    for (const k of await deps.store.dataKeys.list(ws)) {
      const { id, version, state, rootKeyId, createdAt } = k
      const sealedRows = await countUnder(deps.store, ws, [k])
      keys.push({ id, version, state, rootKeyId, createdAt, sealedRows })
    }
    return { rootKeyId: deps.provider.id, sealLimit, keys }
  }

  async function sealedUnderCurrent(workspaceId: string): Promise<number> {
    const current = await deps.keyring.currentKey(workspaceId)
    return countUnder(deps.store, workspaceId, [{ id: current.keyId }])
  }

  /** The document service's `onSealed` hook: rolls a key before its nonce budget runs out. */
  const sealGuard = createSealGuard({
    count: sealedUnderCurrent,
    roll: (ws) => rollDataKey(dataDeps, ws),
    onError: deps.onGuardError ?? (() => {}),
    limit: sealLimit,
    ...(deps.sealCheckEvery === undefined ? {} : { every: deps.sealCheckEvery }),
  })

  return { rotateRoot: rotateRootKey, rotateDataKey, status, sealGuard }
}

export type KeyService = ReturnType<typeof createKeyService>
