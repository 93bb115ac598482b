import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { envArb, valueArb } from '../../../test/helpers/export-models/arbitraries.ts'
import { refusal } from '../../../test/helpers/export-models/refusal.ts'
import { parseRubyDotenv } from '../../../test/helpers/export-models/ruby-dotenv.ts'
import { isAppError } from '../errors.ts'
import { exportKamal, kamalValue } from './kamal.ts'

const rubyKey = fc
  .stringMatching(/^[A-Za-z0-9_.]{1,8}$/)
  .filter((k) => k !== 'DOTENV_LINEBREAK_MODE')
const noCommands = (cmd: string): string => {
  throw new Error(`a command would run: ${cmd}`)
}
const readBoth = (text: string) => [
  parseRubyDotenv(text, { kamal: true, run: noCommands }),
  parseRubyDotenv(text, { kamal: false, run: noCommands }),
]

describe('exportKamal', () => {
  it('single-quotes values without a quote and double-quotes the rest (research §5)', () => {
    const env: [string, string][] = [
      ['PLAIN', 'secret $HOME $(whoami) \\n # not a comment'],
      ['PEM', '-----BEGIN-----\nabc\\\n-----END-----'],
      ['QUOTE', 'it\'s "q" $VAR ${X} \\ \\n\nnext'],
      ['EMPTY', ''],
      ['a.b', '${{project.KEY}}'],
    ]
    const text = exportKamal(env)
    expect(text).toBe(
      [
        "PLAIN='secret $HOME $(whoami) \\n # not a comment'",
        "PEM='-----BEGIN-----\nabc\\\n-----END-----'",
        'QUOTE="it\'s \\"q\\" \\$VAR \\${X} \\\\ \\\\n\nnext"',
        "EMPTY=''",
        "a.b='${{project.KEY}}'",
        '',
      ].join('\n'),
    )
    for (const read of readBoth(text)) expect(read).toEqual(new Map(env))
  })

  it('matches the measured Ruby dotenv 3.2 reading of its escapes', () => {
    // research §5: `"q\"d\$b\\e"` gives q"d$b\e; raw newlines survive in either quotes.
    expect(kamalValue('q"d$b\\e\'')).toBe('"q\\"d\\$b\\\\e\'"')
    expect(parseRubyDotenv('A="q\\"d\\$b\\\\e"\n').get('A')).toBe('q"d$b\\e')
    expect(parseRubyDotenv('A="l1\nl2"\nB=\'l1\nl2\'\n')).toEqual(
      new Map([
        ['A', 'l1\nl2'],
        ['B', 'l1\nl2'],
      ]),
    )
  })

  it('refuses, naming each key, what Ruby dotenv would misread', () => {
    const err = refusal(() =>
      exportKamal([
        ['my-key', 'x'],
        ['DOTENV_LINEBREAK_MODE', 'legacy'],
        ['CR', 'a\r\nb'],
        ['BS', 'C:\\dir\\'],
        ['CMD', "it's $(date"],
        // Balanced, so Ruby would read it right; refused anyway to keep the rule simple and safe.
        ['CMD2', "it's $(date)"],
      ]),
    )
    expect(err.message).toBe('6 variables cannot be exported as Kamal secrets')
    expect(err.errors.map((e) => e.key)).toEqual([
      'my-key',
      'DOTENV_LINEBREAK_MODE',
      'CR',
      'BS',
      'CMD',
      'CMD2',
    ])
  })

  it.each([
    ['a key with -: the line is skipped', "my-key='x'\n", new Map()],
    ['a CR: it becomes LF', "CR='a\rb'\n", new Map([['CR', 'a\nb']])],
    [
      'a final backslash: it escapes the quote and swallows the next line',
      `BS='x\\'\nZ=${kamalValue("y'\nz")}\n`,
      new Map([['BS', 'x\\\'\nZ="y']]),
    ],
    [
      "' with an unbalanced $(: the backslash stays",
      `C=${'"it\'s \\$(date"'}\n`,
      new Map([['C', "it's \\$(date"]]),
    ],
    [
      "' with a nested $(: the inner backslash stays",
      `C="'\\$(\\$(x))"\n`,
      new Map([['C', "'$(\\$(x))"]]),
    ],
    [
      'DOTENV_LINEBREAK_MODE=legacy: later \\n escapes turn into newlines',
      `DOTENV_LINEBREAK_MODE=legacy\nA=${kamalValue("'a\\nb")}\n`,
      new Map([
        ['DOTENV_LINEBREAK_MODE', 'legacy'],
        ['A', "'a\nb"],
      ]),
    ],
  ])('shows why it refuses %s', (_why, file, misread) => {
    expect(parseRubyDotenv(file, { kamal: true, run: noCommands })).toEqual(misread)
  })

  it('is read back exactly by the Ruby dotenv 3.2 model and never runs a command (1,000 runs)', () => {
    let accepted = 0
    fc.assert(
      fc.property(envArb(rubyKey, valueArb, 1, 10), (entries) => {
        const ok = entries.filter(([k, v]) => !refused(k, v))
        accepted += ok.length
        for (const read of readBoth(exportKamal(ok))) expect(read).toEqual(new Map(ok))
      }),
      { numRuns: 1_000 },
    )
    expect(accepted).toBeGreaterThan(3_000)
  })
})

function refused(key: string, value: string): boolean {
  try {
    exportKamal([[key, value]])
    return false
  } catch (err) {
    if (isAppError(err, 'UNREPRESENTABLE_VALUE')) return true
    throw err
  }
}
