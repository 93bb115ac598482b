// SARIF 2.1.0 output, checked field by field against what the specification requires of a log,
// a run, a rule and a result, and with each location resolved back to the real file.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { RULE_IDS } from '../../src/core/scan/index.ts'
import { credentialSamples } from './helpers/credentials.ts'
import { runScan } from './helpers/run-scan.ts'

interface Sarif {
  $schema: string
  version: string
  runs: {
    tool: {
      driver: {
        name: string
        version: string
        rules: { id: string; shortDescription: { text: string } }[]
      }
    }
    originalUriBaseIds: Record<string, { uri: string }>
    results: {
      ruleId: string
      ruleIndex: number
      level: string
      message: { text: string }
      locations: {
        physicalLocation: {
          artifactLocation: { uri: string; uriBaseId: string }
          region: { startLine: number; startColumn: number }
        }
      }[]
    }[]
  }[]
}

let dir: string
const samples = credentialSamples()
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tresor-sarif-'))
  mkdirSync(join(dir, 'odd dir#1'))
  writeFileSync(
    join(dir, 'odd dir#1', 'ünï code.txt'),
    samples.map((s) => `k = ${s.text}`).join('\n'),
  )
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

it('is a valid SARIF 2.1.0 log whose results point at the exact files, lines and columns', async () => {
  const run = await runScan([], { format: 'sarif', offline: true }, { cwd: dir, env: {} })
  expect(run.code).toBe(1)
  const log = JSON.parse(run.stdout) as Sarif
  expect(log.version).toBe('2.1.0')
  expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json')
  expect(log.runs).toHaveLength(1)
  const [sarifRun] = log.runs
  if (sarifRun === undefined) throw new Error('no run')
  const { driver } = sarifRun.tool
  expect({ name: driver.name, version: driver.version }).toEqual({
    name: 'tresor',
    version: '0.0.0-test',
  })
  expect(driver.rules.map((r) => r.id)).toEqual([...RULE_IDS])
  for (const rule of driver.rules) expect(rule.shortDescription.text.length).toBeGreaterThan(10)
  const base = sarifRun.originalUriBaseIds['%SRCROOT%']?.uri ?? ''
  expect(fileURLToPath(base)).toBe(`${dir}/`)
  expect(sarifRun.results).toHaveLength(samples.length)
  for (const [i, result] of sarifRun.results.entries()) {
    const sample = samples[i]
    expect(result.ruleId).toBe(sample?.rule)
    expect(driver.rules[result.ruleIndex]?.id).toBe(result.ruleId)
    expect(result.level).toBe('error')
    expect(result.message.text).toContain(sample?.hint)
    expect(result.message.text).not.toContain(sample?.text)
    const { artifactLocation, region } = result.locations[0]?.physicalLocation ?? {}
    expect(artifactLocation?.uriBaseId).toBe('%SRCROOT%')
    expect(artifactLocation?.uri).not.toMatch(/[ #]/)
    expect(fileURLToPath(new URL(artifactLocation?.uri ?? '', base))).toBe(
      join(dir, 'odd dir#1', 'ünï code.txt'),
    )
    expect(region).toEqual({ startLine: i + 1, startColumn: 5 })
  }
})

it('is a valid empty log when nothing leaks', async () => {
  writeFileSync(join(dir, 'odd dir#1', 'ünï code.txt'), 'clean\n')
  const run = await runScan([], { format: 'sarif', offline: true }, { cwd: dir, env: {} })
  expect(run.code).toBe(0)
  expect((JSON.parse(run.stdout) as Sarif).runs[0]?.results).toEqual([])
})
