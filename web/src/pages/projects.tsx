import { useState, type FormEvent } from 'react'
import { ErrorBox } from '../components/error-box.tsx'
import { Link } from '../components/link.tsx'
import { navigate, pathOf } from '../lib/router.ts'
import { useLoad } from '../lib/use-load.ts'
import { mayWrite } from '../lib/permissions.ts'
import { useSession } from '../session.tsx'

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/

function NewProject() {
  const { api } = useSession()
  const [slug, setSlug] = useState('')
  const [error, setError] = useState<unknown>(undefined)
  const invalid = slug !== '' && !SLUG.test(slug)
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (!SLUG.test(slug)) return
    api.createProject(slug).then(
      (p) => navigate(pathOf({ page: 'project', project: p.slug })),
      (err: unknown) => setError(err),
    )
  }
  return (
    <form className="inline-form" onSubmit={submit}>
      <div className="field">
        <label htmlFor="new-project">New project</label>
        <input
          id="new-project"
          value={slug}
          onChange={(e) => setSlug(e.target.value)}
          placeholder="myapp"
          aria-invalid={invalid}
          aria-describedby="new-project-hint"
        />
        <p id="new-project-hint" className={invalid ? 'hint error-text' : 'hint'}>
          {invalid
            ? 'Use 1–63 lowercase letters, digits or dashes, starting with a letter or digit'
            : 'Gets development, staging and production environments'}
        </p>
      </div>
      <button type="submit" className="primary" disabled={!SLUG.test(slug)}>
        Create project
      </button>
      <ErrorBox error={error} title="Could not create the project" />
    </form>
  )
}

/** Every project the token can see, with its environments. */
export function ProjectsPage() {
  const { api, me } = useSession()
  const projects = useLoad(() => api.projects(), [api])
  return (
    <main id="main" className="page">
      <h1>Projects</h1>
      <ErrorBox error={projects.error} title="Could not list projects" />
      {projects.data?.length === 0 && <p className="muted">No projects yet.</p>}
      <ul className="project-list">
        {projects.data?.map((p) => (
          <li key={p.id} className="card">
            <h2>
              <Link href={pathOf({ page: 'project', project: p.slug })}>{p.name || p.slug}</Link>
            </h2>
            {p.name !== '' && p.name !== p.slug && <p className="muted small">{p.slug}</p>}
            <ul className="chips" aria-label={`Environments of ${p.slug}`}>
              {p.environments.map((e) => (
                <li key={e.id}>
                  <Link href={pathOf({ page: 'env', project: p.slug, env: e.slug, tab: 'vars' })}>
                    {e.slug}
                  </Link>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
      {mayWrite(me) && <NewProject />}
    </main>
  )
}
