import { describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { refusal } from '../../../test/helpers/export-models/refusal.ts'
import { parseRubyDotenv } from '../../../test/helpers/export-models/ruby-dotenv.ts'
import { kamalSetup } from './kamal-setup.ts'

const vars = [
  { key: 'RAILS_ENV', kind: 'config' as const, value: 'production' },
  { key: 'true', kind: 'config' as const, value: '<%= `id` %> "q"' },
  { key: 'API_URL', kind: 'config' as const, value: 'https://${{API_HOST}}/v1' },
  { key: 'STRIPE_KEY', kind: 'secret' as const },
  { key: 'PORT', kind: 'system' as const, value: '3000' },
]

describe('kamalSetup', () => {
  it('puts config in env.clear and secrets, system and referencing config in env.secret', () => {
    const s = kamalSetup({ project: 'myapp', env: 'production', vars })
    expect(s.clear).toEqual([
      ['RAILS_ENV', 'production'],
      ['true', '<%= `id` %> "q"'],
    ])
    expect(s.secret).toEqual(['API_URL', 'STRIPE_KEY', 'PORT'])
    // ERB runs first: `<%` must be written `<%%`; YAML 1.1 words stay quoted.
    expect(s.deployYaml).toContain('    "true": "<%%= `id` %> \\"q\\""\n')
    const yaml = parseYaml(s.deployYaml.replaceAll('<%%', '<%')) as {
      env: { clear: Record<string, string>; secret: string[] }
    }
    expect(yaml.env).toEqual({
      clear: { RAILS_ENV: 'production', true: '<%= `id` %> "q"' },
      secret: ['API_URL', 'STRIPE_KEY', 'PORT'],
    })
  })

  it('writes one fetch and one extract line per secret, readable by Ruby dotenv', () => {
    const s = kamalSetup({ project: 'myapp', env: 'production', vars })
    const ran: string[] = []
    const read = parseRubyDotenv(s.secretsFile, { kamal: true, run: (c) => (ran.push(c), 'v') })
    expect([...read.keys()]).toEqual(['TRESOR_SECRETS', 'API_URL', 'STRIPE_KEY', 'PORT'])
    expect(ran).toEqual([
      'tresor export --format kamal-json -p myapp -e production',
      'kamal secrets extract API_URL v',
      'kamal secrets extract STRIPE_KEY v',
      'kamal secrets extract PORT v',
    ])
  })

  it('writes empty lists as YAML empties', () => {
    const s = kamalSetup({ project: 'p', env: 'e', vars: [] })
    expect(s.deployYaml).toMatch(/ {2}clear: \{\}\n {2}secret: \[\]\n$/)
  })

  it('refuses secrets Ruby dotenv cannot name, and targets it cannot quote', () => {
    const err = refusal(() =>
      kamalSetup({ project: 'p', env: 'e', vars: [{ key: 'MY-KEY', kind: 'secret' }] }),
    )
    expect(err.errors).toEqual([expect.objectContaining({ key: 'MY-KEY' })])
    expect(refusal(() => kamalSetup({ project: 'a b', env: 'e', vars: [] })).code).toBe(
      'VALIDATION_FAILED',
    )
  })
})
