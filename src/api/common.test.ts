import { describe, expect, it } from 'vitest'
import { newId } from '../core/ids.ts'
import {
  EnvironmentParamsSchema,
  IdOrSlugSchema,
  idSchema,
  looksLikeId,
  SlugSchema,
} from './common.ts'

describe('slugs and ids on the wire', () => {
  it.each(['myapp', 'pr-42', '0', 'a'.repeat(63), 'staging-2'])('accepts the slug %j', (slug) => {
    expect(SlugSchema.safeParse(slug).success).toBe(true)
    expect(IdOrSlugSchema.safeParse(slug).success).toBe(true)
    expect(looksLikeId(slug)).toBe(false)
  })

  it.each(['', 'MyApp', '-app', 'a'.repeat(64), 'my_app', 'my app', 'é', 'app\n'])(
    'refuses the slug %j',
    (slug) => {
      expect(SlugSchema.safeParse(slug).success).toBe(false)
    },
  )

  it('accepts ids of every kind as path parameters, and only the right kind for idSchema', () => {
    for (const kind of ['project', 'environment', 'release', 'token', 'secretRequest'] as const) {
      const id = newId(kind)
      expect(IdOrSlugSchema.safeParse(id).success).toBe(true)
      expect(looksLikeId(id)).toBe(true)
    }
    expect(idSchema('project').safeParse(newId('project')).success).toBe(true)
    expect(idSchema('project').safeParse(newId('environment')).success).toBe(false)
  })

  it('names the bad parameter without quoting it', () => {
    const result = EnvironmentParamsSchema.safeParse({ project: 'myapp', env: 'BAD SLUG' })
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['env', 'must be an id or a slug'],
    ])
  })
})
