import { useId, useState, type FormEvent } from 'react'
import { useLoad } from '../lib/use-load.ts'
import { useSession } from '../session.tsx'

/** What the audit log is narrowed to; empty strings mean "any". */
export interface Filters {
  project: string
  env: string
  action: string
  actor: string
  since: string
}

export const EMPTY_FILTERS: Filters = { project: '', env: '', action: '', actor: '', since: '' }

/** The audit log's filter form; the log reloads when it is submitted. */
export function AuditFilters({ onApply }: { onApply: (f: Filters) => void }) {
  const { api } = useSession()
  const id = useId()
  const [draft, setDraft] = useState<Filters>(EMPTY_FILTERS)
  const projects = useLoad(() => api.projects(), [api])
  const set = (k: keyof Filters) => (e: { target: { value: string } }) =>
    setDraft({ ...draft, [k]: e.target.value })
  const apply = (e: FormEvent) => {
    e.preventDefault()
    onApply(draft)
  }
  return (
    <form className="filters" onSubmit={apply} aria-label="Filter the audit log">
      <div className="field">
        <label htmlFor={`${id}-project`}>Project</label>
        <select id={`${id}-project`} value={draft.project} onChange={set('project')}>
          <option value="">All</option>
          {projects.data?.map((p) => (
            <option key={p.id} value={p.slug}>
              {p.slug}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-env`}>Environment</label>
        <input
          id={`${id}-env`}
          value={draft.env}
          onChange={set('env')}
          disabled={draft.project === ''}
          placeholder="production"
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-action`}>Action</label>
        <input
          id={`${id}-action`}
          value={draft.action}
          onChange={set('action')}
          placeholder="vars.reveal"
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-actor`}>Actor id</label>
        <input id={`${id}-actor`} value={draft.actor} onChange={set('actor')} placeholder="mem_…" />
      </div>
      <div className="field">
        <label htmlFor={`${id}-since`}>Since</label>
        <input id={`${id}-since`} type="date" value={draft.since} onChange={set('since')} />
      </div>
      <button type="submit" className="primary">
        Filter
      </button>
    </form>
  )
}
