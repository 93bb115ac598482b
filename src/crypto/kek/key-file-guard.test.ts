import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { generateDataKey } from '../data-key.ts'
import { parseWrappedHeader } from '../envelope.ts'
import { guardKeyFileWraps } from './key-file-guard.ts'
import { rotateKeyFile } from './key-file-rotation.ts'
import { loadOrCreateKeyFile } from './key-file.ts'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tresor-key-guard-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const ctx = { workspaceId: 'wsp_guard0000000001' }

it('wraps with the loaded key while root.key is unchanged, and refuses to once it was rotated', async () => {
  const loaded = (await loadOrCreateKeyFile(dir)).provider
  const guarded = guardKeyFileWraps(loaded, dir)
  expect([guarded.id, guarded.ids]).toEqual([loaded.id, loaded.ids])
  const before = generateDataKey()
  const wrapped = await guarded.wrap(before, ctx)
  expect(parseWrappedHeader(wrapped).rootKeyId).toBe(loaded.id)

  const { current } = await rotateKeyFile(dir)
  const refused = guarded.wrap(generateDataKey(), ctx)
  await expect(refused).rejects.toMatchObject({
    code: 'UNAVAILABLE',
    message: `the root key file ${join(dir, 'root.key')} was rotated (now root key ${current.id}) after this server started with root key ${loaded.id}: restart the server before it wraps new keys`,
  })
  // What it wrapped before still opens: unwrapping is not affected.
  const opened = await guarded.unwrap(wrapped, { ...ctx, keyId: before.keyId })
  expect(opened.key.export().equals(before.key.export())).toBe(true)
  // A server started after the rotation wraps with the new key.
  const restarted = guardKeyFileWraps((await loadOrCreateKeyFile(dir)).provider, dir)
  const after = await restarted.wrap(generateDataKey(), ctx)
  expect(parseWrappedHeader(after).rootKeyId).toBe(current.id)
})
