import { createHmac } from 'node:crypto'
import { ID_PREFIXES, newId } from '../../core/ids.ts'
import {
  createWrappedDataKey,
  generateToken,
  hashToken,
  type KeyProvider,
} from '../../crypto/index.ts'
import type { Store } from '../../storage/store.ts'
import { appendAudit } from '../audit/audit-service.ts'
import type { Clock } from '../context.ts'

export interface BootstrapResult {
  workspaceId: string
  /** The owner's first token: shown once to whoever started the server, never stored. */
  ownerToken: string | undefined
}

interface BootstrapDeps {
  store: Store
  provider: KeyProvider
  pepper: Buffer
  clock: Clock
  bootstrapToken?: string
}

/**
 * On an empty store, creates the workspace, its data key, the owner and the owner's token (the
 * given bootstrap token, or a new one). On a store that has a workspace, does nothing.
 */
export async function bootstrapWorkspace(deps: BootstrapDeps): Promise<BootstrapResult> {
  const { store, clock } = deps
  const existing = await store.workspaces.list()
  if (existing[0] !== undefined) return { workspaceId: existing[0].id, ownerToken: undefined }
  const now = clock.now()
  const workspaceId = firstWorkspaceId(deps.pepper)
  const { dataKey, wrapped } = await createWrappedDataKey(deps.provider, workspaceId)
  const ownerToken = deps.bootstrapToken ?? generateToken('pat')
  try {
    await createWorkspace(deps, { workspaceId, ownerToken, keyId: dataKey.keyId, wrapped, now })
  } catch (err) {
    // Replicas starting at once on an empty PostgreSQL: the ones that lost the race (the first
    // workspace's id, or the bootstrap token's hash, collides) use the workspace the winner
    // committed, and only the winner hands out an owner token.
    const won = (await store.workspaces.list())[0]
    if (won === undefined) throw err
    return { workspaceId: won.id, ownerToken: undefined }
  }
  return { workspaceId, ownerToken }
}

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'

/**
 * The first workspace's id, the same on every replica of one server (they share the pepper):
 * replicas bootstrapping an empty database at once all insert this one primary key, so exactly
 * one commits, with or without a bootstrap token. Later workspaces get random ids.
 */
export function firstWorkspaceId(pepper: Buffer): string {
  const mac = createHmac('sha256', pepper).update('tresor:first-workspace').digest()
  let out = ''
  for (let i = 0; i < 16; i++) out += ALPHABET[(mac[i] ?? 0) % 32] ?? '0'
  return `${ID_PREFIXES.workspace}_${out}`
}

/** The workspace, its data key, the owner, the owner's token and the audit row, in one commit. */
async function createWorkspace(
  deps: BootstrapDeps,
  w: { workspaceId: string; ownerToken: string; keyId: string; wrapped: Buffer; now: Date },
): Promise<void> {
  const { workspaceId, ownerToken, wrapped, now } = w
  const at = now.toISOString()
  await deps.store.transaction(async (tx) => {
    await tx.workspaces.create({ id: workspaceId, name: 'default', createdAt: at })
    await tx.dataKeys.create({
      id: w.keyId,
      workspaceId,
      version: 1,
      wrappedKey: wrapped,
      rootKeyId: deps.provider.id,
      state: 'current',
      createdAt: at,
    })
    const memberId = newId('member', now.getTime())
    await tx.members.create({
      id: memberId,
      workspaceId,
      email: 'owner@localhost',
      name: 'Owner',
      role: 'owner',
      disabled: false,
      createdAt: at,
    })
    const tokenId = newId('token', now.getTime())
    await tx.tokens.create({
      id: tokenId,
      workspaceId,
      memberId,
      kind: 'pat',
      name: 'owner',
      tokenHash: hashToken(deps.pepper, ownerToken),
      scopes: ['read', 'write', 'secrets:reveal', 'deploy', 'admin'],
      projectId: null,
      environmentIds: null,
      expiresAt: null,
      createdAt: at,
    })
    const ctx = {
      actor: {
        kind: 'member' as const,
        id: memberId,
        workspaceId,
        memberId,
        role: 'owner' as const,
        scopes: [],
        tokenId,
      },
    }
    await appendAudit(
      tx,
      ctx,
      {
        workspaceId,
        action: 'workspace.bootstrap',
        detail: { tokenId, fromEnvironment: deps.bootstrapToken !== undefined },
      },
      now,
    )
  })
}
