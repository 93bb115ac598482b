// A workspace with its data key, owner, project and environments on a real store, and the
// services over it wired as src/main/wire.ts wires them (keyring, document service, key service).
import { randomBytes } from 'node:crypto'
import { mergeDocument } from '../../../src/core/dotenv/index.ts'
import { newId } from '../../../src/core/ids.ts'
import {
  createKeyring,
  createStaticKeyProvider,
  createWrappedDataKey,
  type KeyProvider,
  type Keyring,
} from '../../../src/crypto/index.ts'
import type { RequestContext } from '../../../src/services/context.ts'
import {
  createDocumentService,
  type DocumentService,
  type Proposal,
} from '../../../src/services/documents/document-service.ts'
import type { DocState } from '../../../src/services/documents/document-state.ts'
import { createProjectService } from '../../../src/services/projects/project-service.ts'
import type { DocumentScope, KeyKind, Store } from '../../../src/storage/store.ts'

export const clock = { now: () => new Date() }

/** A keyring over `store` and `provider`, as wire.ts builds it. */
export function keyringOf(store: Store, provider: KeyProvider, ttlMs?: number): Keyring {
  return createKeyring({
    provider,
    loadWrappedKey: async (ws, keyId) =>
      (await store.dataKeys.loadWrappedKey(ws, keyId))?.wrappedKey,
    loadCurrentKeyId: (ws) => store.dataKeys.loadCurrentKeyId(ws),
    ...(ttlMs === undefined ? {} : { currentKeyTtlMs: ttlMs }),
  })
}

export interface World {
  store: Store
  rootKey: Buffer
  provider: KeyProvider
  keyring: Keyring
  documents: DocumentService
  workspaceId: string
  ctx: RequestContext
  projectId: string
  /** production, staging (environment scopes) and the project's shared document. */
  production: DocumentScope
  staging: DocumentScope
  shared: DocumentScope
}

/** A fresh workspace (data key v1, owner) with project `app-…` and two environments. */
export async function createWorld(store: Store, rootKey = randomBytes(32)): Promise<World> {
  const provider = createStaticKeyProvider(rootKey)
  const workspaceId = newId('workspace')
  const memberId = newId('member')
  const { dataKey, wrapped } = await createWrappedDataKey(provider, workspaceId)
  const at = new Date().toISOString()
  await store.transaction(async (tx) => {
    await tx.workspaces.create({ id: workspaceId, name: 'test', createdAt: at })
    await tx.dataKeys.create({
      ...{ id: dataKey.keyId, workspaceId, version: 1, wrappedKey: wrapped },
      ...{ rootKeyId: provider.id, state: 'current', createdAt: at },
    })
    await tx.members.create({
      ...{ id: memberId, workspaceId, email: `${memberId}@test`, name: 'Owner' },
      ...{ role: 'owner', disabled: false, createdAt: at },
    })
  })
  const ctx: RequestContext = {
    actor: {
      ...{ kind: 'member', id: memberId, workspaceId, memberId, role: 'owner' },
      ...{ scopes: ['admin'], tokenId: 'tok_test' },
    },
    requestId: 'req_test',
  }
  const { project, envs } = await createProjectService({ store, clock }).create(ctx, {
    slug: `app-${randomBytes(4).toString('hex')}`,
    environments: ['production', 'staging'],
  })
  const keyring = keyringOf(store, provider)
  const scope = (environmentId: string | null) => ({
    workspaceId,
    projectId: project.id,
    environmentId,
  })
  return {
    ...{ store, rootKey, provider, keyring, workspaceId, ctx, projectId: project.id },
    documents: createDocumentService({ store, keyring, clock }),
    production: scope(envs[0]?.id ?? ''),
    staging: scope(envs[1]?.id ?? ''),
    shared: scope(null),
  }
}

/** A merge of `set` (and kinds) as the variable service plans it. */
export function mergePlan(
  set: Record<string, string>,
  kinds: Record<string, KeyKind> = {},
): (state: DocState) => Proposal<undefined> {
  const entries = Object.entries(set)
  return (state) => ({
    doc: mergeDocument(state.doc, { set: entries }).doc,
    kinds: new Map(Object.entries(kinds)),
    changedKeys: entries.map(([k]) => k),
    audit: { action: 'vars.merge', keys: entries.map(([k]) => k) },
    result: undefined,
  })
}

/** A value nobody would type: it must never show up anywhere but where it is meant to. */
export const canary = (label = 'CANARY'): string => `${label}_${randomBytes(12).toString('hex')}`
