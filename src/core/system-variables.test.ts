import { describe, expect, it } from 'vitest'
import { isReserved, systemVariables } from './system-variables.ts'

describe('system variables', () => {
  it.each([
    ['PORT', [], true],
    ['APP_ENV', [], true],
    ['TRESOR_DEPLOY_ID', [], true],
    ['TRESOR_ANYTHING', [], true],
    ['DATABASE_URL', [], false],
    ['DATABASE_URL', ['postgres'], true],
    ['DATABASE_POOL_SIZE', ['postgres'], true],
    ['REDIS_URL', ['postgres'], false],
    ['REDIS_URL', ['redis'], true],
    ['PORTS', [], false],
    ['port', [], false],
  ] as const)('%s with add-ons %j reserved: %s', (key, addons, reserved) => {
    expect(isReserved(key, addons)).toBe(reserved)
  })

  it('lists the injected values in order, deploy id only when known', () => {
    expect([...systemVariables({ envSlug: 'staging', projectSlug: 'api' })]).toEqual([
      ['PORT', '3000'],
      ['APP_ENV', 'staging'],
      ['TRESOR_PROJECT_SLUG', 'api'],
      ['TRESOR_ENV_SLUG', 'staging'],
    ])
    const withDeploy = systemVariables({
      envSlug: 'production',
      projectSlug: 'api',
      deployId: 'rel_1',
      port: '8080',
      addonValues: { REDIS_URL: 'redis://x' },
    })
    expect(withDeploy.get('TRESOR_DEPLOY_ID')).toBe('rel_1')
    expect(withDeploy.get('PORT')).toBe('8080')
    expect(withDeploy.get('REDIS_URL')).toBe('redis://x')
  })
})
