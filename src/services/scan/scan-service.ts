import {
  can,
  decideDeployedSecrets,
  type Actor,
  type Target as AccessTarget,
} from '../../core/actor.ts'
import { AppError } from '../../core/errors.ts'
import { fingerprintItem, isFingerprintable, type FingerprintItem } from '../../core/scan/index.ts'
import type { KeyProvider } from '../../crypto/index.ts'
import type { DocumentScope, Store } from '../../storage/store.ts'
import { appendAudit } from '../audit/audit-service.ts'
import type { Clock, RequestContext } from '../context.ts'
import type { DocumentService } from '../documents/document-service.ts'
import { resolveProject } from '../projects/targets.ts'
import { deriveScanKey, loadOrCreateScanSecret } from './scan-secret.ts'

export interface ScanDeps {
  store: Store
  /** Reads documents; the plain service (reading never triggers a release). */
  documents: Pick<DocumentService, 'read'>
  provider: KeyProvider
  clock: Clock
}

/** What a scanner gets: the project's scan key and one keyed fingerprint per secret value. */
export interface Fingerprints {
  scanKey: Buffer
  items: FingerprintItem[]
  /** Environments left out because the caller may neither reveal nor deploy there. */
  skipped: string[]
}

// A fingerprint lets its holder confirm a guessed value offline, so it is given only to callers
// who could obtain the value anyway: by revealing it or by deploying the environment.
function mayFingerprint(actor: Actor, target: AccessTarget): boolean {
  return can(actor, 'secrets:reveal', target) || decideDeployedSecrets(actor, target) === 'allow'
}

/**
 * Keyed fingerprints of a project's secret values for `tresor scan`, never the values. Loads
 * the server's scan secret on first use.
 */
export function createScanService(deps: ScanDeps) {
  const { store, documents, clock } = deps
  let secret: Promise<Buffer> | undefined
  // Loaded once; a failure (database down) is not remembered, so the next request retries.
  const scanSecret = () => {
    secret ??= loadOrCreateScanSecret(store, deps.provider, clock).catch((err: unknown) => {
      secret = undefined
      throw err
    })
    return secret
  }

  async function secretsOf(scope: DocumentScope, env: string | null, key: Buffer) {
    const state = await documents.read(scope)
    const items: FingerprintItem[] = []
    for (const [name, value] of state.values) {
      if (state.meta.get(name)?.kind !== 'secret' || !isFingerprintable(value)) continue
      items.push(fingerprintItem(key, name, env, value))
    }
    return items
  }

  /** Fingerprints of every secret the caller may reveal or deploy; audited, names only. */
  async function fingerprints(ctx: RequestContext, projectRef: string): Promise<Fingerprints> {
    const project = await resolveProject(store, ctx, projectRef, 'read')
    const ws = project.workspaceId
    const scanKey = deriveScanKey(await scanSecret(), project.id)
    const out: Fingerprints = { scanKey, items: [], skipped: [] }
    const envs = await store.environments.list(ws, project.id)
    const shared = { workspaceId: ws, projectId: project.id }
    let allowed = 0
    if (mayFingerprint(ctx.actor, shared) && ctx.actor.environmentIds === undefined) {
      allowed++
      out.items.push(...(await secretsOf({ ...shared, environmentId: null }, null, scanKey)))
    }
    for (const env of envs) {
      const target = { ...shared, environmentId: env.id, environmentSlug: env.slug }
      if (!mayFingerprint(ctx.actor, target)) {
        if (can(ctx.actor, 'read', target)) out.skipped.push(env.slug)
        continue
      }
      allowed++
      out.items.push(...(await secretsOf({ ...shared, environmentId: env.id }, env.slug, scanKey)))
    }
    if (allowed === 0) {
      throw new AppError(
        'FORBIDDEN',
        'scan fingerprints need the secrets:reveal or deploy scope on an environment of this project',
      )
    }
    await audit(ctx, project.id, out)
    return out
  }

  async function audit(ctx: RequestContext, projectId: string, out: Fingerprints) {
    const keys = [...new Set(out.items.map((i) => i.key))].sort()
    await store.transaction((tx) =>
      appendAudit(
        tx,
        ctx,
        {
          workspaceId: ctx.actor.workspaceId,
          projectId,
          action: 'scan.fingerprints.read',
          keys,
          detail: { count: out.items.length, skipped: out.skipped },
        },
        clock.now(),
      ),
    )
  }

  return { fingerprints }
}

export type ScanService = ReturnType<typeof createScanService>
