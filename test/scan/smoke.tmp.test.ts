import { it, expect } from 'vitest'
import { startApp, ok } from '../http/helpers/app.ts'
it('smoke', async () => {
  const t = await startApp()
  await ok(t, 'POST', '/v1/projects', { body: { slug: 'app' }, status: 201 })
  await ok(t, 'PUT', '/v1/projects/app/environments/staging/vars', { body: { key: 'DB_PASSWORD', value: 'correct-horse-battery', kind: 'secret' } })
  const fp = await ok(t, 'GET', '/v1/projects/app/scan-fingerprints')
  console.log(JSON.stringify(fp))
  await t.close()
})
