import { useState } from 'react'
import type { Var } from '../api/types.ts'
import { Confirm } from '../components/confirm.tsx'
import { ErrorBox } from '../components/error-box.tsx'
import { KindBadge } from '../components/kind-badge.tsx'
import { relativeTime, shortTime } from '../lib/format.ts'
import { useSession } from '../session.tsx'
import { EditRow } from './edit-row.tsx'

export interface RowPermissions {
  write: boolean
  reveal: boolean
}

interface Props {
  project: string
  env: string
  v: Var
  can: RowPermissions
  onChanged: (message: string) => void
}

const SYSTEM_WHY =
  'Set by Tresor when a release is made; a value set here would be ignored, so it cannot be changed'
const addonWhy = (addon: string) =>
  `Managed by add-on ${addon}: its values change only when the platform rotates, updates or detaches the add-on, so it cannot be changed or revealed here`

/** The read-only marker of a system or add-on variable, its reason reachable by keyboard too. */
function Lock({ addon }: { addon: string | undefined }) {
  const why = addon === undefined ? SYSTEM_WHY : addonWhy(addon)
  return (
    <span className="lock" tabIndex={0} title={why} data-why={why} aria-label={`Read-only: ${why}`}>
      {addon === undefined ? 'read-only' : `managed by add-on ${addon}`}
    </span>
  )
}

function ValueCell({ v, revealed }: { v: Var; revealed: string | undefined }) {
  // An add-on's credential is listed like a secret: its masked preview, never its value.
  if (v.kind === 'system' && v.value === undefined)
    return <code className="masked">{v.preview ?? '***'}</code>
  if (v.kind === 'secret') {
    if (revealed === undefined) return <code className="masked">{v.preview ?? '***'}</code>
    return (
      <span className="revealed">
        <code>{revealed}</code>
        <span className="muted small"> revealed; recorded in the audit log</span>
      </span>
    )
  }
  return <code className="value">{v.value ?? ''}</code>
}

/**
 * One variable: read-only for system and add-on ones (no edit, delete or reveal: the server
 * refuses those); reveal, edit in place and delete for the others.
 */
export function VarRow({ project, env, v, can, onChanged }: Props) {
  const { api, nameOf } = useSession()
  const [mode, setMode] = useState<'view' | 'edit' | 'delete'>('view')
  const [revealed, setRevealed] = useState<string | undefined>(undefined)
  const [error, setError] = useState<unknown>(undefined)
  const system = v.system === true || v.kind === 'system' || v.addon !== undefined

  const reveal = () => {
    if (revealed !== undefined) return setRevealed(undefined)
    api.reveal(project, env, v.key).then((r) => setRevealed(r.value), setError)
  }
  const remove = () => {
    api.deleteVar(project, env, v.key).then(
      () => onChanged(`Deleted ${v.key}. Redeploy to apply.`),
      (err: unknown) => {
        setMode('view')
        setError(err)
      },
    )
  }
  if (mode === 'edit') {
    const saved = (message: string) => {
      setMode('view')
      onChanged(message)
    }
    return <EditRow {...{ project, env, v }} onChanged={saved} onCancel={() => setMode('view')} />
  }
  return (
    <tr className={system ? 'system' : undefined}>
      <th scope="row" data-label="Key">
        <code>{v.key}</code>
      </th>
      <td data-label="Kind">
        <KindBadge kind={system ? 'system' : v.kind} />
      </td>
      <td data-label="Value">
        <ValueCell v={v} revealed={revealed} />
        <ErrorBox error={error} />
      </td>
      <td data-label="Last changed">
        {v.addon !== undefined ? (
          <span className="muted">add-on {v.addon}</span>
        ) : system ? (
          <span className="muted">set at release</span>
        ) : (
          <span title={v.updatedAt === undefined ? undefined : shortTime(v.updatedAt)}>
            {relativeTime(v.updatedAt)}
            {v.updatedBy !== undefined && <span className="muted"> by {nameOf(v.updatedBy)}</span>}
          </span>
        )}
      </td>
      <td className="row-actions" data-label="Actions">
        {system ? (
          <Lock addon={v.addon} />
        ) : (
          <>
            {v.kind === 'secret' && can.reveal && (
              <button
                type="button"
                onClick={reveal}
                aria-label={`${revealed === undefined ? 'Reveal' : 'Hide'} ${v.key}`}
              >
                {revealed === undefined ? 'Reveal' : 'Hide'}
              </button>
            )}
            {v.kind === 'secret' && !can.reveal && (
              <span className="muted small" title="Revealing needs the secrets:reveal permission">
                no reveal permission
              </span>
            )}
            {can.write && (
              <>
                <button type="button" onClick={() => setMode('edit')} aria-label={`Edit ${v.key}`}>
                  Edit
                </button>
                <button
                  type="button"
                  className="danger"
                  onClick={() => setMode('delete')}
                  aria-label={`Delete ${v.key}`}
                >
                  Delete
                </button>
              </>
            )}
          </>
        )}
        {mode === 'delete' && (
          <Confirm
            title={`Delete ${v.key}?`}
            confirmLabel="Delete"
            danger
            onConfirm={remove}
            onCancel={() => setMode('view')}
          >
            <p>
              <code>{v.key}</code> is removed from <strong>{env}</strong>. The running app keeps it
              until the next deploy; the history keeps the old revision.
            </p>
          </Confirm>
        )}
      </td>
    </tr>
  )
}
