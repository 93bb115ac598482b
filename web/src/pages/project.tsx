import { useEffect } from 'react'
import { ErrorBox } from '../components/error-box.tsx'
import { navigate, pathOf } from '../lib/router.ts'
import { useLoad } from '../lib/use-load.ts'
import { useSession } from '../session.tsx'

// Environments a project page opens on, in order of preference: where changes are made first.
const PREFERRED = ['development', 'staging', 'production']

/** A project's address opens its first environment's Env Vars tab. */
export function ProjectPage({ project }: { project: string }) {
  const { api } = useSession()
  const loaded = useLoad(() => api.project(project), [api, project])
  useEffect(() => {
    const envs = loaded.data?.environments ?? []
    const first = PREFERRED.find((s) => envs.some((e) => e.slug === s)) ?? envs[0]?.slug
    if (first !== undefined) {
      navigate(pathOf({ page: 'env', project, env: first, tab: 'vars' }), true)
    }
  }, [loaded.data, project])
  return (
    <main id="main" className="page">
      <h1>{project}</h1>
      <ErrorBox error={loaded.error} title="Could not open the project" />
      {loaded.data?.environments.length === 0 && <p>This project has no environments yet.</p>}
    </main>
  )
}
