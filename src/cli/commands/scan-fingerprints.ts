import type { ScanFingerprints } from '../../api/scan.ts'
import { createCaller, parseJson } from '../../client/request.ts'
import { AppError } from '../../core/errors.ts'
import { createFingerprintSet, type FingerprintSet } from '../../core/scan/index.ts'
import { transportFor } from '../context.ts'
import type { VerbContext } from '../spec.ts'

/** The project's fingerprints, or why the scan goes without them. */
export type OwnSecrets =
  | { ok: true; project: string; set: FingerprintSet; wire: ScanFingerprints }
  | { ok: false; reason: string }

// Settings come from flags, the environment or `tresor link`; only flags make them mandatory.
function explicitlyAsked(ctx: VerbContext): boolean {
  return ctx.flags.project !== undefined || ctx.flags.url !== undefined
}

/** `GET …/scan-fingerprints` through the API client's caller (same errors, same transport). */
export async function fetchFingerprints(
  ctx: VerbContext,
  project: string,
): Promise<ScanFingerprints> {
  const { url, token, renew } = ctx.server()
  if (token === undefined)
    throw new AppError(
      'UNAUTHENTICATED',
      `not logged in to ${url}: run tresor login, or set TRESOR_TOKEN`,
    )
  const call = createCaller({
    baseUrl: url,
    token,
    transport: transportFor(renew),
    userAgent: `tresor-cli/${ctx.io.version}`,
  })
  const res = await call({
    method: 'GET',
    path: `/v1/projects/${encodeURIComponent(project)}/scan-fingerprints`,
  })
  const body = parseJson(res)
  if (!isFingerprints(body))
    throw new AppError('INTERNAL', 'the server answered scan-fingerprints with an unexpected shape')
  return body
}

// A structural check instead of the zod schema: client verbs must not load zod at start-up.
function isFingerprints(v: unknown): v is ScanFingerprints {
  const o = v as Partial<ScanFingerprints> | null
  return (
    typeof o === 'object' &&
    o !== null &&
    o.algorithm === 'hmac-sha256-128' &&
    typeof o.scanKey === 'string' &&
    typeof o.minLength === 'number' &&
    Array.isArray(o.skipped) &&
    Array.isArray(o.items) &&
    o.items.every(
      (i) =>
        typeof i.key === 'string' &&
        typeof i.length === 'number' &&
        typeof i.hint === 'number' &&
        typeof i.fingerprint === 'string',
    )
  )
}

/**
 * Loads the fingerprints of the project's secrets when a project and server are configured.
 * Without them (or when the server cannot be reached) the scan still runs its credential rules
 * and says why own secrets were not checked, unless `-p`/`--url` asked for them explicitly.
 */
export async function loadOwnSecrets(ctx: VerbContext, offline: boolean): Promise<OwnSecrets> {
  if (offline) return { ok: false, reason: '--offline' }
  let project: string
  try {
    project = ctx.project()
    ctx.server()
  } catch (err) {
    if (explicitlyAsked(ctx) || !(err instanceof Error)) throw err
    return { ok: false, reason: err.message }
  }
  try {
    const wire = await fetchFingerprints(ctx, project)
    const set = createFingerprintSet(Buffer.from(wire.scanKey, 'base64'), wire.items)
    return { ok: true, project, set, wire }
  } catch (err) {
    if (explicitlyAsked(ctx) || !(err instanceof AppError)) throw err
    return { ok: false, reason: `${err.code}: ${err.message}` }
  }
}
