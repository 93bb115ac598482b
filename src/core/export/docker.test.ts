import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { envArb, valueArb } from '../../../test/helpers/export-models/arbitraries.ts'
import { parseDockerEnvFile } from '../../../test/helpers/export-models/docker-kvfile.ts'
import { refusal } from '../../../test/helpers/export-models/refusal.ts'
import { isAppError } from '../errors.ts'
import { DOCKER_MAX_LINE_BYTES, exportDocker } from './docker.ts'

const both = (text: string) => [
  parseDockerEnvFile(text, { trimQuotes: false }),
  parseDockerEnvFile(text, { trimQuotes: true }),
]
const keyArb = fc.string({
  unit: fc.constantFrom('A', 'z', '_', '.', '-', '1', 'é', '=', ' ', '#', '\t', '\u0085', ';'),
  minLength: 1,
  maxLength: 6,
})

describe('exportDocker', () => {
  it('writes raw KEY=value lines: no quoting, spaces and # kept', () => {
    const env = new Map([
      ['A', 'hello world  '],
      ['a.b-c', '  #not a comment'],
      ['Q', '"starts only'],
      ['R', "it's"],
      ['CR', 'a\rb'],
      ['E', ''],
    ])
    const text = exportDocker(env)
    expect(text).toBe(
      'A=hello world  \na.b-c=  #not a comment\nQ="starts only\nR=it\'s\nCR=a\rb\nE=\n',
    )
    for (const read of both(text)) expect(read).toEqual([...env])
  })

  it('refuses what docker cannot carry or reads differently by version, all at once', () => {
    const err = refusal(() =>
      exportDocker([
        ['NL', 'a\nb'],
        ['TRAILING_CR', 'a\r'],
        ['DQ', '"quoted"'],
        ['SQ', "'q'"],
        ['A=B', 'x'],
        ['MY KEY', 'x'],
        ['#C', 'x'],
        ['\u0085N', 'x'],
        ['LONG', 'x'.repeat(DOCKER_MAX_LINE_BYTES)],
        ['OK', '"'],
      ]),
    )
    expect(err.message).toBe('9 variables cannot be exported as docker --env-file')
    expect(err.errors.map((e) => e.key)).toEqual([
      'NL',
      'TRAILING_CR',
      'DQ',
      'SQ',
      'A=B',
      'MY KEY',
      '#C',
      '\u0085N',
      'LONG',
    ])
    expect(err.errors[2]?.message).toBe(
      'cannot be exported as docker --env-file: the value starts and ends with the same quote, which docker ≤ 28 keeps and newer versions strip',
    )
    expect(err.errors[8]?.message).toMatch(/the line is 65540 bytes; docker reads at most 65535/)
  })

  it('accepts a line of exactly 65,535 bytes, which docker reads, and refuses one byte more', () => {
    const fits = 'é'.repeat((DOCKER_MAX_LINE_BYTES - 5) / 2) + 'xxx'
    const line = exportDocker([['A', fits]])
    expect(Buffer.byteLength(line)).toBe(DOCKER_MAX_LINE_BYTES + 1)
    for (const read of both(line)) expect(read).toEqual([['A', fits]])
    expect(() => exportDocker([['A', fits + 'x']])).toThrow('1 variable cannot be exported')
    expect(() => parseDockerEnvFile(`A=${fits}x\n`, { trimQuotes: false })).toThrow(
      'token too long',
    )
  })

  it('is read back exactly by docker ≤ 28 and by trimQuotes docker (model, 1,000 runs)', () => {
    let accepted = 0
    fc.assert(
      fc.property(envArb(keyArb, valueArb, 1, 8), (entries) => {
        const ok = entries.filter(([k, v]) => !refused(k, v))
        accepted += ok.length
        for (const read of both(exportDocker(ok))) expect(read).toEqual(ok)
      }),
      { numRuns: 1_000 },
    )
    expect(accepted).toBeGreaterThan(1_000)
  })

  // Keys are held to a stricter rule than docker's (no control characters anywhere), so this
  // checks the value rules, which decide what real variables can be exported.
  it('refuses only values a raw line would lose or docker versions read differently', () => {
    const key = 'K'
    fc.assert(
      fc.property(valueArb, (value) => {
        fc.pre(refused(key, value))
        const raw = `${key}=${value}\n`
        const reads = [false, true].map((trimQuotes) => {
          try {
            return parseDockerEnvFile(raw, { trimQuotes })
          } catch {
            return 'error'
          }
        })
        const exact = reads.every((r) => JSON.stringify(r) === JSON.stringify([[key, value]]))
        expect(exact).toBe(false)
      }),
      { numRuns: 1_000 },
    )
  })
})

function refused(key: string, value: string): boolean {
  try {
    exportDocker([[key, value]])
    return false
  } catch (err) {
    if (isAppError(err, 'UNREPRESENTABLE_VALUE')) return true
    throw err
  }
}
