import { useId } from 'react'
import type { Addon } from '../api/types.ts'
import { ErrorBox } from '../components/error-box.tsx'

// How an add-on came to be, when it is not simply attached by a platform.
const MODE: Record<Addon['mode'], string | undefined> = {
  external: undefined,
  provisioned: 'database made by Tresor',
  forked: "own copy of the parent's database",
  shared: 'shared with the parent',
}

/**
 * The add-ons attached to an environment, by name with the variables each manages (names only).
 * Read-only: attaching and detaching is the platform's (admin API), not the dashboard's.
 */
export function AddonList({ addons, error }: { addons: Addon[] | undefined; error: unknown }) {
  const id = useId()
  if (error !== undefined) return <ErrorBox error={error} title="Could not load the add-ons" />
  if (addons === undefined || addons.length === 0) return null
  return (
    <section className="addons" aria-labelledby={id}>
      <h3 id={id}>Add-ons</h3>
      <ul>
        {addons.map((a) => (
          <li key={a.name}>
            <strong>{a.name}</strong>
            {MODE[a.mode] !== undefined && <span className="muted small"> ({MODE[a.mode]})</span>}
            {a.keys.length > 0 && (
              <span className="muted small">
                {': '}
                {a.keys.join(', ')}
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  )
}
