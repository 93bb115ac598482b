import type { Environment } from '../api/types.ts'
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

/** Releases (deploys) newest first: number, status, the revision each holds; roll back to one. */
export function ReleasesTab({ project, env, tick, onChanged }: Props) {
  const { api, me, nameOf } = useSession()
  const releases = useLoad(() => api.releases(project, env.slug), [api, project, env.slug, tick])
  const { ask, error, note, dialog } = useRollback(project, env.slug, onChanged)
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
                      <button type="button" onClick={() => ask(r)}>
                        Roll back to {r.number}
                      </button>
                    )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {dialog}
    </section>
  )
}
