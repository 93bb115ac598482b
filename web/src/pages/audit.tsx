import { useState } from 'react'
import type { AuditEvent, AuditQuery, AuditVerify } from '../api/types.ts'
import { Chips } from '../components/chips.tsx'
import { ErrorBox } from '../components/error-box.tsx'
import { shortTime } from '../lib/format.ts'
import { useLoad } from '../lib/use-load.ts'
import { useSession } from '../session.tsx'
import { AuditFilters, EMPTY_FILTERS, type Filters } from './audit-filters.tsx'

const PAGE = 100
const SHOWN_KEYS = 8

function query(f: Filters, before?: number): AuditQuery {
  const q: AuditQuery = { limit: PAGE }
  if (f.project !== '') q.project = f.project
  if (f.project !== '' && f.env !== '') q.env = f.env
  if (f.action !== '') q.action = f.action
  if (f.actor !== '') q.actor = f.actor
  if (f.since !== '') q.since = new Date(`${f.since}T00:00:00`).toISOString()
  if (before !== undefined) q.before = before
  return q
}

function Row({ e }: { e: AuditEvent }) {
  const { nameOf } = useSession()
  return (
    <tr className={e.outcome === 'success' ? undefined : 'failed'}>
      <td data-label="When" className="nowrap" title={e.at}>
        {shortTime(e.at)}
      </td>
      <td data-label="Who">{nameOf(e.actorId)}</td>
      <td data-label="Action">
        <code>{e.action}</code>
      </td>
      <td data-label="Keys">
        {e.keys.length === 0 ? '—' : <Chips items={e.keys} max={SHOWN_KEYS} />}
      </td>
      <td data-label="Outcome">
        <span className={`status status-${e.outcome}`}>{e.outcome}</span>
      </td>
      <td data-label="From">{e.ip ?? '—'}</td>
    </tr>
  )
}

/** The audit log (who did what to which key, never a value), filtered; and the chain check. */
export function AuditPage() {
  const { api } = useSession()
  const [filters, setFilters] = useState<Filters>(EMPTY_FILTERS)
  const [older, setOlder] = useState<AuditEvent[]>([])
  const [verify, setVerify] = useState<AuditVerify | undefined>(undefined)
  const [error, setError] = useState<unknown>(undefined)
  const events = useLoad(() => api.audit(query(filters)), [api, filters])
  const shown = [...(events.data ?? []), ...older]
  const apply = (next: Filters) => {
    setOlder([])
    setFilters(next)
  }
  const more = () => {
    const last = shown[shown.length - 1]
    if (last !== undefined)
      api.audit(query(filters, last.seq)).then((next) => setOlder([...older, ...next]), setError)
  }
  return (
    <main id="main" className="page">
      <div className="page-head">
        <h1>Audit log</h1>
        <button type="button" onClick={() => void api.verifyAudit().then(setVerify, setError)}>
          Verify the chain
        </button>
      </div>
      {verify !== undefined && (
        <p role="status" className={verify.ok ? 'alert alert-ok' : 'alert alert-error'}>
          {verify.ok
            ? `The chain of ${verify.count} events is intact.`
            : `The chain is broken at event ${verify.brokenAt ?? '?'}: ${verify.reason ?? 'unknown reason'}.`}
        </p>
      )}
      <AuditFilters onApply={apply} />
      <ErrorBox error={events.error ?? error} title="Audit log" />
      {events.data !== undefined && shown.length === 0 && <p className="muted">No events match.</p>}
      {shown.length > 0 && (
        <div className="scroll">
          <table className="audit">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">Keys</th>
                <th scope="col">Outcome</th>
                <th scope="col">From</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((e) => (
                <Row key={e.id} e={e} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {shown.length > 0 && shown.length % PAGE === 0 && (
        <button type="button" onClick={more}>
          Older events
        </button>
      )}
    </main>
  )
}
