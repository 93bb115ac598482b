import type { Environment, TresorClient } from '../../client/index.ts'
import { formatTable, stylesFor, type Styles } from '../format.ts'
import type { Table, Verb } from '../spec.ts'
import { listKeys } from './shared.ts'

type State = 'in sync' | 'drifted' | 'never deployed'

interface EnvStatus {
  env: string
  state: State
  revision: number
  currentRelease: number | null
  changedKeys: string[]
  missingKeys: string[]
}

/** Per required key and environment: `ok`, `missing`, or `-` (not required there). */
type Matrix = Record<string, Record<string, 'ok' | 'missing' | '-'>>

const stateOf = (e: Environment): State =>
  e.currentRelease === null ? 'never deployed' : e.redeployRequired ? 'drifted' : 'in sync'

// Keys every environment must have (the project's) plus each environment's own. A server older
// than the project's `requiredKeys` field has only the environments' lists.
async function requiredKeys(client: TresorClient, project: string, envs: Environment[]) {
  const p: { requiredKeys?: string[] } = await client.projects.get(project)
  const all = p.requiredKeys ?? []
  const byEnv = new Map(envs.map((e) => [e.slug, new Set([...all, ...e.requiredKeys])]))
  const keys = [...new Set([...all, ...envs.flatMap((e) => e.requiredKeys)])].sort()
  return { keys, byEnv }
}

async function matrixOf(client: TresorClient, project: string, envs: Environment[]) {
  const { keys, byEnv } = await requiredKeys(client, project, envs)
  const matrix: Matrix = {}
  if (keys.length === 0) return matrix
  // Names only: system variables count, since the release checks them the same way.
  const present = await Promise.all(
    envs.map(
      async (e) =>
        new Set((await client.vars.list({ project, env: e.slug })).vars.map((v) => v.key)),
    ),
  )
  for (const key of keys) {
    matrix[key] = {}
    envs.forEach((e, i) => {
      const row = matrix[key] ?? {}
      row[e.slug] = !byEnv.get(e.slug)?.has(key) ? '-' : present[i]?.has(key) ? 'ok' : 'missing'
    })
  }
  return matrix
}

function render(envs: EnvStatus[], matrix: Matrix, s: Styles): string {
  const states: Table = {
    columns: ['ENV', 'REVISION', 'RELEASE', 'STATUS'],
    rows: envs.map((e) => [
      e.env,
      String(e.revision),
      e.currentRelease === null ? '-' : String(e.currentRelease),
      e.state === 'drifted' ? `drifted: ${e.changedKeys.join(' ')}` : e.state,
    ]),
  }
  // Padded with headers even off a terminal: two tables of different shapes would not read
  // as tab-separated rows; --json is the form for scripts.
  let text = formatTable(states, true, s)
  const keys = Object.keys(matrix)
  if (keys.length > 0) {
    const table: Table = {
      columns: ['REQUIRED KEY', ...envs.map((e) => e.env)],
      rows: keys.map((k) => [k, ...envs.map((e) => matrix[k]?.[e.env] ?? '-')]),
    }
    text += `\n${formatTable(table, true, s)}`
  }
  return text
}

/**
 * `tresor status`: every environment of the project, in sync with its release or drifted (with
 * the keys changed since), and the matrix of required keys × environments. Always exits 0.
 */
export const status: Verb = async (ctx) => {
  const project = ctx.project()
  const client = ctx.client()
  const { environments } = await client.environments.list(project)
  const matrix = await matrixOf(client, project, environments)
  const envs: EnvStatus[] = environments.map((e) => ({
    env: e.slug,
    state: stateOf(e),
    revision: e.revision,
    currentRelease: e.currentRelease,
    changedKeys: [...e.changedKeys].sort(),
    missingKeys: Object.keys(matrix).filter((k) => matrix[k]?.[e.slug] === 'missing'),
  }))
  const names = (state: State) => envs.filter((e) => e.state === state).map((e) => e.env)
  const [drifted, never] = [names('drifted'), names('never deployed')]
  return {
    json: { project, environments: envs, requiredKeys: matrix },
    text: render(envs, matrix, stylesFor(ctx.io.stdoutIsTTY, ctx.io.env)),
    notes: [
      ...(drifted.length > 0 ? [`Needs a deploy: ${listKeys(drifted)}.`] : []),
      ...(never.length > 0 ? [`Never deployed: ${listKeys(never)}.`] : []),
      ...(drifted.length + never.length === 0
        ? ['Every environment runs its latest revision.']
        : []),
      ...envs
        .filter((e) => e.missingKeys.length > 0)
        .map((e) => `${e.env} is missing ${listKeys(e.missingKeys)}: deploys will fail.`),
    ],
  }
}
