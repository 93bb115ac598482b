import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { resolveReferences } from './resolve.ts'
import { escapeReferences, parseTemplate } from './scan.ts'

const RUNS = { numRuns: 1_000 }
// Bias the alphabet towards the characters the template syntax cares about.
const tricky = fc.constantFrom('$', '{', '}', '${{', '$${{', '}}', ' ', 'project.', 'A', 'é', '🌍')
const text = fc.oneof(
  fc.string({ unit: fc.oneof(tricky, fc.string({ unit: 'binary', maxLength: 1 })) }),
  fc.string({ unit: 'binary' }),
)
const key = fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,5}$/)

describe('reference properties', () => {
  it('leaves values without ${{ unchanged', () => {
    const plain = text.filter((v) => !v.includes('${{'))
    fc.assert(
      fc.property(fc.dictionary(key, plain), (vars) => {
        expect(Object.fromEntries(resolveReferences(vars, {}, {}))).toEqual(vars)
      }),
      RUNS,
    )
  })

  it('round-trips escaped text: resolving escapeReferences(s) gives s back', () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(parseTemplate(escapeReferences(s)).every((p) => p.kind === 'text')).toBe(true)
        expect(resolveReferences({ A: escapeReferences(s) }, {}, {}).get('A')).toBe(s)
      }),
      RUNS,
    )
  })

  it('agrees with naive substitution and is idempotent on output without ${{', () => {
    // Each variable may reference only earlier ones, so the graph is acyclic by construction.
    const env = fc.uniqueArray(key, { minLength: 1, maxLength: 8 }).chain((keys) =>
      fc.tuple(
        fc.constant(keys),
        fc.array(fc.array(fc.oneof(text, fc.nat({ max: 7 })), { maxLength: 4 }), {
          minLength: keys.length,
          maxLength: keys.length,
        }),
      ),
    )
    fc.assert(
      fc.property(env, ([keys, pieces]) => {
        const vars = new Map<string, string>()
        const expected = new Map<string, string>()
        keys.forEach((k, i) => {
          let raw = ''
          let want = ''
          let run = ''
          for (const piece of pieces[i] ?? []) {
            if (typeof piece === 'string') run += piece
            else if (i > 0) {
              // A `$` right before `${{` would read as the `$${{` escape: the grammar's one
              // ambiguity, so keep a character between them.
              if (run.endsWith('$')) run += 'x'
              const target = keys[piece % i] as string
              raw += escapeReferences(run) + `\${{ ${target} }}`
              want += run + (expected.get(target) ?? '')
              run = ''
            }
          }
          vars.set(k, raw + escapeReferences(run))
          expected.set(k, want + run)
        })
        const out = resolveReferences(vars, {}, {})
        expect(out).toEqual(expected)
        if ([...out.values()].every((v) => !v.includes('${{')))
          expect(resolveReferences(out, {}, {})).toEqual(out)
      }),
      RUNS,
    )
  })
})
