// Scanning on several threads finds exactly what one thread finds. Worker threads cannot load
// TypeScript, so the scanner is bundled first, as the CLI build does.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { build } from 'esbuild'
import { afterAll, beforeAll, expect, it } from 'vitest'
import {
  defaultThreads,
  PARALLEL_MIN_BYTES,
  shareOut,
} from '../../src/cli/commands/scan-parallel.ts'
import type { ScanFile } from '../../src/cli/commands/scan-files.ts'
import { fingerprintItem, sortFindings } from '../../src/core/scan/index.ts'
import { githubToken } from './helpers/credentials.ts'

type Engine = typeof import('./helpers/engine-entry.ts')

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tresor-scan-par-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

it('shares files out by size, largest first to the lightest share', () => {
  const files = [5, 1, 9, 3, 3, 7].map((size, i): ScanFile => ({
    abs: `/${i}`,
    display: `${i}`,
    size,
  }))
  const shares = shareOut(files, 3).map((s) => s.map((f) => f.size))
  expect(shares).toEqual([[9], [7, 3], [5, 3, 1]])
})

it('finds the same leaks on 3 threads as on 1, in a tree big enough to fork', async () => {
  await build({
    entryPoints: {
      engine: join(import.meta.dirname, 'helpers', 'engine-entry.ts'),
      // The workers' entry, found beside the engine as dist/scan-worker.js is beside the CLI.
      'scan-worker': join(import.meta.dirname, '../../src/cli/commands/scan-worker.ts'),
    },
    outdir: join(dir, 'bundle'),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  })
  const engine = (await import(pathToFileURL(join(dir, 'bundle', 'engine.js')).href)) as Engine
  const key = Buffer.alloc(32, 7)
  const secret = 'own-secret-value-42'
  const filler = `${'const value = compute(input, options) // filler line\n'.repeat(20_000)}`
  const tree = join(dir, 'tree')
  for (let i = 0; i < 24; i++) {
    mkdirSync(join(tree, `d${i % 4}`), { recursive: true })
    writeFileSync(
      join(tree, `d${i % 4}`, `f${i}.js`),
      `${filler}x = "${secret}"\ny = '${githubToken()}'\n`,
    )
  }
  const files = engine.listFiles([tree], tree, engine.createIgnoreTree(tree, true))
  expect(files.reduce((n, f) => n + f.size, 0)).toBeGreaterThan(PARALLEL_MIN_BYTES)
  const wire = {
    scanKey: key.toString('base64'),
    items: [fingerprintItem(key, 'K', 'dev', secret)],
  }
  const one = await engine.scanFilesInParallel(files, wire, 1)
  const three = await engine.scanFilesInParallel(files, wire, 3)
  expect(one.findings).toHaveLength(48)
  expect(sortFindings(three.findings)).toEqual(sortFindings(one.findings))
  expect({ ...three, findings: [] }).toEqual({ ...one, findings: [], threads: 3 })
  expect(one.threads).toBe(1)
})

it('uses one thread per core from 4 cores up (at most 8), one thread below', () => {
  expect([1, 2, 3, 4, 6, 16].map((cores) => defaultThreads(cores))).toEqual([1, 1, 1, 4, 6, 8])
})
