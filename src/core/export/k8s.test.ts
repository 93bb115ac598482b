import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import YAML from 'yaml'
import { envArb, valueArb } from '../../../test/helpers/export-models/arbitraries.ts'
import { refusal } from '../../../test/helpers/export-models/refusal.ts'
import { deriveSecretName, exportK8s, K8S_MAX_SECRET_BYTES } from './k8s.ts'

interface Manifest {
  apiVersion: string
  kind: string
  metadata: { name: string; namespace?: string }
  type: string
  data: Record<string, string>
}

function decode(text: string, version: '1.1' | '1.2' = '1.2'): [Manifest, Map<string, string>] {
  const doc = YAML.parse(text, { version }) as Manifest
  const data = Object.entries(doc.data).map(([k, b64]) => {
    expect(b64).toMatch(/^[A-Za-z0-9+/]*={0,2}$/)
    return [k, Buffer.from(b64, 'base64').toString('utf8')] as [string, string]
  })
  return [doc, new Map(data)]
}

const k8sKey = fc.stringMatching(/^[A-Za-z_][-._a-zA-Z0-9]{0,10}$/)

describe('exportK8s', () => {
  it('writes a v1 Opaque Secret named after project and environment', () => {
    const text = exportK8s(
      [
        ['DATABASE_URL', 'postgres://db'],
        ['yes', 'é\n'],
      ],
      { project: 'MyApp', environment: 'production', namespace: 'apps' },
    )
    expect(text).toBe(
      [
        'apiVersion: v1',
        'kind: Secret',
        'metadata:',
        '  name: "myapp-production"',
        '  namespace: "apps"',
        'type: Opaque',
        'data:',
        '  "DATABASE_URL": "cG9zdGdyZXM6Ly9kYg=="',
        '  "yes": "w6kK"',
        '',
      ].join('\n'),
    )
    const [doc, data] = decode(text, '1.1')
    expect(doc.metadata).toEqual({ name: 'myapp-production', namespace: 'apps' })
    expect([doc.apiVersion, doc.kind, doc.type]).toEqual(['v1', 'Secret', 'Opaque'])
    expect(data).toEqual(
      new Map([
        ['DATABASE_URL', 'postgres://db'],
        ['yes', 'é\n'],
      ]),
    )
  })

  it('writes data: {} for an empty environment, with the given name', () => {
    expect(YAML.parse(exportK8s([], { name: 'web.secrets' }))).toMatchObject({
      metadata: { name: 'web.secrets' },
      data: {},
    })
  })

  it.each([
    [['MyApp', 'Production'], 'myapp-production'],
    [['my_app', 'pr-42'], 'my-app-pr-42'],
    [['--App--', '..x..'], 'app.x'],
    [[undefined, undefined], 'tresor'],
    [['', '___'], 'tresor'],
    [['a'.repeat(300), 'b'], 'a'.repeat(253)],
  ] as const)('derives %j → %j, a valid DNS-1123 subdomain', ([project, env], name) => {
    expect(deriveSecretName(project, env)).toBe(name)
    expect(() => exportK8s([], { project: project ?? '', environment: env ?? '' })).not.toThrow()
  })

  it('always derives a valid DNS-1123 subdomain (1,000 runs)', () => {
    const slug = fc.option(fc.string({ unit: 'binary', maxLength: 300 }), { nil: undefined })
    fc.assert(
      fc.property(slug, slug, (project, environment) => {
        const name = deriveSecretName(project, environment)
        expect(name.length).toBeLessThanOrEqual(253)
        expect(name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/)
      }),
      { numRuns: 1_000 },
    )
  })

  it.each(['123', '1e3', 'null', 'yes', 'true'])('keeps the name %s a string', (name) => {
    for (const version of ['1.1', '1.2'] as const) {
      const [doc] = decode(exportK8s([], { name, namespace: name }), version)
      expect(doc.metadata).toEqual({ name, namespace: name })
    }
  })

  it('refuses an invalid explicit name or namespace as a validation error', () => {
    expect(refusal(() => exportK8s([], { name: 'My_Secret' })).errors[0]?.field).toBe('name')
    expect(refusal(() => exportK8s([], { name: 'a'.repeat(254) })).code).toBe('VALIDATION_FAILED')
    expect(refusal(() => exportK8s([], { name: 'ok', namespace: 'a.b' })).errors[0]?.field).toBe(
      'namespace',
    )
  })

  it('refuses keys Kubernetes rejects, each by name, and data over 1 MiB', () => {
    const err = refusal(() =>
      exportK8s([
        ['MY KEY', '1'],
        ['é', '2'],
        ['..x', '3'],
        ['.', '4'],
        ['k'.repeat(254), '5'],
        ['OK', '6'],
      ]),
    )
    expect(err.code).toBe('UNREPRESENTABLE_VALUE')
    expect(err.errors.map((e) => e.key)).toEqual(['MY KEY', 'é', '..x', '.', 'k'.repeat(254)])
    const big = refusal(() => exportK8s([['A', 'x'.repeat(K8S_MAX_SECRET_BYTES)]]))
    expect(big.errors).toEqual([
      {
        field: 'data',
        message: "the Secret's data would be 1048577 bytes; Kubernetes allows 1 MiB",
      },
    ])
  })

  it('round-trips through YAML and base64 exactly (1,000 runs)', () => {
    fc.assert(
      fc.property(envArb(k8sKey, valueArb, 0, 10), (entries) => {
        const [, data] = decode(exportK8s(entries, { project: 'p', environment: 'e' }))
        expect(data).toEqual(new Map(entries))
      }),
      { numRuns: 1_000 },
    )
  })
})
