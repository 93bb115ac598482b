import { useId, useState, type FormEvent } from 'react'
import type { Environment, Var } from '../api/types.ts'
import { ErrorBox } from '../components/error-box.tsx'
import { mayWrite } from '../lib/permissions.ts'
import { useSession } from '../session.tsx'

interface Props {
  project: string
  envs: Environment[]
  vars: Map<string, Var[]>
  onCopied: () => void
}

/**
 * Copies chosen config keys from one environment to another (a merge). Only config: secrets are
 * set per environment on purpose, with each environment's own value.
 */
export function CopyKeys({ project, envs, vars, onCopied }: Props) {
  const { api, me } = useSession()
  const id = useId()
  // Start from the environment with the most config keys: the likely source of a copy.
  const configCount = (slug: string) =>
    (vars.get(slug) ?? []).filter((v) => v.kind === 'config').length
  const richest = [...envs].sort((a, b) => configCount(b.slug) - configCount(a.slug))[0]
  const [from, setFrom] = useState(richest?.slug ?? '')
  const [to, setTo] = useState(envs.find((e) => e.slug !== richest?.slug)?.slug ?? '')
  const [chosen, setChosen] = useState<Set<string>>(new Set())
  const [error, setError] = useState<unknown>(undefined)
  const [note, setNote] = useState('')
  if (!mayWrite(me) || envs.length < 2) return null
  const config = (vars.get(from) ?? []).filter((v) => v.kind === 'config' && v.system !== true)
  const toggle = (key: string) => {
    const next = new Set(chosen)
    if (next.has(key)) next.delete(key)
    else next.add(key)
    setChosen(next)
  }
  const copy = (e: FormEvent) => {
    e.preventDefault()
    const env = Object.fromEntries(
      config.filter((v) => chosen.has(v.key)).map((v) => [v.key, v.value ?? '']),
    )
    api.mergeVars(project, to, env).then(() => {
      setNote(
        `Copied ${Object.keys(env).length} keys from ${from} to ${to}. Redeploy ${to} to apply.`,
      )
      setChosen(new Set())
      onCopied()
    }, setError)
  }
  return (
    <form className="card panel" onSubmit={copy} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Copy config keys</h2>
      <div className="row">
        <div className="field">
          <label htmlFor={`${id}-from`}>From</label>
          <select
            id={`${id}-from`}
            value={from}
            onChange={(e) => {
              setFrom(e.target.value)
              setChosen(new Set())
            }}
          >
            {envs.map((e) => (
              <option key={e.id} value={e.slug}>
                {e.slug}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-to`}>To</label>
          <select id={`${id}-to`} value={to} onChange={(e) => setTo(e.target.value)}>
            {envs.map((e) => (
              <option key={e.id} value={e.slug}>
                {e.slug}
              </option>
            ))}
          </select>
        </div>
      </div>
      <fieldset className="field">
        <legend>Config keys of {from}</legend>
        {config.length === 0 && <p className="muted small">No config keys.</p>}
        {config.map((v) => (
          <label key={v.key} className="checkbox">
            <input type="checkbox" checked={chosen.has(v.key)} onChange={() => toggle(v.key)} />
            <code>{v.key}</code>
          </label>
        ))}
      </fieldset>
      <p className="status-line" role="status">
        {note}
      </p>
      <ErrorBox error={error} title="Not copied" />
      <button type="submit" className="primary" disabled={chosen.size === 0 || from === to}>
        Copy {chosen.size} {chosen.size === 1 ? 'key' : 'keys'} to {to}
      </button>
    </form>
  )
}
