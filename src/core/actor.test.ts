import { describe, expect, it } from 'vitest'
import {
  assertCan,
  can,
  decide,
  decideDeployedSecrets,
  SCOPES,
  type Actor,
  type Decision,
  type Target,
} from './actor.ts'
import { isAppError } from './errors.ts'

const W = 'wsp_a'
const member = (role: Actor['role'], scopes: Actor['scopes'] = SCOPES): Actor => ({
  kind: 'member',
  id: 'mem_1',
  memberId: 'mem_1',
  workspaceId: W,
  ...(role !== undefined && { role }),
  scopes,
  tokenId: 'tok_1',
})
/** A developer's actor whose member an owner or admin granted production reveals. */
const grantedDeveloper = (scopes: Actor['scopes']): Actor => ({
  ...member('developer', scopes),
  revealProduction: true,
})
const service = (scopes: Actor['scopes'], extra: Partial<Actor> = {}): Actor => ({
  kind: 'token',
  id: 'tok_2',
  workspaceId: W,
  scopes,
  tokenId: 'tok_2',
  ...extra,
})

const dev: Target = {
  workspaceId: W,
  projectId: 'prj_1',
  environmentId: 'env_dev',
  environmentSlug: 'development',
}
const prod: Target = {
  workspaceId: W,
  projectId: 'prj_1',
  environmentId: 'env_prod',
  environmentSlug: 'production',
}
const otherWorkspace: Target = { ...dev, workspaceId: 'wsp_b' }

describe('decide', () => {
  it.each<[string, Actor, Parameters<typeof decide>[1], Target | undefined, Decision]>([
    ['owner does everything', member('owner'), 'admin', undefined, 'allow'],
    ['owner reveals in production', member('owner'), 'secrets:reveal', prod, 'allow'],
    ['admin manages', member('admin'), 'admin', undefined, 'allow'],
    ['developer writes', member('developer'), 'write', dev, 'allow'],
    ['developer deploys', member('developer'), 'deploy', prod, 'allow'],
    ['developer may not administer', member('developer'), 'admin', undefined, 'FORBIDDEN'],
    [
      'developer needs the reveal scope even outside production',
      member('developer', ['read', 'write', 'deploy']),
      'secrets:reveal',
      dev,
      'FORBIDDEN',
    ],
    [
      'developer reveals outside production with the reveal scope',
      member('developer', ['read', 'secrets:reveal']),
      'secrets:reveal',
      dev,
      'allow',
    ],
    [
      'developer may not reveal in production without the grant',
      member('developer', ['read', 'write', 'deploy']),
      'secrets:reveal',
      prod,
      'FORBIDDEN',
    ],
    [
      "developer's secrets:reveal scope alone (a session, a minted token) does not reach production",
      member('developer', ['read', 'write', 'secrets:reveal', 'deploy']),
      'secrets:reveal',
      prod,
      'FORBIDDEN',
    ],
    [
      'the member grant alone does not reveal either: the token needs the scope',
      grantedDeveloper(['read', 'write', 'deploy']),
      'secrets:reveal',
      prod,
      'FORBIDDEN',
    ],
    [
      'developer reveals in production with the member grant and the secrets:reveal scope',
      grantedDeveloper(['read', 'secrets:reveal']),
      'secrets:reveal',
      prod,
      'allow',
    ],
    [
      'a missing environment slug counts as production',
      member('developer', ['read', 'secrets:reveal']),
      'secrets:reveal',
      { workspaceId: W, projectId: 'prj_1' },
      'FORBIDDEN',
    ],
    ['viewer reads', member('viewer'), 'read', dev, 'allow'],
    ['viewer may not write', member('viewer'), 'write', dev, 'FORBIDDEN'],
    [
      'viewer may not reveal, even outside production',
      member('viewer'),
      'secrets:reveal',
      dev,
      'FORBIDDEN',
    ],
    [
      'scopes narrow an owner: read-only token cannot write',
      member('owner', ['read']),
      'write',
      dev,
      'FORBIDDEN',
    ],
    [
      'scopes narrow an owner: no reveal in production without the scope',
      member('owner', ['read', 'write']),
      'secrets:reveal',
      prod,
      'FORBIDDEN',
    ],
    ['write implies read', service(['write']), 'read', dev, 'allow'],
    ['deploy does not imply read', service(['deploy']), 'read', dev, 'FORBIDDEN'],
    [
      'a service token needs the reveal scope everywhere',
      service(['read']),
      'secrets:reveal',
      dev,
      'FORBIDDEN',
    ],
    [
      'a service token with the reveal scope reveals',
      service(['secrets:reveal']),
      'secrets:reveal',
      prod,
      'allow',
    ],
    ['another workspace does not exist', member('owner'), 'read', otherWorkspace, 'NOT_FOUND'],
    [
      'a project token sees other projects as missing',
      service(['read'], { projectId: 'prj_2' }),
      'read',
      dev,
      'NOT_FOUND',
    ],
    [
      'a project token may list at workspace level',
      service(['read'], { projectId: 'prj_1' }),
      'read',
      { workspaceId: W },
      'allow',
    ],
    [
      'a project token may not write at workspace level',
      service(['write'], { projectId: 'prj_1' }),
      'write',
      { workspaceId: W },
      'FORBIDDEN',
    ],
    [
      'an environment token sees other environments as missing',
      service(['read'], { projectId: 'prj_1', environmentIds: ['env_dev'] }),
      'read',
      prod,
      'NOT_FOUND',
    ],
    [
      'an environment token works in its environment',
      service(['write'], { projectId: 'prj_1', environmentIds: ['env_dev'] }),
      'write',
      dev,
      'allow',
    ],
    [
      'an environment token may not write project-level variables',
      service(['write'], { projectId: 'prj_1', environmentIds: ['env_dev'] }),
      'write',
      { workspaceId: W, projectId: 'prj_1' },
      'FORBIDDEN',
    ],
  ])('%s', (_name, actor, action, target, expected) => {
    expect(decide(actor, action, target)).toBe(expected)
    expect(can(actor, action, target)).toBe(expected === 'allow')
  })
})

