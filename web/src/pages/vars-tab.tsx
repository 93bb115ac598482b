import { useState } from 'react'
import type { Environment } from '../api/types.ts'
import { ErrorBox } from '../components/error-box.tsx'
import { mayReveal, mayWrite } from '../lib/permissions.ts'
import { useLoad } from '../lib/use-load.ts'
import { useSession } from '../session.tsx'
import { AddVariable } from './add-variable.tsx'
import { AddonList } from './addon-list.tsx'
import { PasteEnv } from './paste-env.tsx'
import { VarRow, type RowPermissions } from './var-row.tsx'

interface Props {
  project: string
  env: Environment
  tick: number
  onChanged: () => void
}

/** The Env Vars table: every variable with its kind, value or masked preview, and who changed it. */
export function VarsTab({ project, env, tick, onChanged }: Props) {
  const { api, me } = useSession()
  const vars = useLoad(() => api.vars(project, env.slug), [api, project, env.slug, tick])
  const addons = useLoad(() => api.addons(project, env.slug), [api, project, env.slug, tick])
  const [panel, setPanel] = useState<'add' | 'paste' | undefined>(undefined)
  const [note, setNote] = useState('')
  const can: RowPermissions = { write: mayWrite(me), reveal: mayReveal(me, env.slug) }
  // The user's variables in document order, then the system ones Tresor adds at release.
  const all = vars.data?.vars ?? []
  const isSystem = (v: (typeof all)[number]) => v.system === true || v.kind === 'system'
  const list = [...all.filter((v) => !isSystem(v)), ...all.filter(isSystem)]
  const done = (message: string) => {
    setPanel(undefined)
    setNote(message)
    onChanged()
  }
  return (
    <section aria-labelledby="vars-title">
      <div className="section-head">
        <h2 id="vars-title">Env Vars</h2>
        {can.write && (
          <div className="toolbar">
            <button type="button" className="primary" onClick={() => setPanel('add')}>
              Add Variable
            </button>
            <button type="button" onClick={() => setPanel('paste')}>
              Paste .env
            </button>
          </div>
        )}
      </div>
      <AddonList addons={addons.data} error={addons.error} />
      <p className="status-line" role="status">
        {note}
      </p>
      {panel === 'add' && (
        <AddVariable
          project={project}
          env={env.slug}
          existing={list}
          onSaved={done}
          onCancel={() => setPanel(undefined)}
        />
      )}
      {panel === 'paste' && vars.data !== undefined && (
        <PasteEnv
          project={project}
          env={env.slug}
          current={vars.data}
          onApplied={done}
          onCancel={() => setPanel(undefined)}
        />
      )}
      <ErrorBox error={vars.error} title="Could not load the variables" />
      {vars.data !== undefined && list.length === 0 && (
        <p className="muted">No variables yet. Add one, or paste a .env file.</p>
      )}
      {list.length > 0 && (
        <table className="vars">
          <caption className="visually-hidden">Variables of {env.slug}</caption>
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Kind</th>
              <th scope="col">Value</th>
              <th scope="col">Last changed</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((v) => (
              <VarRow
                key={v.key}
                project={project}
                env={env.slug}
                v={v}
                can={can}
                onChanged={(message) => done(message)}
              />
            ))}
          </tbody>
        </table>
      )}
      {can.reveal && list.some((v) => v.kind === 'secret') && (
        <p className="muted small">Revealing a secret is recorded in the audit log.</p>
      )}
    </section>
  )
}
