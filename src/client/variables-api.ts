import { keyPath, projectPath, targetPath } from './paths.ts'
import { parseJson, type Caller } from './request.ts'
import type {
  DeleteResult,
  Diff,
  DocumentText,
  EnvCompare,
  PatchVarsBody,
  PutVarBody,
  PutVarResult,
  RevealResult,
  Revision,
  Target,
  VarList,
  WriteOptions,
} from './types.ts'

/** Variables of a target: masked listing, set, merge/replace, delete, audited reveal. */
export function variablesApi(call: Caller) {
  return {
    list: async (target: Target) =>
      parseJson<VarList>(await call({ method: 'GET', path: `${targetPath(target)}/vars` })),
    set: async (target: Target, body: PutVarBody, opts: WriteOptions = {}) =>
      parseJson<PutVarResult>(
        await call({ method: 'PUT', path: `${targetPath(target)}/vars`, json: body, ...opts }),
      ),
    patch: async (target: Target, body: PatchVarsBody, opts: WriteOptions = {}) =>
      parseJson<VarList>(
        await call({ method: 'PATCH', path: `${targetPath(target)}/vars`, json: body, ...opts }),
      ),
    remove: async (target: Target, keys: readonly string[], opts: WriteOptions = {}) =>
      parseJson<DeleteResult>(
        await call({
          method: 'DELETE',
          path: `${targetPath(target)}/vars`,
          json: { keys },
          ...opts,
        }),
      ),
    reveal: async (target: Target, key: string) =>
      parseJson<RevealResult>(
        await call({ method: 'POST', path: `${keyPath(target, key)}/reveal` }),
      ),
  }
}

/** The document as dotenv text, its revisions and masked diffs between them. */
export function documentsApi(call: Caller) {
  return {
    get: async (target: Target): Promise<DocumentText> => {
      const res = await call({ method: 'GET', path: `${targetPath(target)}/document` })
      return { text: res.body, revision: res.etagRevision }
    },
    put: async (
      target: Target,
      text: string,
      opts: WriteOptions & { replace?: boolean; skipReserved?: boolean } = {},
    ) =>
      parseJson<VarList>(
        await call({
          method: 'PUT',
          path: `${targetPath(target)}/document`,
          text,
          query: {
            replace: opts.replace === true ? 'true' : undefined,
            skipReserved: opts.skipReserved === true ? 'true' : undefined,
          },
          baseRevision: opts.baseRevision,
        }),
      ),
    revisions: async (target: Target, query: { limit?: number; before?: number } = {}) =>
      parseJson<{ revisions: Revision[] }>(
        await call({ method: 'GET', path: `${targetPath(target)}/revisions`, query }),
      ),
    diff: async (target: Target, from: number, to?: number) =>
      parseJson<Diff>(
        await call({ method: 'GET', path: `${targetPath(target)}/diff`, query: { from, to } }),
      ),
    /** Two environments of a project, compared on the server (secrets by value, never shown). */
    compare: async (project: string, from: string, to: string) =>
      parseJson<EnvCompare>(
        await call({ method: 'GET', path: `${projectPath(project)}/compare`, query: { from, to } }),
      ),
  }
}
