import { useState, type ReactNode } from 'react'
import type { Release } from '../api/types.ts'
import { useSession } from '../session.tsx'
import { Confirm } from './confirm.tsx'

export interface Rollback {
  /** Opens the confirmation for rolling back to `release`. */
  ask: (release: Release) => void
  error: unknown
  /** The status line after a rollback (`Rolled back: release 5 restores release 2.`). */
  note: string
  /** The confirmation dialog while one is open, else null. */
  dialog: ReactNode
}

/** Rollback to a release, asked for from the Releases and History tabs alike. */
export function useRollback(project: string, envSlug: string, onChanged: () => void): Rollback {
  const { api } = useSession()
  const [target, setTarget] = useState<Release | undefined>(undefined)
  const [error, setError] = useState<unknown>(undefined)
  const [note, setNote] = useState('')
  const rollback = (r: Release) => {
    setTarget(undefined)
    api.rollback(project, envSlug, r.number).then((made) => {
      setNote(`Rolled back: release ${made.number} restores release ${r.number}.`)
      onChanged()
    }, setError)
  }
  const dialog =
    target === undefined ? null : (
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
    )
  return { ask: setTarget, error, note, dialog }
}
