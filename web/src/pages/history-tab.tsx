import { useState } from 'react'
import type { Diff, Environment, Release, Revision } from '../api/types.ts'
import { DiffView } from '../components/diff-view.tsx'
import { Chips } from '../components/chips.tsx'
import { ErrorBox } from '../components/error-box.tsx'
import { useRollback } from '../components/rollback.tsx'
import { relativeTime, shortTime } from '../lib/format.ts'
import { mayWrite } from '../lib/permissions.ts'
import { useLoad } from '../lib/use-load.ts'
import { useSession } from '../session.tsx'

interface Props {
  project: string
  env: Environment
  tick: number
  onChanged: () => void
}

function RevisionItem(props: {
  project: string
  env: string
  rev: Revision
  releases: Release[]
  /** The environment has changes since its current release (rolling back to it drops them). */
  pending: boolean
  onRollback: (r: Release) => void
}) {
  const { project, env, rev, releases, pending, onRollback } = props
  const { api, me, nameOf } = useSession()
  const [diff, setDiff] = useState<Diff | undefined>(undefined)
  const [open, setOpen] = useState(false)
  const [error, setError] = useState<unknown>(undefined)
  const toggle = () => {
    setOpen(!open)
    if (!open && diff === undefined)
      api.diff(project, env, rev.number - 1, rev.number).then(setDiff, setError)
  }
  const deployed = releases.filter((r) => r.revision === rev.number)
  const latest = deployed.reduce<Release | undefined>(
    (a, r) => (a === undefined || r.number > a.number ? r : a),
    undefined,
  )
  return (
    <li className="card revision">
      <div className="revision-head">
        <h3>Revision {rev.number}</h3>
        <span className="muted" title={shortTime(rev.createdAt)}>
          {relativeTime(rev.createdAt)} by {nameOf(rev.author)}
        </span>
        {deployed.map((r) => (
          <span key={r.id} className={`status status-${r.status}`}>
            release {r.number}
          </span>
        ))}
      </div>
      {rev.message !== null && <p className="small">{rev.message}</p>}
      {rev.changedKeys.length === 0 ? (
        <p className="small">No key changed.</p>
      ) : (
        <Chips items={rev.changedKeys} label={`Keys changed in revision ${rev.number}`} />
      )}
      <div className="actions">
        {rev.number >= 1 && (
          <button type="button" aria-expanded={open} onClick={toggle}>
            {open ? 'Hide changes' : 'Show changes'}
          </button>
        )}
        {mayWrite(me) && latest !== undefined && (latest.status !== 'active' || pending) && (
          <button type="button" onClick={() => onRollback(latest)}>
            Roll back to release {latest.number}
          </button>
        )}
      </div>
      <ErrorBox error={error} />
      {open && diff !== undefined && <DiffView diff={diff} />}
    </li>
  )
}

/** Every revision of the environment, newest first, with its masked diff and a rollback. */
export function HistoryTab({ project, env, tick, onChanged }: Props) {
  const { api } = useSession()
  const loaded = useLoad(
    async () => ({
      revisions: await api.revisions(project, env.slug),
      releases: await api.releases(project, env.slug),
    }),
    [api, project, env.slug, tick],
  )
  const { ask, error, note, dialog } = useRollback(project, env.slug, onChanged)
  const revisions = [...(loaded.data?.revisions ?? [])].sort((a, b) => b.number - a.number)
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      <p className="status-line" role="status">
        {note}
      </p>
      <ErrorBox error={loaded.error ?? error} title="History" />
      {loaded.data !== undefined && revisions.length === 0 && (
        <p className="muted">No changes yet.</p>
      )}
      <ol className="revisions">
        {revisions.map((rev) => (
          <RevisionItem
            key={rev.id}
            project={project}
            env={env.slug}
            rev={rev}
            releases={loaded.data?.releases ?? []}
            pending={env.redeployRequired}
            onRollback={ask}
          />
        ))}
      </ol>
      {dialog}
    </section>
  )
}
