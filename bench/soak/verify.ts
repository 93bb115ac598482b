// The soak's end checks: every acknowledged write is present with its value, read from servers
// other than the one that acknowledged it (lists for names and config values, reveals for
// secrets), and the audit chain verifies.
import type { JsonClient } from './http.ts'
import type { AckedVar } from './types.ts'

export interface Verdict {
  problems: string[]
  keysChecked: number
  secretsRevealed: number
  auditEvents: number
}

type Listed = { vars: Array<{ key: string; value?: string }> }

/** Runs `fn` over `items` with at most `width` in flight. */
async function pool<T>(items: T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const lanes = Array.from({ length: width }, async () => {
    while (next < items.length) await fn(items[next++] as T)
  })
  await Promise.all(lanes)
}

async function checkLists(
  http: JsonClient,
  urls: Map<number, string>,
  base: string,
  acked: AckedVar[],
  problems: string[],
): Promise<void> {
  for (const env of new Set(acked.map((a) => a.env))) {
    for (const [index, url] of urls) {
      const res = await http.send(url, 'GET', `${base}/${env}/vars`)
      if (res.status !== 200) {
        problems.push(`list of ${env} on server ${index}: status ${res.status}`)
        continue
      }
      const listed = new Map((res.body as Listed).vars.map((v) => [v.key, v.value]))
      for (const a of acked.filter((x) => x.env === env)) {
        if (!listed.has(a.key)) problems.push(`${a.key} missing on server ${index}`)
        else if (!a.secret && !a.values.includes(listed.get(a.key) ?? '')) {
          problems.push(`${a.key} has another value on server ${index}`)
        }
      }
    }
  }
}

/** Every live server exports metrics, and no label carries a key name the clients wrote. */
async function checkMetrics(http: JsonClient, urls: Map<number, string>, problems: string[]) {
  for (const [index, url] of urls) {
    const res = await http.send(url, 'GET', '/metrics')
    const text = typeof res.body === 'string' ? res.body : ''
    if (res.status !== 200 || !text.includes('tresor_http_requests_total{')) {
      problems.push(`metrics of server ${index}: status ${res.status}, no request counter`)
    }
    if (/C\d+_(M\d+|CAS)/.test(text)) problems.push(`metrics of server ${index} name a key`)
  }
}

/** Checks the acknowledged writes against the live servers (`urls`: index → base URL). */
export async function verifyAcked(
  http: JsonClient,
  urls: Map<number, string>,
  project: string,
  acked: AckedVar[],
): Promise<Verdict> {
  const problems: string[] = []
  const base = `/v1/projects/${project}/environments`
  await checkLists(http, urls, base, acked, problems)
  const secrets = acked.filter((a) => a.secret)
  const live = [...urls.keys()]
  await pool(secrets, 16, async (a) => {
    const other = live.find((i) => i !== a.writer) ?? live[0] ?? 0
    const res = await http.send(
      urls.get(other) ?? '',
      'POST',
      `${base}/${a.env}/vars/${a.key}/reveal`,
    )
    const value = (res.body as { value?: string } | undefined)?.value ?? ''
    if (res.status !== 200)
      problems.push(`reveal ${a.key} on server ${other}: status ${res.status}`)
    else if (!a.values.includes(value)) problems.push(`${a.key} reveals another value`)
  })
  await checkMetrics(http, urls, problems)
  const first = urls.values().next().value ?? ''
  const audit = await http.send(first, 'GET', '/v1/audit/verify')
  const body = audit.body as { ok?: boolean; count?: number; reason?: string }
  if (audit.status !== 200 || body.ok !== true) {
    problems.push(`audit chain: status ${audit.status}, ${body.reason ?? 'not ok'}`)
  }
  return {
    problems,
    keysChecked: acked.length,
    secretsRevealed: secrets.length,
    auditEvents: body.count ?? 0,
  }
}
