import { describe, expect, it } from 'vitest'
import { withSessionRefresh } from './session-refresh.ts'
import type { TransportRequest, TransportResponse } from './transport.ts'

const OLD = `tresor_ses_${'a'.repeat(43)}`
const NEW = `tresor_ses_${'b'.repeat(43)}`

// A server that accepts only NEW, recording the bearer of every request it gets.
function server() {
  const seen: string[] = []
  const transport = (req: TransportRequest): Promise<TransportResponse> => {
    const auth = req.headers.authorization ?? ''
    seen.push(auth.replace(/^Bearer /, ''))
    const ok = auth === `Bearer ${NEW}` || !auth.includes('tresor_ses_')
    return Promise.resolve({ status: ok ? 200 : 401, header: () => undefined, body: req.url })
  }
  return { seen, transport }
}

const req = (token: string, url = '/v1/whoami'): TransportRequest => ({
  method: 'GET',
  url,
  headers: { authorization: `Bearer ${token}` },
  timeoutMs: 1000,
})

describe('withSessionRefresh', () => {
  it('renews once on 401, retries that request once, and sends the new bearer from then on', async () => {
    const s = server()
    const renewed: string[] = []
    const t = withSessionRefresh(s.transport, (failed) => {
      renewed.push(failed)
      return Promise.resolve(NEW)
    })
    const [a, b] = await Promise.all([t(req(OLD, '/a')), t(req(OLD, '/b'))])
    expect([a.status, a.body, b.status, b.body]).toEqual([200, '/a', 200, '/b'])
    expect(renewed).toEqual([OLD])
    expect((await t(req(OLD, '/c'))).status).toBe(200)
    expect(s.seen).toEqual([OLD, OLD, NEW, NEW, NEW])
  })

  it('passes other tokens and other statuses through untouched, and a failed renewal up', async () => {
    const s = server()
    let calls = 0
    const t = withSessionRefresh(s.transport, () => {
      calls++
      return Promise.reject(new Error('session over'))
    })
    expect((await t(req('tresor_pat_x'))).status).toBe(200)
    await expect(t(req(OLD))).rejects.toThrow('session over')
    expect(calls).toBe(1)
    expect(s.seen).toEqual(['tresor_pat_x', OLD])
  })
})
