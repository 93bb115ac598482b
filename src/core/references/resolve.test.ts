import { describe, expect, it } from 'vitest'
import { AppError } from '../errors.ts'
import { resolveReferences } from './resolve.ts'

function failure(fn: () => unknown): AppError {
  try {
    fn()
  } catch (err) {
    if (err instanceof AppError) return err
    throw err
  }
  throw new Error('expected an AppError')
}

describe('resolveReferences', () => {
  it('substitutes env, project and system references recursively', () => {
    const out = resolveReferences(
      {
        API_URL: 'https://${{HOST}}:${{PORT}}/v1',
        HOST: '${{project.DOMAIN}}',
        DB: '${{project.DB_URL}}?pool=${{DATABASE_POOL_SIZE}}',
      },
      { DOMAIN: 'api.${{ROOT}}', ROOT: 'example.com', DB_URL: 'postgres://${{project.ROOT}}/db' },
      { PORT: '8080', DATABASE_POOL_SIZE: '5' },
    )
    expect([...out]).toEqual([
      ['API_URL', 'https://api.example.com:8080/v1'],
      ['HOST', 'api.example.com'],
      ['DB', 'postgres://example.com/db?pool=5'],
      ['PORT', '8080'],
      ['DATABASE_POOL_SIZE', '5'],
    ])
  })

  it('lets system variables win over user variables, in place, without scanning the loser', () => {
    const out = resolveReferences(
      new Map([
        ['PORT', '${{MISSING}}'],
        ['A', 'port ${{PORT}}'],
      ]),
      {},
      new Map([
        ['PORT', '7000'],
        ['APP_ENV', 'production'],
      ]),
    )
    expect([...out]).toEqual([
      ['PORT', '7000'],
      ['A', 'port 7000'],
      ['APP_ENV', 'production'],
    ])
  })

  it('treats system values as final text', () => {
    const out = resolveReferences({ A: '${{S}}' }, {}, { S: '${{NOPE}} $${{x}}' })
    expect(out.get('A')).toBe('${{NOPE}} $${{x}}')
  })

  it('unescapes $${{ and never rescans substituted text', () => {
    const out = resolveReferences(
      { A: '$${{B}}', B: 'literal', C: '${{A}}', D: '$VAR ${VAR} pa$$word $' },
      {},
      {},
    )
    expect(Object.fromEntries(out)).toEqual({
      A: '${{B}}',
      B: 'literal',
      C: '${{B}}',
      D: '$VAR ${VAR} pa$$word $',
    })
  })

  it('resolves ${{KEY}} inside a project variable to another project variable', () => {
    const out = resolveReferences(
      { A: '${{project.P}}', Q: 'env-q' },
      { P: '${{Q}}+${{project.Q}}', Q: 'proj-q' },
      {},
    )
    expect(out.get('A')).toBe('proj-q+proj-q')
  })

  it('accepts plain records with odd own keys such as __proto__', () => {
    const vars = JSON.parse('{"__proto__":"x","B":"${{__proto__}}"}') as Record<string, string>
    expect(Object.fromEntries(resolveReferences(vars, {}, {}))).toEqual(
      JSON.parse('{"__proto__":"x","B":"x"}'),
    )
  })

  it('reports a missing reference naming the holder and the target', () => {
    const err = failure(() => resolveReferences({ API_URL: 'http://${{HOST}}' }, {}, {}))
    expect(err.code).toBe('REFERENCE_ERROR')
    expect(err.message).toBe('cannot resolve references: 1 problem')
    expect(err.errors).toEqual([
      { key: 'API_URL', message: 'references ${{HOST}}, which is not set' },
    ])
  })

  it('reports every missing key, cycle and malformed reference at once', () => {
    const err = failure(() =>
      resolveReferences(
        {
          A: '${{B}}',
          B: '${{C}}x${{C}}',
          C: '${{A}}',
          SELF: '${{SELF}}',
          M: '${{HOST}} ${{project.NOPE}} ${{HOST}}',
          P: '${{project.P1}}',
          BAD: 'pw ${{not valid}}',
          OK: 'fine',
          DEPENDS: '${{A}}',
        },
        { P1: '${{P2}}', P2: '${{project.P1}} ${{GONE}}' },
        {},
      ),
    )
    expect(err.message).toBe('cannot resolve references: 7 problems')
    expect(err.errors).toEqual([
      { key: 'A', message: 'is part of a reference cycle: A → B → C → A' },
      { key: 'SELF', message: 'is part of a reference cycle: SELF → SELF' },
      { key: 'M', message: 'references ${{HOST}}, which is not set' },
      { key: 'M', message: 'references ${{project.NOPE}}, which is not set in the project' },
      {
        key: 'project.P1',
        message: 'is part of a reference cycle: project.P1 → project.P2 → project.P1',
      },
      { key: 'project.P2', message: 'references ${{GONE}}, which is not set in the project' },
      {
        key: 'BAD',
        message:
          'has a malformed reference at character 4: reference name: contains a space (write $${{ for a literal ${{)',
      },
    ])
  })

  it('never puts a value in an error message', () => {
    const secret = 'hunter2-SECRET-canary'
    const err = failure(() =>
      resolveReferences(
        { A: `${secret}\${{B}}`, B: `${secret}\${{A}}`, C: `${secret}\${{X}}`, D: `\${{${secret}` },
        { P: secret },
        { S: secret },
      ),
    )
    expect(err.errors).toHaveLength(3)
    expect(JSON.stringify([err.message, err.errors])).not.toContain('canary')
  })
})