describe('assertCan', () => {
  it('throws NOT_FOUND for invisible targets and FORBIDDEN for visible ones, with no ids in the message', () => {
    const thrown = (fn: () => void): unknown => {
      try {
        fn()
      } catch (err) {
        return err
      }
      return undefined
    }
    const hidden = thrown(() => assertCan(member('owner'), 'read', otherWorkspace))
    expect(isAppError(hidden, 'NOT_FOUND')).toBe(true)
    const denied = thrown(() => assertCan(member('viewer'), 'write', dev))
    expect(isAppError(denied, 'FORBIDDEN')).toBe(true)
    expect((denied as Error).message).not.toContain('env_dev')
    expect(thrown(() => assertCan(member('developer'), 'write', dev))).toBeUndefined()
  })
})

describe('decideDeployedSecrets', () => {
  const deployer: Actor['scopes'] = ['read', 'deploy']
  it.each<[string, Actor, Target, Decision]>([
    ['a deploy host (service token) reads production', service(['deploy']), prod, 'allow'],
    ['an owner reads production', member('owner', deployer), prod, 'allow'],
    ['a developer reads outside production', member('developer', deployer), dev, 'allow'],
    [
      'a developer without the grant may deploy production but not read its values',
      member('developer', deployer),
      prod,
      'FORBIDDEN',
    ],
    ['a granted developer reads production', grantedDeveloper(deployer), prod, 'allow'],
    [
      'a missing slug counts as production',
      member('developer', deployer),
      { workspaceId: W, projectId: 'prj_1' },
      'FORBIDDEN',
    ],
    ['no deploy scope, no values', grantedDeveloper(['read']), dev, 'FORBIDDEN'],
    ['a viewer never', member('viewer', deployer), dev, 'FORBIDDEN'],
    ['another workspace is not found', service(['deploy']), otherWorkspace, 'NOT_FOUND'],
  ])('%s', (_name, actor, target, expected) => {
    expect(decideDeployedSecrets(actor, target)).toBe(expected)
    // Never wider than deploying itself.
    if (expected === 'allow') expect(decide(actor, 'deploy', target)).toBe('allow')
  })
})
