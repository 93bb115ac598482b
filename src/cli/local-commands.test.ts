import { describe, expect, it } from 'vitest'
import { findCommands } from './local-commands.ts'

describe('findCommands', () => {
  it('finds each outermost $(…), with balanced parentheses inside', () => {
    expect(findCommands('a$(echo (x))b$(id)')).toEqual([
      { start: 1, end: 12, command: 'echo (x)' },
      { start: 13, end: 18, command: 'id' },
    ])
    expect(findCommands('$(a $(b) c)')).toEqual([{ start: 0, end: 11, command: 'a $(b) c' }])
    expect(findCommands('plain $HOME ${X} (x) $')).toEqual([])
  })

  it('refuses an opening $( without its )', () => {
    expect(() => findCommands('x $(echo (y)')).toThrow('a $( has no matching )')
  })
})