describe('resolveReferences at scale', () => {
  it('resolves a 10,000-deep chain without recursion limits, in milliseconds', () => {
    const vars = new Map<string, string>([['V0', 'root']])
    for (let i = 1; i < 10_000; i++) vars.set(`V${i}`, `\${{V${i - 1}}}`)
    const started = performance.now()
    const out = resolveReferences(vars, {}, {})
    const ms = performance.now() - started
    expect(out.get('V9999')).toBe('root')
    expect(out.size).toBe(10_000)
    expect(ms).toBeLessThan(1_000)
  })

  it('resolves 10,000 variables in 100 growing chains plus shared fan-in, linearly', () => {
    const vars = new Map<string, string>()
    for (let c = 0; c < 100; c++) {
      vars.set(`C${c}_0`, `c${c}`)
      for (let i = 1; i < 100; i++) vars.set(`C${c}_${i}`, `\${{C${c}_${i - 1}}}.\${{project.D}}`)
    }
    const started = performance.now()
    const out = resolveReferences(vars, { D: 'd' }, {})
    const ms = performance.now() - started
    expect(out.get('C7_99')).toBe('c7' + '.d'.repeat(99))
    expect(ms).toBeLessThan(2_000)
  })

  it('memoizes: a 20-level diamond (2^20 paths) resolves each variable once', () => {
    const vars = new Map<string, string>([['L0', 'x']])
    for (let i = 1; i <= 20; i++) vars.set(`L${i}`, `\${{L${i - 1}}}\${{L${i - 1}}}`)
    const started = performance.now()
    const out = resolveReferences(vars, {}, {})
    expect(out.get('L20')).toHaveLength(2 ** 20)
    expect(performance.now() - started).toBeLessThan(1_000)
  })

  it('reports a 10,000-long cycle once', () => {
    const vars = new Map<string, string>()
    for (let i = 0; i < 10_000; i++) vars.set(`V${i}`, `\${{V${(i + 1) % 10_000}}}`)
    const err = failure(() => resolveReferences(vars, {}, {}))
    expect(err.errors).toHaveLength(1)
    expect(err.errors[0]?.message).toMatch(
      /^is part of a reference cycle: V0 → V1 → .* → V9999 → V0$/,
    )
  })
})
