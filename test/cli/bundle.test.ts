// The client verbs' bundle (dist/cli-client.js) that bin/tresor.js runs: no server code in it,
// and a V8 code cache beside it that V8 accepts (else every start compiles the bundle again).
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { ensureBuilt, root } from './helpers.ts'

interface Meta {
  inputs: Record<string, { imports: Array<{ path: string; external?: boolean }> }>
}

beforeAll(() => ensureBuilt())

describe('the client bundle', () => {
  it('holds no server code and loads no package, only Node built-ins', () => {
    const meta = JSON.parse(readFileSync(join(root, 'dist/meta-client.json'), 'utf8')) as Meta
    const sources = Object.keys(meta.inputs)
    expect(sources).toContain('src/cli/main.ts')
    expect(sources).toContain('src/cli/commands/run.ts')
    expect(
      sources.filter((s) => /^src\/(http|services|storage|crypto|config|mcp)\//.test(s)),
    ).toEqual([])
    expect(sources.filter((s) => s.startsWith('src/main/'))).toEqual(['src/main/client-cli.ts'])
    const external = Object.values(meta.inputs).flatMap((i) =>
      i.imports.filter((imp) => imp.external === true).map((imp) => imp.path),
    )
    expect(external.filter((p) => !p.startsWith('node:'))).toEqual([])
  })

  it('starts from a code cache that V8 accepts, made for this very build', () => {
    // As bin/tresor.js loads it, in a plain node process (vitest's workers run with other flags).
    const check = `
      const { readFileSync } = require('node:fs'); const { Script } = require('node:vm')
      const file = ${JSON.stringify(join(root, 'dist/cli-client.js'))}
      const source = readFileSync(file, 'utf8'); const raw = readFileSync(file + '.cache')
      const same = source.startsWith('/*' + raw.toString('latin1', 0, 36) + '*/')
      const script = new Script(source, { filename: file, cachedData: raw.subarray(36) })
      process.stdout.write(JSON.stringify({ same, rejected: script.cachedDataRejected }))`
    const env = { ...process.env }
    delete env.NODE_OPTIONS
    const out = execFileSync('node', ['-e', check], { env, encoding: 'utf8' })
    expect(JSON.parse(out)).toEqual({ same: true, rejected: false })
  })
})
