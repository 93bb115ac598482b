// Approves (or declines) a device code at the real oidc-provider the way a person's browser
// would, with plain HTTP: open the verification page, submit its forms (the auto-posting one,
// the "Confirm Device" one, the login form with this user's login, the consent form), follow
// every redirect with the provider's cookies, and stop at its success (or error) page.

const decode = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\b${name}="([^"]*)"`).exec(tag)
  return m?.[1] === undefined ? undefined : decode(m[1])
}

interface Form {
  id: string | undefined
  action: string
  fields: Record<string, string>
}

function firstForm(html: string): Form | undefined {
  const m = /<form\b([^>]*)>([\s\S]*?)<\/form>/.exec(html)
  if (m === null) return undefined
  const fields: Record<string, string> = {}
  for (const input of (m[2] ?? '').matchAll(/<input\b[^>]*>/g)) {
    const name = attr(input[0], 'name')
    if (name !== undefined) fields[name] = attr(input[0], 'value') ?? ''
  }
  return { id: attr(m[1] ?? '', 'id'), action: attr(m[1] ?? '', 'action') ?? '', fields }
}

class CookieJar {
  private readonly cookies = new Map<string, string>()
  take(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';')
      const eq = (pair ?? '').indexOf('=')
      const name = (pair ?? '').slice(0, eq).trim()
      const value = (pair ?? '').slice(eq + 1).trim()
      const expired = attrs.some((a) => /^\s*(max-age=0|expires=Thu, 01 Jan 1970)/i.test(a))
      if (value === '' || expired) this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }
}

/** Walks the provider's pages from `pageUrl` as user `login`; returns the last page's text. */
export async function approveDevice(
  pageUrl: string,
  login: string,
  opts: { decline?: boolean } = {},
): Promise<string> {
  const jar = new CookieJar()
  let url = new URL(pageUrl)
  let body: URLSearchParams | undefined
  for (let step = 0; step < 25; step++) {
    const res = await fetch(url, {
      method: body === undefined ? 'GET' : 'POST',
      redirect: 'manual',
      headers: {
        cookie: jar.header(),
        ...(body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
      },
      ...(body === undefined ? {} : { body: body.toString() }),
    })
    jar.take(res)
    const location = res.headers.get('location')
    if (res.status >= 300 && res.status < 400 && location !== null) {
      url = new URL(location, url)
      body = undefined
      continue
    }
    const html = await res.text()
    const form = firstForm(html)
    // The code-entry form comes back after a decline or a bad code: an end, not a step.
    if (form === undefined || res.status >= 400 || form.id === 'op.deviceInputForm') return html
    const fields = { ...form.fields }
    if ('login' in fields) Object.assign(fields, { login, password: 'any-password' })
    if (form.id === 'op.deviceConfirmForm' && opts.decline === true) {
      delete fields.confirm
      fields.abort = 'yes'
    }
    url = new URL(form.action, url)
    body = new URLSearchParams(fields)
  }
  throw new Error('the provider pages did not end in 25 steps')
}

/** What `POST /v1/sso/device` answers. */
export interface DeviceStart {
  deviceCode: string
  userCode: string
  verificationUri: string
  verificationUriComplete: string | null
  expiresIn: number
  interval: number
}

type Call = (
  method: string,
  path: string,
  body?: unknown,
  auth?: string,
) => Promise<{ status: number; body: Record<string, unknown>; text: string }>

/**
 * The device flow through Tresor's API, as the CLI runs it: start, approve at the provider as
 * `login`, then poll at the interval until an answer other than pending/slow_down.
 */
export async function deviceLogin(call: Call, login: string) {
  const start = (await call('POST', '/v1/sso/device', {}, 'none')).body as unknown as DeviceStart
  const page = await approveDevice(start.verificationUriComplete ?? '', login)
  let wait = start.interval
  for (;;) {
    await new Promise((r) => setTimeout(r, wait * 1000))
    const res = await call('POST', '/v1/sso/device/token', { deviceCode: start.deviceCode }, 'none')
    if (res.status !== 200 || res.body.status === 'complete') return { start, page, res }
    wait = Number(res.body.interval)
  }
}
