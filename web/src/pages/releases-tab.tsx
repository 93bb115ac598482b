import { useState } from 'react'
import type { Environment, Release } from '../api/types.ts'
import { Confirm } from '../components/confirm.tsx'
import { ErrorBox } from '../components/error-box.tsx'
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

/** Releases (deploys) newest first: number, status, the revision each holds; roll back to one. */
export function ReleasesTab({ project, env, tick, onChanged }: Props) {
  const { api, me, nameOf } = useSession()
  const releases = useLoad(() => api.releases(project, env.slug), [api, project, env.slug, tick])
  const [target, setTarget] = useState<Release | undefined>(undefined)
  const [error, setError] = useState<unknown>(undefined)
  const [note, setNote] = useState('')
  const rollback = (r: Release) => {
    setTarget(undefined)
    api.rollback(project, env.slug, r.number).then((made) => {
      setNote(`Rolled back: release ${made.number} restores release ${r.number}.`)
      onChanged()
    }, setError)
  }
  const list = [...(releases.data ?? [])].sort((a, b) => b.number - a.number)
  return (
    <section aria-labelledby="releases-title">
      <h2 id="releases-title">Releases</h2>
      <p className="status-line" role="status">
        {note}
      </p>
      <ErrorBox error={releases.error ?? error} title="Releases" />
      {releases.data !== undefined && list.length === 0 && (
        <p className="muted">No releases yet: deploy to make the first one.</p>
      )}
      {list.length > 0 && (
        <table className="releases">
          <thead>
            <tr>
              <th scope="col">Release</th>
              <th scope="col">Status</th>
              <th scope="col">Revision</th>
              <th scope="col">Made</th>
              <th scope="col">Deploy id</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((r) => (
              <tr key={r.id}>
                <th scope="row" data-label="Release">
                  Release {r.number}
                </th>
                <td data-label="Status">
                  <span className={`status status-${r.status}`}>{r.status}</span>
                </td>
                <td data-label="Revision">{r.revision}</td>
                <td data-label="Made" title={shortTime(r.createdAt)}>
                  {relativeTime(r.createdAt)} <span className="muted">by {nameOf(r.author)}</span>
                </td>
                <td data-label="Deploy id">
                  <code className="small">{r.deployId}</code>
                </td>
                <td className="row-actions">
                  {mayWrite(me) &&
                    r.status !== 'failed' &&
                    (r.status !== 'active' || env.redeployRequired) && (
                      <button type="button" onClick={() => setTarget(r)}>
                        Roll back to {r.number}
                      </button>
                    )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {target !== undefined && (
        <Confirm
          title={`Roll back to release ${target.number}?`}
          confirmLabel="Roll back"
          onConfirm={() => rollback(target)}
          onCancel={() => setTarget(undefined)}
        >
          <p>
            The variables of release {target.number} (revision {target.revision}) become the current
            ones, and a new release is made from them at once.
          </p>
        </Confirm>
      )}
    </section>
  )
}
