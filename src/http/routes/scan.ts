import { ProjectParamsSchema } from '../../api/common.ts'
import { ScanFingerprintsSchema } from '../../api/scan.ts'
import { MIN_FINGERPRINT_LENGTH } from '../../core/scan/index.ts'
import type { ScanService } from '../../services/scan/scan-service.ts'
import type { TresorApp } from '../build-server.ts'
import { ctxOf, PROJECT_PREFIXES } from './route-deps.ts'

/** `GET …/scan-fingerprints`: what `tresor scan` needs to find the project's own secrets. */
export function scanRoutes(deps: { scan: ScanService }) {
  return (app: TresorApp) => {
    for (const prefix of PROJECT_PREFIXES) {
      app.get(
        `${prefix}/scan-fingerprints`,
        {
          schema: {
            tags: ['scan'],
            hide: prefix.startsWith('/v1/repos'),
            summary: 'Keyed fingerprints of the secret values, for the leak scanner',
            description:
              'Needs `secrets:reveal` or `deploy` on an environment: a fingerprint lets its ' +
              'holder test a guessed value offline. Environments without either are skipped.',
            params: ProjectParamsSchema,
            response: { 200: ScanFingerprintsSchema },
          },
        },
        async (req, reply) => {
          const out = await deps.scan.fingerprints(ctxOf(req), req.params.project)
          void reply.header('cache-control', 'no-store')
          return {
            algorithm: 'hmac-sha256-128' as const,
            scanKey: out.scanKey.toString('base64'),
            minLength: MIN_FINGERPRINT_LENGTH,
            items: out.items,
            skipped: out.skipped,
          }
        },
      )
    }
  }
}
