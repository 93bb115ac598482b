import { describe, expect, it } from 'vitest'
import type { BusEvent } from '../../core/events.ts'
import { createMemoryEventBus } from './memory-event-bus.ts'

const event = (over: Partial<BusEvent> = {}): BusEvent => ({
  type: 'variables.changed',
  projectId: 'prj_1',
  environmentId: 'env_1',
  at: '2026-01-01T00:00:00.000Z',
  data: { keys: ['A'] },
  ...over,
})

describe('createMemoryEventBus', () => {
  it('delivers to matching subscribers of the same workspace only, in publish order', async () => {
    const bus = createMemoryEventBus()
    const got: Record<string, string[]> = {
      all: [],
      project2: [],
      env1: [],
      releases: [],
      other: [],
    }
    const push = (name: string) => (e: BusEvent) =>
      got[name]?.push(`${e.type}:${e.projectId ?? '-'}:${e.environmentId ?? '-'}`)
    bus.subscribe('wsp_a', {}, push('all'))
    bus.subscribe('wsp_a', { projectId: 'prj_2' }, push('project2'))
    bus.subscribe('wsp_a', { projectId: 'prj_1', environmentIds: ['env_1'] }, push('env1'))
    bus.subscribe('wsp_a', { types: ['release.created'] }, push('releases'))
    bus.subscribe('wsp_b', {}, push('other'))
    await bus.publish('wsp_a', event())
    await bus.publish('wsp_a', event({ type: 'release.created', environmentId: 'env_2' }))
    await bus.publish('wsp_a', {
      type: 'project.created',
      at: '2026-01-01T00:00:00.000Z',
      data: {},
    })
    expect(got).toEqual({
      all: ['variables.changed:prj_1:env_1', 'release.created:prj_1:env_2', 'project.created:-:-'],
      project2: [],
      env1: ['variables.changed:prj_1:env_1'],
      releases: ['release.created:prj_1:env_2'],
      other: [],
    })
  })

  it('stops delivering after unsubscribe, even from inside a listener, and forgets empty workspaces', async () => {
    const bus = createMemoryEventBus()
    const seen: number[] = []
    const stopA = bus.subscribe('wsp_a', {}, () => {
      seen.push(1)
      stopA()
    })
    bus.subscribe('wsp_a', {}, () => seen.push(2))
    await bus.publish('wsp_a', event())
    await bus.publish('wsp_a', event())
    expect(seen).toEqual([1, 2, 2])
    expect(bus.subscriberCount('wsp_a')).toBe(1)
    await bus.close()
    expect(bus.subscriberCount()).toBe(0)
  })

  it('isolates a throwing listener from the others and reports it', async () => {
    const errors: unknown[] = []
    const bus = createMemoryEventBus({ onListenerError: (err) => errors.push(err) })
    const seen: string[] = []
    bus.subscribe('wsp_a', {}, () => {
      throw new Error('listener bug')
    })
    bus.subscribe('wsp_a', {}, (e) => seen.push(e.type))
    await bus.publish('wsp_a', event())
    expect(seen).toEqual(['variables.changed'])
    expect(errors.map((e) => (e as Error).message)).toEqual(['listener bug'])
  })
})
