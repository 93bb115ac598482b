import { AppError } from '../errors.ts'
import { Graph } from './graph.ts'

/** Variables by name: a Map (insertion order kept) or a plain record. */
export type VarSource = ReadonlyMap<string, string> | Readonly<Record<string, string>>

/**
 * Resolves an environment for a release: the environment's variables with system variables
 * winning over user variables of the same name (PRODUCT §2.5), every `${{…}}` substituted and
 * every `$${{` unescaped to `${{`. Rules:
 * - `${{KEY}}` in an environment variable means a system variable or another environment
 *   variable; `${{project.KEY}}` means a project shared variable.
 * - Inside a project variable both `${{KEY}}` and `${{project.KEY}}` mean project variables:
 *   shared values must not change meaning from one environment to the next.
 * - System values are final text: they are never scanned for references.
 * - Substituted text is never scanned again, so a value can never inject a reference.
 * Every missing target, cycle and malformed reference is reported in one REFERENCE_ERROR.
 * It is a memoized iterative DFS: linear in the number of references, no recursion depth limit.
 */
export function resolveReferences(
  vars: VarSource,
  project: VarSource,
  system: VarSource,
): Map<string, string> {
  const graph = new Graph(toMap(vars), toMap(project), toMap(system))
  for (const key of graph.env.keys()) if (!graph.system.has(key)) graph.visit(`env:${key}`)
  if (graph.errors.length > 0) {
    const n = graph.errors.length
    throw new AppError(
      'REFERENCE_ERROR',
      `cannot resolve references: ${n} problem${n === 1 ? '' : 's'}`,
      graph.errors,
    )
  }
  const out = new Map<string, string>()
  for (const key of graph.env.keys()) out.set(key, graph.valueOf(key))
  for (const [key, value] of graph.system) out.set(key, value)
  return out
}

function toMap(source: VarSource): ReadonlyMap<string, string> {
  return source instanceof Map ? source : new Map(Object.entries(source))
}
