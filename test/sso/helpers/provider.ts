// A real OpenID provider for the SSO tests: `oidc-provider` 8 on 127.0.0.1 port 0 with its
// development login and consent pages, the device flow, short token lifetimes, and users whose
// email and groups claims the tests choose. `tamper` alters the ID token of the next token
// responses (a provider-side forgery), to prove Tresor refuses it.
import { createServer, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { randomBytes } from 'node:crypto'
import Provider from 'oidc-provider'

export interface TestUser {
  email: string
  name?: string
  groups?: string[]
  /** Default true; null leaves the `email_verified` claim out. */
  emailVerified?: boolean | null
  /** Removed or disabled at the provider: no login, no refresh. */
  disabled?: boolean
}

export interface TestProvider {
  issuer: string
  clientId: string
  clientSecret: string
  users: Map<string, TestUser>
  /** 'signature' flips a byte of the ID token's signature; 'audience' re-signs nothing, swaps aud. */
  tamper: 'signature' | 'audience' | undefined
  /**
   * The `interval` (seconds) the device authorization response names, as providers may
   * (oidc-provider names none, which means 5 s): short, so that CLI tests poll quickly.
   */
  deviceInterval: number | undefined
  close(): Promise<void>
}

function flipSignature(jwt: string): string {
  const [h, p, s] = jwt.split('.')
  const sig = Buffer.from(s ?? '', 'base64url')
  sig[0] = (sig[0] ?? 0) ^ 0xff
  return `${h}.${p}.${sig.toString('base64url')}`
}

function swapAudience(jwt: string): string {
  const [h, p, s] = jwt.split('.')
  const claims = JSON.parse(Buffer.from(p ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >
  claims.aud = 'someone-else'
  return `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`
}

/** Starts the provider; `redirectUri` is Tresor's `/v1/sso/callback`. */
export async function startProvider(redirectUri: string): Promise<TestProvider> {
  const server: Server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  // `localhost`, not 127.0.0.1 (where Tresor is): the provider is then another site, as in real
  // life, so the browser applies the cross-site cookie rules on the redirects between them.
  const issuer = `http://localhost:${(server.address() as AddressInfo).port}`
  const clientId = 'tresor'
  const clientSecret = `cs_${randomBytes(24).toString('hex')}`
  const users = new Map<string, TestUser>()
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        grant_types: [
          'authorization_code',
          'refresh_token',
          'urn:ietf:params:oauth:grant-type:device_code',
        ],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    findAccount(_ctx, id) {
      const user = users.get(id)
      if (user === undefined || user.disabled === true) return Promise.resolve(undefined)
      return Promise.resolve({
        accountId: id,
        claims: () => ({
          sub: id,
          email: user.email,
          ...(user.emailVerified === null ? {} : { email_verified: user.emailVerified ?? true }),
          name: user.name ?? id,
          groups: user.groups ?? [],
        }),
      })
    },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
    features: { devInteractions: { enabled: true }, deviceFlow: { enabled: true } },
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    ttl: {
      AccessToken: 60,
      IdToken: 60,
      RefreshToken: 3600,
      DeviceCode: 300,
      Interaction: 600,
      Session: 600,
      Grant: 3600,
    },
    cookies: { keys: [randomBytes(16).toString('hex')] },
  })
  provider.on('server_error', () => undefined)
  const handler = provider.callback()
  const state: TestProvider = {
    issuer,
    clientId,
    clientSecret,
    users,
    tamper: undefined,
    deviceInterval: undefined,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
  server.on('request', (req, res) => {
    if (state.deviceInterval !== undefined && req.url?.startsWith('/device/auth') === true)
      rewriteJson(res, (body) => ({ ...body, interval: state.deviceInterval }))
    const tamper = state.tamper
    if (tamper !== undefined && req.url?.startsWith('/token') === true)
      rewriteJson(res, (body) =>
        typeof body.id_token === 'string'
          ? {
              ...body,
              id_token:
                tamper === 'signature' ? flipSignature(body.id_token) : swapAudience(body.id_token),
            }
          : body,
      )
    handler(req, res)
  })
  return state
}

/** Rewrites the JSON body of a response on its way out. */
function rewriteJson(
  res: ServerResponse,
  change: (body: Record<string, unknown>) => Record<string, unknown>,
): void {
  const write = res.end.bind(res)
  res.end = ((chunk?: unknown) => {
    const text = Buffer.isBuffer(chunk)
      ? chunk.toString('utf8')
      : typeof chunk === 'string'
        ? chunk
        : ''
    try {
      const out = JSON.stringify(change(JSON.parse(text) as Record<string, unknown>))
      res.setHeader('content-length', Buffer.byteLength(out))
      return write(out)
    } catch {
      return write(chunk as string)
    }
  }) as typeof res.end
}
