// The dashboard's pure logic: what a paste would change, the compare matrix, routes and the
// event-stream reader.
import { describe, expect, it } from 'vitest'
import { parseSseChunk, type StreamEvent } from '../../web/src/api/events.ts'
import type { Environment, Var } from '../../web/src/api/types.ts'
import {
  compareMatrix,
  pickBaseline,
  reusedSecrets,
  type SecretComparison,
} from '../../web/src/lib/compare.ts'
import { previewDotenv } from '../../web/src/lib/dotenv-preview.ts'
import { diffPaste } from '../../web/src/lib/paste-diff.ts'
import { parseRoute, pathOf, type Route } from '../../web/src/lib/router.ts'

const CURRENT: Var[] = [
  { key: 'LOG_LEVEL', kind: 'config', value: 'debug' },
  { key: 'API_KEY', kind: 'secret', preview: 'sk_te***0001' },
  { key: 'DB_POOL', kind: 'config', value: '5' },
  { key: 'PORT', kind: 'system', value: '3000', system: true },
]

const rows = (text: string, replace: boolean) =>
  diffPaste(previewDotenv(text).entries, CURRENT, replace).map((r) => [
    r.status,
    r.key,
    r.kind,
    r.before,
    r.after,
  ])

describe('what a paste changes', () => {
  it('merges: added, changed, unchanged; secrets masked; other keys untouched', () => {
    const text =
      'LOG_LEVEL=info\nDB_POOL=5\nAPI_KEY=sk_tbrand_new_secret_9\nTOKEN=abcdefghijklmnopqrst # secret\nNAME=x\n'
    expect(rows(text, false)).toEqual([
      ['changed', 'LOG_LEVEL', 'config', 'debug', 'info'],
      ['unchanged', 'DB_POOL', 'config', '5', '5'],
      ['changed', 'API_KEY', 'secret', 'sk_te***0001', 'sk_tb***et_9'],
      ['added', 'TOKEN', 'secret', undefined, 'abcde***qrst'],
      ['added', 'NAME', 'config', undefined, 'x'],
    ])
  })

  it('replaces: user keys left out are removed; system variables are never listed as removed', () => {
    expect(rows('LOG_LEVEL=debug\n', true)).toEqual([
      ['unchanged', 'LOG_LEVEL', 'config', 'debug', 'debug'],
      ['removed', 'API_KEY', 'secret', 'sk_te***0001', undefined],
      ['removed', 'DB_POOL', 'config', '5', undefined],
    ])
  })

  it('keeps a secret pasted back as its masked preview, and refuses system names', () => {
    expect(rows('API_KEY=sk_te***0001 # secret\nPORT=1\nTRESOR_X=2\n', false)).toEqual([
      ['kept', 'API_KEY', 'secret', 'sk_te***0001', undefined],
      ['refused', 'PORT', 'config', '3000', undefined],
      ['refused', 'TRESOR_X', 'config', undefined, undefined],
    ])
  })

  it('takes the last line of a repeated key, in order of first appearance', () => {
    expect(rows('A=1\nB=2\nA=3\n', false)).toEqual([
      ['added', 'A', 'config', undefined, '3'],
      ['added', 'B', 'config', undefined, '2'],
    ])
  })
})

const env = (slug: string, requiredKeys: string[] = []): Environment => ({
  id: `env_${slug}`,
  slug,
  projectId: 'prj_x',
  parentId: null,
  expiresAt: null,
  autoDeploy: false,
  requiredKeys,
  revision: 1,
  redeployRequired: false,
  changedKeys: [],
  currentRelease: null,
  createdAt: '2025-01-01T00:00:00Z',
})

