import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AppError } from '../../core/errors.ts'
import { generateDataKey } from '../data-key.ts'
import { rootKeyFromBytes } from '../root-key.ts'
import { loadOrCreateKeyFile } from './key-file.ts'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tresor-key-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function refusal(dataDir: string): Promise<AppError> {
  const err = await loadOrCreateKeyFile(dataDir).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(AppError)
  expect((err as AppError).code).toBe('CONFIG_INVALID')
  return err as AppError
}

describe('loadOrCreateKeyFile', () => {
  it('creates root.key on first start: 32 bytes, mode 0600, and reuses it afterwards', async () => {
    const dataDir = join(dir, 'nested', 'data')
    const first = await loadOrCreateKeyFile(dataDir)
    expect(first.created).toBe(true)
    expect(first.path).toBe(join(dataDir, 'root.key'))
    const info = await stat(first.path)
    expect(info.mode & 0o777).toBe(0o600)
    const bytes = await readFile(first.path)
    expect(bytes.length).toBe(32)
    expect(first.provider.id).toBe(rootKeyFromBytes(bytes).id)

    const second = await loadOrCreateKeyFile(dataDir)
    expect(second.created).toBe(false)
    expect(second.provider.id).toBe(first.provider.id)
    const dataKey = generateDataKey()
    const wrapped = await first.provider.wrap(dataKey, { workspaceId: 'wsp_a' })
    const back = await second.provider.unwrap(wrapped, {
      workspaceId: 'wsp_a',
      keyId: dataKey.keyId,
    })
    expect(back.key.export().equals(dataKey.key.export())).toBe(true)
  })

  it('keeps one key when several first starts race, and leaves no temporary file', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateKeyFile(dir)))
    expect(new Set(results.map((r) => r.provider.id)).size).toBe(1)
    expect(results.filter((r) => r.created)).toHaveLength(1)
    expect(await readdir(dir)).toEqual(['root.key'])
  })

  it.each([0o644, 0o640, 0o604, 0o620])(
    'refuses a key file with mode %s, naming path and mode',
    async (mode) => {
      const { path } = await loadOrCreateKeyFile(dir)
      await chmod(path, mode)
      const err = await refusal(dir)
      const shown = mode.toString(8).padStart(4, '0')
      expect(err.message).toContain(path)
      expect(err.message).toContain(shown)
      expect(err.meta).toEqual({ path, mode: shown })
    },
  )

  it.each([0, 31, 33, 44])(
    'refuses a key file of %i bytes without showing its content',
    async (size) => {
      const path = join(dir, 'root.key')
      const content = Buffer.alloc(size, 0x61)
      await writeFile(path, content, { mode: 0o600 })
      const err = await refusal(dir)
      expect(err.message).toBe(`root key file ${path} must hold exactly 32 bytes, has ${size}`)
      if (size > 0) expect(JSON.stringify(err.errors)).not.toContain('aaaa')
    },
  )

  it('refuses a directory in place of the key file', async () => {
    const { mkdir } = await import('node:fs/promises')
    await mkdir(join(dir, 'root.key'), { mode: 0o700 })
    expect((await refusal(dir)).message).toContain('is not a regular file')
  })
})
