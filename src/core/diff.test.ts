import { describe, expect, it } from 'vitest'
import { diffVariables, type VarKind } from './diff.ts'
import { parseDuration } from './duration.ts'

const side = (values: Record<string, string>, secrets: string[] = []) => ({
  values: new Map(Object.entries(values)),
  kinds: new Map<string, VarKind>(secrets.map((k) => [k, 'secret'])),
})

describe('diffVariables', () => {
  it('reports added, removed and changed keys, config values only', () => {
    const before = side({ A: '1', B: '2', S: 'old-secret-value-1234', KEEP: 'x' }, ['S'])
    const after = side({ A: '1', B: '3', S: 'new-secret-value-5678', N: 'n', T: 'tok' }, ['S', 'T'])
    expect(diffVariables(before, after)).toEqual({
      added: [
        { key: 'N', kind: 'config', value: 'n' },
        { key: 'T', kind: 'secret' },
      ],
      removed: [{ key: 'KEEP', kind: 'config' }],
      changed: [
        { key: 'B', kind: 'config', before: '2', after: '3' },
        { key: 'S', kind: 'secret' },
      ],
    })
  })

  it('never carries a secret value, even when a key changes kind', () => {
    const canary = 'canary-7f3e9a1b2c4d5e6f'
    const d1 = diffVariables(side({ K: canary }), side({ K: canary }, ['K']))
    const d2 = diffVariables(side({ K: canary }, ['K']), side({ K: 'plain' }))
    expect(d1.changed).toEqual([{ key: 'K', kind: 'secret', kindChanged: true }])
    expect(d2.changed).toEqual([{ key: 'K', kind: 'config', kindChanged: true }])
    expect(JSON.stringify([d1, d2])).not.toContain(canary)
  })
})

describe('parseDuration', () => {
  it.each([
    ['30d', 30 * 86_400_000],
    ['12h', 43_200_000],
    ['15m', 900_000],
    ['45s', 45_000],
    ['2w', 1_209_600_000],
  ])('%s', (text, ms) => expect(parseDuration(text)).toBe(ms))
  it.each(['', '0d', '1y', '-1d', '1.5h', 'd', '99999w'])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined()
  })
})
