import { expect, it } from 'vitest'
import { createProjectService } from '../../src/services/projects/project-service.ts'
import { forEachStore } from '../helpers/stores.ts'
import { createWorld } from './helpers/world.ts'

// Environments are listed in creation order. A project's default environments are stamped a
// millisecond apart; one created within those milliseconds, or under a clock that stepped back,
// still comes after them (the HTTP suite once listed `qa` before `production` on a fast machine).
forEachStore('environment order', (db) => {
  it('a new environment is listed after every older one, whatever the clock says', async () => {
    const { store, ctx } = await createWorld(db().store)
    const at = { t: Date.parse('2026-03-04T05:06:07.000Z') }
    const projects = createProjectService({ store, clock: { now: () => new Date(at.t) } })
    const { project } = await projects.create(ctx, { slug: 'ordered' })
    // Same millisecond as the project, then a clock 5 s behind, then one at the project's time.
    const qa = await projects.createEnvironment(ctx, 'ordered', { slug: 'qa' })
    at.t -= 5000
    const back = await projects.createEnvironment(ctx, 'ordered', { slug: 'back' })
    at.t += 5000
    const same = await projects.createEnvironment(ctx, 'ordered', { slug: 'same' })
    const listed = (await projects.listEnvironments(ctx, project.id)).map((e) => e.env)
    expect(listed.map((e) => e.slug)).toEqual([
      'development',
      'staging',
      'production',
      'qa',
      'back',
      'same',
    ])
    const times = listed.map((e) => e.createdAt)
    expect(times).toEqual([
      '2026-03-04T05:06:07.000Z',
      '2026-03-04T05:06:07.001Z',
      '2026-03-04T05:06:07.002Z',
      '2026-03-04T05:06:07.003Z',
      '2026-03-04T05:06:07.004Z',
      '2026-03-04T05:06:07.005Z',
    ])
    expect([qa.createdAt, back.createdAt, same.createdAt]).toEqual(times.slice(3))
  })
})
