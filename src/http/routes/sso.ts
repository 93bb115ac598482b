import type { FastifyRequest } from 'fastify'
import {
  DeviceStartSchema,
  DeviceTokenBodySchema,
  DeviceTokenSchema,
  PutSsoConfigBodySchema,
  SsoConfigSchema,
  SsoStatusSchema,
} from '../../api/sessions.ts'
import { isAppError } from '../../core/errors.ts'
import { LOGIN_STATE_COOKIE, LOGIN_STATE_SECONDS } from '../../services/sessions/login-state.ts'
import type { SsoConfig } from '../../services/sessions/sso-config.ts'
import type { SsoService } from '../../services/sessions/sso-service.ts'
import { readCookie } from '../auth.ts'
import type { TresorApp } from '../build-server.ts'
import { isSecureRequest, sessionCookie } from '../session-cookie.ts'
import { ctxOf } from './route-deps.ts'

export interface SsoRouteDeps {
  sso: SsoService
  ssoConfig: SsoConfig
  publicUrl: string | undefined
}

const CALLBACK = '/v1/sso/callback'

/** The server's own base URL: TRESOR_PUBLIC_URL, else what this request was addressed to. */
function baseOf(req: FastifyRequest, publicUrl: string | undefined): string {
  return publicUrl ?? `${req.protocol}://${req.host}`
}

function stateCookie(value: string, secure: boolean, maxAge: number): string {
  return `${LOGIN_STATE_COOKIE}=${value}; Path=/v1/sso; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`
}

/** Single sign-on: the public login/callback/device endpoints and the admin configuration. */
export function ssoRoutes(deps: SsoRouteDeps) {
  return (app: TresorApp) => {
    const pub = { public: true }
    app.get(
      '/v1/sso',
      { config: pub, schema: { tags: ['sso'], response: { 200: SsoStatusSchema } } },
      () => deps.sso.status(),
    )
    app.get(
      '/v1/sso/login',
      {
        config: pub,
        // Browser navigations answered with redirects, not API calls: kept out of OpenAPI.
        schema: {
          tags: ['sso'],
          hide: true,
          summary: 'Redirects the browser to the identity provider',
        },
      },
      async (req, reply) => {
        const base = baseOf(req, deps.publicUrl)
        try {
          const { url, cookie } = await deps.sso.beginLogin(base + CALLBACK)
          const secure = isSecureRequest(req, deps.publicUrl)
          void reply.header('set-cookie', stateCookie(cookie, secure, LOGIN_STATE_SECONDS))
          return reply.redirect(url, 302)
        } catch (err) {
          req.log.warn({ err: isAppError(err) ? err.code : 'provider unreachable' }, 'sso login')
          return reply.redirect(`${base}/?sso_error=unavailable`, 303)
        }
      },
    )
    app.get(
      CALLBACK,
      {
        config: pub,
        schema: { tags: ['sso'], hide: true, summary: 'The provider sends the browser back here' },
      },
      async (req, reply) => {
        const base = baseOf(req, deps.publicUrl)
        const secure = isSecureRequest(req, deps.publicUrl)
        const state = readCookie(req.headers.cookie, LOGIN_STATE_COOKIE)
        const cleared = stateCookie('', secure, 0)
        try {
          const opened = await deps.sso.finishLogin(new URL(req.url, base), state, {
            ip: req.ip,
            requestId: req.id,
          })
          void reply.header('set-cookie', [cleared, sessionCookie(opened.secret, secure)])
          return reply.redirect(`${base}/`, 303)
        } catch (err) {
          const code = isAppError(err, 'FORBIDDEN') ? 'denied' : 'failed'
          void reply.header('set-cookie', cleared)
          return reply.redirect(`${base}/?sso_error=${code}`, 303)
        }
      },
    )
    app.post(
      '/v1/sso/device',
      {
        config: pub,
        schema: {
          tags: ['sso'],
          summary: 'CLI: start a device authorization at the provider',
          response: { 200: DeviceStartSchema },
        },
      },
      async () => deps.sso.startDevice(),
    )
    app.post(
      '/v1/sso/device/token',
      {
        config: pub,
        schema: {
          tags: ['sso'],
          summary: 'CLI: poll; pending until approved, then a CLI session',
          body: DeviceTokenBodySchema,
          response: { 200: DeviceTokenSchema },
        },
      },
      async (req) => deps.sso.pollDevice(req.body.deviceCode, { ip: req.ip, requestId: req.id }),
    )
    const redirectUri = (req: FastifyRequest) => baseOf(req, deps.publicUrl) + CALLBACK
    app.get(
      '/v1/sso/config',
      { schema: { tags: ['sso'], response: { 200: SsoConfigSchema } } },
      async (req) => deps.ssoConfig.get(ctxOf(req), redirectUri(req)),
    )
    app.put(
      '/v1/sso/config',
      {
        schema: {
          tags: ['sso'],
          body: PutSsoConfigBodySchema,
          response: { 200: SsoConfigSchema },
        },
      },
      async (req) => deps.ssoConfig.put(ctxOf(req), req.body, redirectUri(req)),
    )
    app.delete(
      '/v1/sso/config',
      { schema: { tags: ['sso'], response: { 200: SsoConfigSchema } } },
      async (req) => deps.ssoConfig.remove(ctxOf(req), redirectUri(req)),
    )
  }
}
