import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  hasSystemdGenerator,
  parseWithSystemdGenerator,
} from '../helpers/export-models/real-consumers.ts'
import { removeTempDirs } from '../cli/helpers.ts'
import { bash, runPage, startSandbox, type Sandbox } from './helpers/sandbox.ts'

let sb: Sandbox
beforeAll(async () => {
  sb = await startSandbox()
}, 60_000)
afterAll(async () => {
  await sb.stop()
  removeTempDirs()
})

describe('docs/deploy/systemd.md', () => {
  it('runs as written: the unit starts with exactly the release env, from a 0600 file', async () => {
    const runs = await runPage(sb, 'systemd.md', join(sb.dir, 'systemd'))
    expect(runs).toHaveLength(1)
    const record = JSON.parse(readFileSync(sb.env.FAKE_SYSTEMCTL_RECORD ?? '', 'utf8')) as {
      unit: string
      files: string[]
      modes: string[]
      env: Record<string, string>
    }
    expect(record.unit).toBe('myapp')
    expect(record.files).toEqual([join(sb.fakeRoot, 'etc/myapp/myapp.env')])
    expect(record.modes).toEqual(['600'])
    expect(record.env).toEqual(Object.fromEntries(sb.released))
    expect(statSync(join(sb.fakeRoot, 'etc/myapp')).mode & 0o777).toBe(0o700)
  })

  it.skipIf(!hasSystemdGenerator())(
    "reads the same with this machine's systemd 252 parser",
    async () => {
      await runPage(sb, 'systemd.md', join(sb.dir, 'systemd-2'))
      const text = readFileSync(join(sb.fakeRoot, 'etc/myapp/myapp.env'), 'utf8')
      const parsed = parseWithSystemdGenerator(text)
      // The generator also reads the machine's own environment.d files: compare our keys.
      for (const [key, value] of sb.released) expect(parsed.get(key), key).toBe(value)
    },
  )

  it('refuses to replace an env file that other users can read, and leaves it untouched', async () => {
    await runPage(sb, 'systemd.md', join(sb.dir, 'systemd-3'))
    const file = join(sb.fakeRoot, 'etc/myapp/myapp.env')
    writeFileSync(file, 'OLD=1\n')
    chmodSync(file, 0o644)
    const r = await bash(
      `tresor export --format systemd -p myapp -e production --output ${file}`,
      sb.dir,
      sb.env,
    )
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('has mode 644, so other users can read it')
    expect(readFileSync(file, 'utf8')).toBe('OLD=1\n')
  })
})
