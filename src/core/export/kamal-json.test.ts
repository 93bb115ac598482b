import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { envArb, valueArb } from '../../../test/helpers/export-models/arbitraries.ts'
import {
  kamalExtract,
  parseKamalSecrets,
  rubyShellSplit,
} from '../../../test/helpers/export-models/kamal-secrets.ts'
import { refusal } from '../../../test/helpers/export-models/refusal.ts'
import { exportKamalJson, rubyShellEscape } from './kamal-json.ts'

const rubyKey = fc
  .stringMatching(/^[A-Za-z0-9_.]{1,8}$/)
  .filter((k) => k !== 'TRESOR_SECRETS' && k !== 'DOTENV_LINEBREAK_MODE')
const kamalValue = valueArb.filter((v) => !/[\r\n]$/.test(v))

/** What Kamal 2.12 hands the app for each key of `env`, read through `.kamal/secrets`. */
function throughKamal(env: [string, string][]): Map<string, string> {
  const exported = exportKamalJson(env)
  const lines = [
    'TRESOR_SECRETS=$(tresor export --format kamal-json -p myapp -e production)',
    ...env.map(([k]) => `${k}=$(kamal secrets extract ${k} \${TRESOR_SECRETS})`),
  ]
  const read = parseKamalSecrets(lines.join('\n') + '\n', {
    shell: (command) => {
      expect(command).toBe('tresor export --format kamal-json -p myapp -e production')
      return exported
    },
  })
  read.delete('TRESOR_SECRETS')
  return read
}

describe('exportKamalJson', () => {
  it('prints the JSON shell-escaped, as kamal secrets fetch does', () => {
    expect(exportKamalJson([['A', 'b c']])).toBe('\\{\\"A\\":\\"b\\ c\\"\\}\n')
    expect(rubyShellEscape('')).toBe("''")
    expect(rubyShellEscape('a-b.c,d:e+f/g@h_1')).toBe('a-b.c,d:e+f/g@h_1')
    expect(rubyShellEscape('é $')).toBe('\\é\\ \\$')
    expect(rubyShellSplit(rubyShellEscape('{"x": "y z"}'))).toEqual(['{"x": "y z"}'])
  })

  it('escapes $ so dotenv leaves it, except $( which it never re-reads', () => {
    const env: [string, string][] = [
      ['DOLLARS', 'pa$1wor$D ${HOME} $$ \\$x \\'],
      ['COMMAND', '$(touch /tmp/pwned) `id`'],
      ['QUOTES', `it's "q" \\" \\\\`],
      ['PEM', '-----BEGIN-----\nabc\n-----END-----'],
      ['EMPTY', ''],
    ]
    expect(throughKamal(env)).toEqual(new Map(env))
  })

  it('reaches the app unchanged through Kamal 2.12 and Ruby dotenv 3.2 (1,000 cases)', () => {
    fc.assert(
      fc.property(envArb(rubyKey, kamalValue), (env) => {
        expect(throughKamal(env)).toEqual(new Map(env))
      }),
      { numRuns: 1000 },
    )
  })

  it('finds keys the way kamal secrets extract does', () => {
    expect(kamalExtract('B', '{"vault/item/B":"x"}')).toBe('x')
    expect(() => kamalExtract('C', '{"B":"x"}')).toThrow('Could not find secret C')
  })

  it('refuses what Kamal cannot carry, naming keys only', () => {
    const err = refusal(() =>
      exportKamalJson([
        ['a-b', 'canary-1'],
        ['NL', 'canary-2\n'],
        ['CR', 'canary-3\r'],
        ['OK', 'fine\nhere'],
      ]),
    )
    expect(err.errors.map((e) => e.key)).toEqual(['a-b', 'NL', 'CR'])
    expect(JSON.stringify(err)).not.toContain('canary')
  })
})
