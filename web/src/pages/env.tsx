import { useEffect, useState } from 'react'
import { followEvents } from '../api/events.ts'
import type { Environment } from '../api/types.ts'
import { ErrorBox } from '../components/error-box.tsx'
import { Link } from '../components/link.tsx'
import { pathOf } from '../lib/router.ts'
import { useLoad } from '../lib/use-load.ts'
import { useSession } from '../session.tsx'
import { HistoryTab } from './history-tab.tsx'
import { RedeployBanner } from './redeploy-banner.tsx'
import { ReleasesTab } from './releases-tab.tsx'
import { VarsTab } from './vars-tab.tsx'

type Tab = 'vars' | 'releases' | 'history'
const TABS: Array<[Tab, string]> = [
  ['vars', 'Env Vars'],
  ['releases', 'Releases'],
  ['history', 'History'],
]

function EnvTabs({
  project,
  envs,
  current,
}: {
  project: string
  envs: Environment[]
  current: string
}) {
  const main = envs.filter((e) => e.parentId === null)
  const previews = envs.filter((e) => e.parentId !== null)
  const link = (e: Environment) => (
    <li key={e.id}>
      <Link
        href={pathOf({ page: 'env', project, env: e.slug, tab: 'vars' })}
        aria-current={e.slug === current ? 'page' : undefined}
      >
        {e.slug}
        {e.redeployRequired && (
          <span className="dot" title="Redeploy required" aria-label="(redeploy required)" />
        )}
      </Link>
    </li>
  )
  return (
    <nav className="env-tabs" aria-label="Environments">
      <ul className="tabs">{main.map(link)}</ul>
      {previews.length > 0 && (
        <div className="previews">
          <span className="muted small">Previews</span>
          <ul className="tabs">{previews.map(link)}</ul>
        </div>
      )}
    </nav>
  )
}

/** One environment: its tabs, the redeploy banner, and the chosen view; updated live. */
export function EnvPage(props: { project: string; env: string; tab: Tab }) {
  const { project, env, tab } = props
  const { api } = useSession()
  const [tick, setTick] = useState(0)
  const envs = useLoad(() => api.environments(project), [api, project, tick])
  const current = envs.data?.find((e) => e.slug === env || e.id === env)
  const changed = () => setTick((t) => t + 1)

  useEffect(() => {
    // Another client's change (the CLI, an agent, a colleague) shows up here without a reload.
    return followEvents(project, () => setTick((t) => t + 1))
  }, [api, project])

  useEffect(() => {
    document.title = `${env} · ${project} · Tresor`
  }, [env, project])

  return (
    <main id="main" className="page">
      <div className="page-head">
        <h1>
          <Link href={pathOf({ page: 'project', project })}>{project}</Link>
          <span className="sep" aria-hidden="true">
            /
          </span>
          <span>{env}</span>
        </h1>
        <Link className="button" href={pathOf({ page: 'compare', project })}>
          Compare environments
        </Link>
      </div>
      <ErrorBox error={envs.error} title="Could not load the environments" />
      {envs.data !== undefined && <EnvTabs project={project} envs={envs.data} current={env} />}
      {envs.data !== undefined && current === undefined && (
        <p role="alert">
          There is no environment {env} in {project}.
        </p>
      )}
      {current !== undefined && (
        <>
          <RedeployBanner project={project} env={current} onDeployed={changed} />
          <nav className="subtabs" aria-label="Environment views">
            <ul className="tabs">
              {TABS.map(([t, label]) => (
                <li key={t}>
                  <Link
                    href={pathOf({ page: 'env', project, env, tab: t })}
                    aria-current={t === tab ? 'page' : undefined}
                  >
                    {label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          {tab === 'vars' && (
            <VarsTab project={project} env={current} tick={tick} onChanged={changed} />
          )}
          {tab === 'releases' && (
            <ReleasesTab project={project} env={current} tick={tick} onChanged={changed} />
          )}
          {tab === 'history' && (
            <HistoryTab project={project} env={current} tick={tick} onChanged={changed} />
          )}
        </>
      )}
    </main>
  )
}
