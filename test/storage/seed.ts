import { randomBytes } from 'node:crypto'
import { expect } from 'vitest'
import { AppError, type ErrorCode } from '../../src/core/errors.ts'
import { newId } from '../../src/core/ids.ts'
import type {
  DocumentScope,
  EnvironmentRow,
  NewRevision,
  ProjectRow,
  Store,
  StoreTx,
  WorkspaceRow,
} from '../../src/storage/store.ts'

/** A fixed time so rows compare exactly; tests that need order pass their own. */
export const T0 = '2025-01-02T03:04:05.678Z'

export interface Seeded {
  workspace: WorkspaceRow
  keyId: string
  project: ProjectRow
  env: EnvironmentRow
  scope: DocumentScope
}

/** A workspace with a current data key, a project and one environment, in one transaction. */
export async function seed(store: Store, slug = 'production'): Promise<Seeded> {
  return store.transaction(async (tx) => {
    const workspace = await tx.workspaces.create({
      id: newId('workspace'),
      name: 'Acme',
      createdAt: T0,
    })
    const keyId = await addKey(tx, workspace.id)
    const project = await tx.projects.create({
      id: newId('project'),
      workspaceId: workspace.id,
      slug: `app-${randomBytes(3).toString('hex')}`,
      name: 'App',
      requiredKeys: [],
      createdAt: T0,
    })
    const env = await tx.environments.create({
      id: newId('environment'),
      workspaceId: workspace.id,
      projectId: project.id,
      slug,
      parentId: null,
      expiresAt: null,
      autoDeploy: false,
      requiredKeys: [],
      createdAt: T0,
    })
    const scope = { workspaceId: workspace.id, projectId: project.id, environmentId: env.id }
    return { workspace, keyId, project, env, scope }
  })
}

/** Adds the workspace's current data key (random wrapped bytes). */
export async function addKey(tx: StoreTx, workspaceId: string): Promise<string> {
  const key = await tx.dataKeys.create({
    id: newId('dataKey'),
    workspaceId,
    version: 1,
    wrappedKey: randomBytes(60),
    rootKeyId: 'root-file',
    state: 'current',
    createdAt: T0,
  })
  return key.id
}

/** Revision `number` of the document `scope`, sealed with `sealed` (random by default). */
export function revision(
  scope: DocumentScope,
  keyId: string,
  number: number,
  sealed: Buffer = randomBytes(64),
): NewRevision {
  return {
    id: newId('revision'),
    workspaceId: scope.workspaceId,
    projectId: scope.projectId,
    environmentId: scope.environmentId,
    number,
    authorId: 'mem_test',
    createdAt: T0,
    message: null,
    changedKeys: ['A'],
    keyIndex: [{ key: 'A', kind: 'secret' }],
    sealed,
    keyId,
  }
}

/** Awaits `p`, which must reject with an AppError of `code` whose message contains `part`. */
export async function expectFailure(
  p: Promise<unknown>,
  code: ErrorCode,
  part = '',
): Promise<AppError> {
  const err: unknown = await p.then(
    () => new Error('expected a failure, got success'),
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(AppError)
  const appErr = err as AppError
  expect({ code: appErr.code, hasPart: appErr.message.includes(part) }).toEqual({
    code,
    hasPart: true,
  })
  return appErr
}
