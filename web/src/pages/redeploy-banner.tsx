import { useState } from 'react'
import type { Environment } from '../api/types.ts'
import { Chips } from '../components/chips.tsx'
import { ErrorBox } from '../components/error-box.tsx'
import { mayDeploy } from '../lib/permissions.ts'
import { useSession } from '../session.tsx'

const SHOWN_KEYS = 20

/**
 * "Redeploy required": the environment has changes its current release does not include. Saved
 * values reach the running app only through a new release (PRODUCT.md §2.6).
 */
export function RedeployBanner(props: {
  project: string
  env: Environment
  onDeployed: () => void
}) {
  const { project, env, onDeployed } = props
  const { api, me } = useSession()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(undefined)
  const [done, setDone] = useState<number | undefined>(undefined)

  const deploy = () => {
    setBusy(true)
    setError(undefined)
    api.deploy(project, env.slug).then(
      (release) => {
        setBusy(false)
        setDone(release.number)
        onDeployed()
      },
      (err: unknown) => {
        setBusy(false)
        setError(err)
      },
    )
  }

  if (!env.redeployRequired) {
    return (
      <p className="status-line" role="status">
        {done !== undefined
          ? `Release ${done} created: the environment is up to date.`
          : env.currentRelease === null
            ? 'Not deployed yet.'
            : `Up to date with release ${env.currentRelease}.`}
      </p>
    )
  }
  const keys = env.changedKeys
  return (
    <section className="banner" aria-labelledby="redeploy-title">
      <div>
        <h2 id="redeploy-title">Redeploy required</h2>
        <p>
          {keys.length === 0
            ? 'This environment has changes that are not in its current release.'
            : `Changed since ${env.currentRelease === null ? 'the start' : `release ${env.currentRelease}`}:`}
        </p>
        {keys.length > 0 && <Chips items={keys} label="Changed keys" max={SHOWN_KEYS} />}
        <ErrorBox error={error} title="The release could not be made" />
      </div>
      {mayDeploy(me) ? (
        <button type="button" className="primary" onClick={deploy} disabled={busy}>
          {busy ? 'Deploying…' : 'Deploy'}
        </button>
      ) : (
        <p className="muted small">Your token cannot deploy (needs the deploy scope).</p>
      )}
    </section>
  )
}
