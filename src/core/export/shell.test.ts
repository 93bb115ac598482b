import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { envArb } from '../../../test/helpers/export-models/arbitraries.ts'
import { sourceInShell } from '../../../test/helpers/export-models/real-consumers.ts'
import { refusal } from '../../../test/helpers/export-models/refusal.ts'
import { exportShell } from './shell.ts'

describe('exportShell', () => {
  it('writes one single-quoted export per variable, in order', () => {
    const env = new Map([
      ['B', "it's"],
      ['A', 'multi\nline $HOME `x` \\ "q"'],
      ['EMPTY', ''],
    ])
    expect(exportShell(env)).toBe(
      "export B='it'\\''s'\nexport A='multi\nline $HOME `x` \\ \"q\"'\nexport EMPTY=''\n",
    )
  })

  it('writes nothing for an empty environment', () => {
    expect(exportShell([])).toBe('')
  })

  it('refuses every key that is not a shell name, and NUL, in one error', () => {
    const err = refusal(() =>
      exportShell([
        ['a.b', '1'],
        ['OK', 'fine'],
        ['my-var', '2'],
        ['1A', '3'],
        ['NUL', 'a\0b'],
      ]),
    )
    expect(err.code).toBe('UNREPRESENTABLE_VALUE')
    expect(err.message).toBe('4 variables cannot be exported as shell')
    expect(err.errors.map((e) => e.key)).toEqual(['a.b', 'my-var', '1A', 'NUL'])
    expect(err.errors[3]?.message).toBe(
      'cannot be exported as shell: the value contains a NUL character',
    )
  })

  // 100 runs × up to 20 variables: > 1,000 values through each real shell, batched per file.
  it.each(['bash', 'dash'] as const)('is read back byte for byte by a real %s', (shell) => {
    let values = 0
    fc.assert(
      fc.property(envArb(undefined, undefined, 10, 20), (entries) => {
        values += entries.length
        const got = sourceInShell(shell, exportShell(entries))
        const ours = [...got.keys()].filter((k) => k.startsWith('T_')).sort()
        expect(ours).toEqual(entries.map(([k]) => k).sort())
        for (const [key, value] of entries)
          expect(got.get(key)?.equals(Buffer.from(value))).toBe(true)
      }),
      { numRuns: 100 },
    )
    expect(values).toBeGreaterThanOrEqual(1_000)
  })
})
