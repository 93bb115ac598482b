import { chmod, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { isAppError } from '../../core/errors.ts'
import { generateDataKey } from '../data-key.ts'
import { rootKeyFromBytes } from '../root-key.ts'
import { loadOrCreateKeyFile } from './key-file.ts'
import {
  loadExistingKeyFile,
  loadPreviousKeyFile,
  PREVIOUS_ROOT_KEY_FILE,
  rotateKeyFile,
} from './key-file-rotation.ts'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tresor-rotate-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const idOfFile = async (name: string) => rootKeyFromBytes(await readFile(join(dir, name))).id

describe('rotateKeyFile', () => {
  it('writes a new root.key and keeps the old one as root.key.previous, both 0600', async () => {
    const first = await loadOrCreateKeyFile(dir)
    const dataKey = generateDataKey()
    const wrapped = await first.provider.wrap(dataKey, { workspaceId: 'wsp_a' })

    const { current, previous } = await rotateKeyFile(dir)
    expect(previous.id).toBe(first.provider.id)
    expect(current.id).not.toBe(first.provider.id)
    expect(await idOfFile('root.key')).toBe(current.id)
    expect(await idOfFile(PREVIOUS_ROOT_KEY_FILE)).toBe(first.provider.id)
    for (const name of ['root.key', PREVIOUS_ROOT_KEY_FILE]) {
      expect((await stat(join(dir, name))).mode & 0o777).toBe(0o600)
    }
    expect((await readdir(dir)).sort()).toEqual(['root.key', PREVIOUS_ROOT_KEY_FILE])

    const fromDisk = await loadPreviousKeyFile(dir)
    const back = await fromDisk?.unwrap(wrapped, { workspaceId: 'wsp_a', keyId: dataKey.keyId })
    expect(back?.key.export().equals(dataKey.key.export())).toBe(true)
  })

  it('a second rotation drops the oldest key: previous becomes the first rotated key', async () => {
    await loadOrCreateKeyFile(dir)
    const one = await rotateKeyFile(dir)
    const two = await rotateKeyFile(dir)
    expect(two.previous.id).toBe(one.current.id)
    expect(await idOfFile(PREVIOUS_ROOT_KEY_FILE)).toBe(one.current.id)
    expect(await idOfFile('root.key')).toBe(two.current.id)
  })

  it('refuses to rotate a data dir without root.key, and creates none', async () => {
    const err: unknown = await rotateKeyFile(dir).catch((e: unknown) => e)
    expect(isAppError(err, 'CONFIG_INVALID')).toBe(true)
    expect((err as Error).message).toBe(`no root key file at ${join(dir, 'root.key')}`)
    expect(await readdir(dir)).toEqual([])
  })
})

describe('loadPreviousKeyFile / loadExistingKeyFile', () => {
  it('has no previous key before the first rotation', async () => {
    await loadOrCreateKeyFile(dir)
    expect(await loadPreviousKeyFile(dir)).toBeUndefined()
    expect((await loadExistingKeyFile(dir)).id).toBe(await idOfFile('root.key'))
  })

  it('refuses a previous key file that others can read, naming it', async () => {
    await loadOrCreateKeyFile(dir)
    await rotateKeyFile(dir)
    await chmod(join(dir, PREVIOUS_ROOT_KEY_FILE), 0o644)
    const err: unknown = await loadPreviousKeyFile(dir).catch((e: unknown) => e)
    expect(isAppError(err, 'CONFIG_INVALID')).toBe(true)
    expect((err as Error).message).toContain(join(dir, PREVIOUS_ROOT_KEY_FILE))
  })
})