describe('compare matrix', () => {
  it('marks present, missing and differing keys, and flags required ones', () => {
    const envs = [env('staging'), env('production', ['SENTRY_DSN', 'LOG_LEVEL'])]
    const vars = new Map<string, Var[]>([
      [
        'staging',
        [
          { key: 'LOG_LEVEL', kind: 'config', value: 'debug' },
          { key: 'API_KEY', kind: 'secret', preview: '***' },
          { key: 'REGION', kind: 'config', value: 'eu' },
          { key: 'PORT', kind: 'system', value: '3000', system: true },
        ],
      ],
      [
        'production',
        [
          { key: 'LOG_LEVEL', kind: 'config', value: 'warn' },
          { key: 'API_KEY', kind: 'secret', preview: '***' },
          { key: 'REGION', kind: 'config', value: 'eu' },
        ],
      ],
    ])
    const m = compareMatrix(envs, vars)
    expect(
      m.map((r) => [r.key, r.required, ...r.cells.map((c) => c.state + (c.required ? '!' : ''))]),
    ).toEqual([
      ['API_KEY', false, 'present', 'present'],
      ['LOG_LEVEL', true, 'differs', 'differs!'],
      ['REGION', false, 'present', 'present'],
      ['SENTRY_DSN', true, 'missing', 'missing!'],
    ])
  })

  it("requires the project's required keys in every environment", () => {
    const envs = [env('staging'), env('production', ['LOG_LEVEL'])]
    const vars = new Map<string, Var[]>([
      ['staging', [{ key: 'SENTRY_DSN', kind: 'config', value: 'https://sentry.test/1' }]],
      ['production', []],
    ])
    const m = compareMatrix(envs, vars, ['SENTRY_DSN'])
    expect(
      m.map((r) => [r.key, r.required, ...r.cells.map((c) => c.state + (c.required ? '!' : ''))]),
    ).toEqual([
      ['LOG_LEVEL', true, 'missing', 'missing!'],
      ['SENTRY_DSN', true, 'present!', 'missing!'],
    ])
  })
})

describe('compare matrix with the server comparing secrets against a baseline', () => {
  const envs = [env('development'), env('staging'), env('production')]
  const secret = (key: string, preview = 'prev_***_9999'): Var => ({ key, kind: 'secret', preview })
  const vars = new Map<string, Var[]>([
    [
      'development',
      [
        secret('API_KEY'),
        secret('DB_PASSWORD'),
        { key: 'LOG_LEVEL', kind: 'config', value: 'debug' },
      ],
    ],
    [
      'staging',
      [
        secret('API_KEY'),
        secret('DB_PASSWORD'),
        secret('STRIPE_KEY'),
        secret('TOKEN'),
        secret('ORPHAN'),
        { key: 'LOG_LEVEL', kind: 'config', value: 'info' },
      ],
    ],
    [
      'production',
      [
        secret('API_KEY'),
        secret('DB_PASSWORD'),
        secret('ORPHAN'),
        { key: 'TOKEN', kind: 'config', value: 't' },
        { key: 'LOG_LEVEL', kind: 'config', value: 'warn' },
        { key: 'DATABASE_URL', kind: 'system', preview: 'postg***5432', system: true, addon: 'pg' },
      ],
    ],
  ])
  // What GET /compare?from=production&to=<env> answers (names only).
  const secrets: SecretComparison = {
    baseline: 'production',
    against: new Map([
      ['development', { changed: [], identicalSecrets: ['API_KEY', 'DB_PASSWORD'] }],
      [
        'staging',
        {
          changed: [
            { key: 'DB_PASSWORD', kind: 'secret' as const },
            { key: 'TOKEN', kind: 'secret' as const, kindChanged: true },
            { key: 'LOG_LEVEL', kind: 'config' as const, before: 'warn', after: 'info' },
          ],
          identicalSecrets: ['API_KEY'],
        },
      ],
    ]),
  }
  const view = (m: ReturnType<typeof compareMatrix>) =>
    m.map((r) => [
      r.key,
      ...r.cells.map((c) => c.state + (c.sameAs === undefined ? '' : ` =${c.sameAs.join('+')}`)),
    ])

  it('marks a secret differing from the baseline, and one shared by several environments', () => {
    expect(view(compareMatrix(envs, vars, [], secrets))).toEqual([
      [
        'API_KEY',
        'present =production+staging',
        'present =production+development',
        'present =development+staging',
      ],
      ['DB_PASSWORD', 'present =production', 'differs', 'present =development'],
      // Config keeps its own rule: every set value compared with every other.
      ['LOG_LEVEL', 'differs', 'differs', 'differs'],
      // Set in staging and production but not compared (no answer for it): only "present".
      ['ORPHAN', 'missing', 'present', 'present'],
      ['STRIPE_KEY', 'missing', 'present', 'missing'],
      // A secret in staging, config in production: the kind differs.
      ['TOKEN', 'missing', 'differs', 'present'],
    ])
  })

  it('without the comparison (loading, or refused) a secret is only present', () => {
    expect(view(compareMatrix(envs, vars)).find((r) => r[0] === 'DB_PASSWORD')).toEqual([
      'DB_PASSWORD',
      'present',
      'present',
      'present',
    ])
  })

  it('lists the reused secrets with their environments, and never carries a preview', () => {
    const m = compareMatrix(envs, vars, [], secrets)
    expect(reusedSecrets(m)).toEqual([
      { key: 'API_KEY', envs: ['development', 'staging', 'production'] },
      { key: 'DB_PASSWORD', envs: ['development', 'production'] },
    ])
    expect(JSON.stringify(m)).not.toContain('***')
    expect(m.map((r) => r.key)).not.toContain('DATABASE_URL')
  })

  it('picks the chosen baseline, else production, else the first environment', () => {
    expect(pickBaseline(envs, 'staging')).toBe('staging')
    expect(pickBaseline(envs, 'pr-9')).toBe('production')
    expect(pickBaseline(envs)).toBe('production')
    expect(pickBaseline([env('dev'), env('qa')])).toBe('dev')
    expect(pickBaseline([])).toBeUndefined()
  })
})

