import { describe, expect, it } from 'vitest'
import { parseVerbArgs } from './argv.ts'
import { UsageError } from './errors.ts'
import type { VerbSpec } from './spec.ts'
import { suggestion } from './suggest.ts'
import { VERBS } from './table/index.ts'

const spec = (name: string): VerbSpec => {
  const found = VERBS.find((v) => v.name === name)
  if (found === undefined) throw new Error(name)
  return found
}

const fails = (name: string, argv: string[]) => {
  try {
    parseVerbArgs(spec(name), argv)
  } catch (err) {
    if (err instanceof UsageError) return [err.message, err.hint]
    throw err
  }
  return undefined
}

describe('parseVerbArgs', () => {
  it.each([
    [['A=1', '-p', 'app', '--env', 'prod'], ['A=1'], { project: 'app', env: 'prod' }],
    [['-papp', '--env=prod', 'A=1', 'B=2'], ['A=1', 'B=2'], { project: 'app', env: 'prod' }],
    [['--replace', '-qy', 'A=1'], ['A=1'], { replace: true, quiet: true, yes: true }],
    [['--', '-A=1', '--json'], ['-A=1', '--json'], {}],
    [['A=--json', '--url', 'http://x'], ['A=--json'], { url: 'http://x' }],
  ])('config:set %j', (argv, args, flags) => {
    expect(parseVerbArgs(spec('config:set'), argv)).toEqual({ args, flags, help: false })
  })

  it('takes a value option even when it starts with a dash, and collects repeatables', () => {
    expect(parseVerbArgs(spec('secrets:set'), ['K', '--value', '-x-']).flags).toEqual({
      value: '-x-',
    })
    expect(
      parseVerbArgs(spec('tokens:create'), ['--scope', 'read', '--scope=write', '--name', 'n'])
        .flags,
    ).toEqual({ scope: ['read', 'write'], name: 'n' })
  })

  it('answers help before checking arguments', () => {
    expect(parseVerbArgs(spec('config:get'), ['-h'])).toEqual({ args: [], flags: {}, help: true })
  })

  it.each([
    ['config:get', [], ["missing required argument 'key'", undefined]],
    ['config:set', ['-p', 'a'], ["missing required argument 'pairs'", undefined]],
    ['config', ['--jsn'], ["unknown option '--jsn'", '(Did you mean --json?)']],
    ['config', ['-x'], ["unknown option '-x'", undefined]],
    ['config', ['-e'], ["option '-e, --env <env>' needs a value", undefined]],
    ['config', ['--json=yes'], ["option '--json' takes no value", undefined]],
    ['projects', ['extra'], ['too many arguments: projects takes none', undefined]],
    [
      'secrets:set',
      ['KEY', 'hunter2'],
      [
        'too many arguments: secrets:set takes one',
        '(the value is read from stdin or a hidden prompt; --value VALUE takes it from argv)',
      ],
    ],
  ])('%s %j is bad usage, never echoing an argument', (name, argv, expected) => {
    expect(fails(name, argv)).toEqual(expected)
  })
})

describe('suggestion', () => {
  const names = VERBS.map((v) => v.name)
  it.each([
    ['confg', '(Did you mean config?)'],
    ['config:st', '(Did you mean config:set?)'],
    ['secrets:gte', '(Did you mean secrets:get?)'],
    ['tokns', '(Did you mean tokens?)'],
    ['x', undefined],
    ['dashboard', undefined],
    ['deplyo', '(Did you mean deploy?)'],
  ])('%s → %s', (word, expected) => {
    expect(suggestion(word, names)).toBe(expected)
  })
})
