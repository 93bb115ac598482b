import { createClient, type DeviceToken } from '../../client/index.ts'
import { netTransport } from '../../client/net-transport.ts'
import { AppError } from '../../core/errors.ts'
import { clientFor } from '../context.ts'
import {
  credentialsPath,
  readCredentials,
  ssoCredentials,
  writeCredentials,
} from '../credentials.ts'
import type { Result, VerbContext } from '../spec.ts'

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * `tresor login --sso`: the OAuth device authorization (RFC 8628) run by the Tresor server at the
 * workspace's identity provider. Shows the URL and code on stderr, polls at the pace the server
 * asks (slow_down makes it slower), then saves the session's bearer, refresh secret and expiry in
 * the credentials file (0600). The CLI never talks to the provider and never sees its secrets.
 */
export async function loginSso(ctx: VerbContext, url: string): Promise<Result> {
  const { io } = ctx
  const api = createClient({
    ...{ baseUrl: url, transport: netTransport() },
    userAgent: `tresor-cli/${io.version}`,
  }).sessions
  const start = await api.startDevice()
  const page = start.verificationUriComplete ?? start.verificationUri
  io.stderr(
    `To sign in, open ${page}\nin a browser and check that it shows the code ${start.userCode}` +
      `\n(or open ${start.verificationUri} and enter that code).\nWaiting for the sign-in…\n`,
  )
  const done = await poll(api.pollDevice, start.deviceCode, start.interval, start.expiresIn)
  const path = credentialsPath(io)
  const previous = readCredentials(path).servers[url]
  const me = await clientFor(io, url, done.session).whoami()
  const creds = readCredentials(path)
  creds.servers[url] = ssoCredentials(done)
  creds.default = url
  writeCredentials(path, creds)
  // A session this login replaces is ended on the server too (best effort: it may be over).
  if (previous?.sso !== undefined)
    await clientFor(io, url, previous.token)
      .sessions.signOut()
      .catch(() => undefined)
  return {
    json: { url, ...me, credentials: path, expiresAt: done.expiresAt },
    notes: [
      `Logged in to ${url} as ${me.role ?? me.actor.kind} (${me.actor.id}) with single sign-on; ` +
        `session saved in ${path} until ${done.expiresAt}.`,
    ],
  }
}

type Complete = Extract<DeviceToken, { status: 'complete' }>

async function poll(
  pollDevice: (deviceCode: string) => Promise<DeviceToken>,
  deviceCode: string,
  interval: number,
  expiresIn: number,
): Promise<Complete> {
  const deadline = Date.now() + expiresIn * 1000
  let wait = Math.max(1, interval)
  while (Date.now() + wait * 1000 < deadline) {
    await sleep(wait * 1000)
    const answer = await pollDevice(deviceCode)
    if (answer.status === 'complete') return answer
    // RFC 8628 §3.5: the server's interval, which slow_down made 5 s longer for good.
    wait = Math.max(wait, answer.interval)
  }
  throw new AppError('GONE', 'the sign-in was not approved in time: run tresor login --sso again')
}