describe('routes', () => {
  const cases: Array<[string, Route]> = [
    ['/', { page: 'projects' }],
    ['/projects/shop', { page: 'project', project: 'shop' }],
    ['/projects/shop/compare', { page: 'compare', project: 'shop' }],
    ['/projects/shop/envs/pr-42', { page: 'env', project: 'shop', env: 'pr-42', tab: 'vars' }],
    [
      '/projects/shop/envs/staging/history',
      { page: 'env', project: 'shop', env: 'staging', tab: 'history' },
    ],
    [
      '/projects/shop/envs/staging/releases',
      { page: 'env', project: 'shop', env: 'staging', tab: 'releases' },
    ],
    ['/audit', { page: 'audit' }],
    ['/tokens', { page: 'tokens' }],
  ]
  it.each(cases)('%s ⇄ %j', (path, route) => {
    expect(parseRoute(path)).toEqual(route)
    expect(pathOf(route)).toBe(path)
  })

  it.each([
    '/nope',
    '/projects/shop/envs',
    '/projects/shop/envs/staging/secrets',
    '/tokens/x',
    '/projects/a/b/c/d/e',
  ])('%s is not a page', (path) => {
    expect(parseRoute(path)).toEqual({ page: 'not-found' })
  })
})

describe('event stream reader', () => {
  it('emits whole messages, keeps a partial one for the next chunk, skips comments', () => {
    const got: StreamEvent[] = []
    let rest = parseSseChunk(
      'retry: 3000\n: connected\n\nevent: variables.changed\ndata: {"projectId":"prj_1","environmentId":"env_1"}\n\nevent: release.cr',
      (e) => got.push(e),
    )
    expect(got).toEqual([
      { type: 'variables.changed', data: { projectId: 'prj_1', environmentId: 'env_1' } },
    ])
    rest = parseSseChunk(`${rest}eated\ndata: {"projectId":"prj_1"}\n\n: heartbeat\n\n`, (e) =>
      got.push(e),
    )
    expect(rest).toBe('')
    expect(got.map((e) => e.type)).toEqual(['variables.changed', 'release.created'])
  })
})
