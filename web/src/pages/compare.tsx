import { useId, useState } from 'react'
import type { Api } from '../api/client.ts'
import type { Environment } from '../api/types.ts'
import { ErrorBox } from '../components/error-box.tsx'
import { Link } from '../components/link.tsx'
import {
  compareMatrix,
  pickBaseline,
  type MatrixRow,
  type SecretComparison,
} from '../lib/compare.ts'
import { pathOf } from '../lib/router.ts'
import { useLoad } from '../lib/use-load.ts'
import { useSession } from '../session.tsx'
import { CopyKeys } from './copy-keys.tsx'
import { ReusedSecrets, SameValueWarning } from './reused-secrets.tsx'

const SYMBOL = { present: '✓', missing: '✗', differs: '≠' } as const
const WORD = { present: 'set', missing: 'missing', differs: 'differs' } as const

function Row({ row }: { row: MatrixRow }) {
  return (
    <tr className={row.required ? 'required' : undefined}>
      <th scope="row">
        <code>{row.key}</code>
        {row.required && <span className="badge badge-required">required</span>}
      </th>
      {row.cells.map((c) => (
        <td
          key={c.env}
          className={`cell-${c.state}${c.required && c.state === 'missing' ? ' cell-alarm' : ''}`}
          title={c.required ? `required in ${c.env}` : undefined}
        >
          <span aria-hidden="true">{SYMBOL[c.state]}</span> {WORD[c.state]}
          {c.kind !== undefined && <span className="muted small"> {c.kind}</span>}
          {c.sameAs !== undefined && ' '}
          <SameValueWarning cell={c} />
        </td>
      ))}
    </tr>
  )
}

/** The server's comparison of `baseline` with every other environment, requests in parallel. */
async function compareSecrets(
  api: Api,
  project: string,
  envs: readonly Environment[],
  baseline: string,
): Promise<SecretComparison> {
  const others = envs.filter((e) => e.slug !== baseline)
  const results = await Promise.all(
    others.map(async (e) => [e.slug, await api.compare(project, baseline, e.slug)] as const),
  )
  return { baseline, against: new Map(results) }
}

/** Which environment secrets are compared with, and how far that comparison got. */
function BaselinePicker(props: {
  envs: readonly Environment[]
  baseline: string
  loading: boolean
  onChange: (slug: string) => void
}) {
  const id = useId()
  return (
    <div className="baseline">
      <div className="field">
        <label htmlFor={id}>Compare secrets with</label>
        <select id={id} value={props.baseline} onChange={(e) => props.onChange(e.target.value)}>
          {props.envs.map((e) => (
            <option key={e.id} value={e.slug}>
              {e.slug}
            </option>
          ))}
        </select>
      </div>
      <p className="muted small">
        {props.loading
          ? `Comparing secret values with ${props.baseline}…`
          : `Secret values are compared with ${props.baseline} on the server and never shown.`}
      </p>
    </div>
  )
}

/** Compare environments: the keys × environments checklist, and copying config keys across. */
export function ComparePage({ project }: { project: string }) {
  const { api } = useSession()
  const [tick, setTick] = useState(0)
  const loaded = useLoad(async () => {
    const [envs, info] = await Promise.all([api.environments(project), api.project(project)])
    const lists = await Promise.all(envs.map((e) => api.vars(project, e.slug)))
    const vars = new Map(envs.map((e, i) => [e.slug, lists[i]?.vars ?? []]))
    return { envs, vars, required: info.requiredKeys }
  }, [api, project, tick])
  const [chosen, setChosen] = useState<string | undefined>(undefined)
  const baseline = loaded.data === undefined ? undefined : pickBaseline(loaded.data.envs, chosen)
  // Reloaded with the listings (same `loaded.data`), so a copy or a change is compared afresh.
  const secrets = useLoad(async () => {
    if (loaded.data === undefined || baseline === undefined) return undefined
    return compareSecrets(api, project, loaded.data.envs, baseline)
  }, [api, project, loaded.data, baseline])
  const current =
    secrets.error === undefined && secrets.data?.baseline === baseline ? secrets.data : undefined
  const rows =
    loaded.data === undefined
      ? []
      : compareMatrix(loaded.data.envs, loaded.data.vars, loaded.data.required, current)
  const missingRequired = rows.flatMap((r) =>
    r.cells.filter((c) => c.required && c.state === 'missing'),
  )
  return (
    <main id="main" className="page">
      <div className="page-head">
        <h1>
          <Link href={pathOf({ page: 'project', project })}>{project}</Link>
          <span className="sep" aria-hidden="true">
            /
          </span>
          <span>Compare environments</span>
        </h1>
      </div>
      <ErrorBox error={loaded.error} title="Could not load the environments" />
      {loaded.data !== undefined && (
        <>
          <p role="status">
            {rows.length} keys across {loaded.data.envs.length} environments
            {missingRequired.length === 1 && '; 1 required key is missing'}
            {missingRequired.length > 1 && `; ${missingRequired.length} required keys are missing`}.
          </p>
          {baseline !== undefined && loaded.data.envs.length > 1 && (
            <BaselinePicker
              envs={loaded.data.envs}
              baseline={baseline}
              loading={secrets.loading}
              onChange={setChosen}
            />
          )}
          <ErrorBox error={secrets.error} title="Could not compare the secret values" />
          <ReusedSecrets rows={rows} />
          <div className="scroll">
            <table className="matrix">
              <thead>
                <tr>
                  <th scope="col">Key</th>
                  {loaded.data.envs.map((e) => (
                    <th scope="col" key={e.id}>
                      <Link href={pathOf({ page: 'env', project, env: e.slug, tab: 'vars' })}>
                        {e.slug}
                      </Link>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <Row key={r.key} row={r} />
                ))}
              </tbody>
            </table>
          </div>
          <CopyKeys
            project={project}
            envs={loaded.data.envs}
            vars={loaded.data.vars}
            onCopied={() => setTick((t) => t + 1)}
          />
        </>
      )}
    </main>
  )
}
