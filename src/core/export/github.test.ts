import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { envArb, valueArb } from '../../../test/helpers/export-models/arbitraries.ts'
import {
  maskLine,
  masksOf,
  parseGithubEnvFile,
} from '../../../test/helpers/export-models/github-runner.ts'
import { refusal } from '../../../test/helpers/export-models/refusal.ts'
import { escapeCommandData, exportGithubEnv, githubMaskCommands } from './github.ts'

const githubKey = fc
  .stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,8}$/)
  .filter((k) => !/^(GITHUB|RUNNER)_/i.test(k) && k !== 'NODE_OPTIONS')

describe('exportGithubEnv', () => {
  it('writes every variable as a heredoc the runner reads back exactly', () => {
    const env: [string, string][] = [
      ['PLAIN', 'x'],
      ['EMPTY', ''],
      ['PEM', '-----BEGIN KEY-----\nabc\n-----END KEY-----\n'],
      ['TRICK', 'TRESOR_EOF\nINJECTED=1\nTRESOR_EOF_1'],
      ['CR', 'a\r\nb\r'],
    ]
    const text = exportGithubEnv(env)
    expect(text).toBe(
      'PLAIN<<TRESOR_EOF\nx\nTRESOR_EOF\n' +
        'EMPTY<<TRESOR_EOF\n\nTRESOR_EOF\n' +
        'PEM<<TRESOR_EOF\n-----BEGIN KEY-----\nabc\n-----END KEY-----\n\nTRESOR_EOF\n' +
        'TRICK<<TRESOR_EOF_2\nTRESOR_EOF\nINJECTED=1\nTRESOR_EOF_1\nTRESOR_EOF_2\n' +
        'CR<<TRESOR_EOF\na\r\nb\r\nTRESOR_EOF\n',
    )
    expect(parseGithubEnvFile(text)).toEqual(new Map(env))
  })

  it('round-trips through the runner model for any values (1,000 cases)', () => {
    fc.assert(
      fc.property(envArb(githubKey, valueArb), (env) => {
        expect(parseGithubEnvFile(exportGithubEnv(env))).toEqual(new Map(env))
      }),
      { numRuns: 1000 },
    )
  })

  it('refuses names the runner rejects or re-applies, naming them only', () => {
    const err = refusal(() =>
      exportGithubEnv([
        ['NODE_OPTIONS', 'canary-1'],
        ['GITHUB_TOKEN', 'canary-2'],
        ['runner_temp', 'canary-3'],
        ['A=B', 'canary-4'],
        ['OK', 'fine'],
      ]),
    )
    expect(err.code).toBe('UNREPRESENTABLE_VALUE')
    expect(err.errors.map((e) => e.key)).toEqual([
      'NODE_OPTIONS',
      'GITHUB_TOKEN',
      'runner_temp',
      'A=B',
    ])
    expect(JSON.stringify(err)).not.toContain('canary')
  })
})

describe('githubMaskCommands', () => {
  it('masks every non-blank line, escaping %, CR and LF for the command parser', () => {
    const out = githubMaskCommands([
      ['A', '50%0A off'],
      ['B', 'line1\r\nline2\n\n  \nline1'],
      ['C', ''],
    ])
    expect(out).toBe('::add-mask::50%250A off\n::add-mask::line1\n::add-mask::line2\n')
    expect(masksOf(out)).toEqual(['50%0A off', 'line1', 'line2'])
    expect(escapeCommandData('%\r\n')).toBe('%25%0D%0A')
  })

  it('hides every non-blank line of every value from a later log line (1,000 cases)', () => {
    fc.assert(
      fc.property(envArb(githubKey, valueArb), (env) => {
        const masks = masksOf(githubMaskCommands(env))
        for (const [, value] of env)
          for (const line of value.split(/\r\n|[\r\n]/))
            if (line.trim() !== '') expect(maskLine(`log: ${line} end`, masks)).not.toContain(line)
      }),
      { numRuns: 1000 },
    )
  })
})
