import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { parseDockerEnvFile } from '../../../test/helpers/export-models/docker-kvfile.ts'
import { RESEARCH_CASES, type Outcome } from '../../../test/helpers/export-models/research-cases.ts'
import { parseRubyDotenv } from '../../../test/helpers/export-models/ruby-dotenv.ts'
import { parseSystemdEnvFile } from '../../../test/helpers/export-models/systemd-env-file.ts'

// The exporter tests trust these models of consumers that cannot run here; this file earns that
// trust by replaying every measured row of the research table through them.

function outcome(parse: () => Map<string, string> | [string, string][]): Outcome {
  try {
    const got = parse()
    if (Array.isArray(got)) {
      const keys = got.map(([k]) => k)
      if (new Set(keys).size !== keys.length) return { value: got.map(([k, v]) => `${k}=${v}`) }
      return { value: Object.fromEntries(got) }
    }
    return { value: Object.fromEntries(got) }
  } catch (err) {
    return { error: (err as Error).message }
  }
}

function sorted(o: Outcome): unknown {
  // The table prints error texts with Go's escapes for tabs and quotes.
  if ('error' in o) return { error: o.error.replaceAll('\\t', '\t').replaceAll('\\"', '"') }
  if (Array.isArray(o.value)) return o
  return Object.entries(o.value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
}

const sh = (command: string): string => execFileSync('sh', ['-c', command], { encoding: 'utf8' })

describe('the consumer models reproduce every measured row of research §2', () => {
  it.each(RESEARCH_CASES.filter((c) => c.ruby).map((c) => [c.n, c.id, c] as const))(
    'Ruby dotenv 3.2: row %i %s',
    (_n, _id, c) => {
      const got = outcome(() => parseRubyDotenv(c.input, { run: sh }))
      const want = c.ruby as Outcome
      if ('error' in want) expect(got).toHaveProperty('error')
      else expect(sorted(got)).toEqual(sorted(want))
    },
  )

  it.each(RESEARCH_CASES.map((c) => [c.n, c.id, c] as const))(
    'docker kvfile: row %i %s',
    (_n, _id, c) => {
      expect(sorted(outcome(() => parseDockerEnvFile(c.input, { trimQuotes: false })))).toEqual(
        sorted(c.docker),
      )
      expect(sorted(outcome(() => parseDockerEnvFile(c.input, { trimQuotes: true })))).toEqual(
        sorted(c.dockerTrim),
      )
    },
  )

  it.each(RESEARCH_CASES.filter((c) => c.systemd).map((c) => [c.n, c.id, c] as const))(
    'systemd 252 EnvironmentFile=: row %i %s',
    (_n, _id, c) => {
      expect(sorted(outcome(() => parseSystemdEnvFile(c.input)))).toEqual(
        sorted(c.systemd as Outcome),
      )
    },
  )
})
