/** One `$(command)` in a local value: where it starts and ends, and the command inside. */
export interface CommandSpan {
  start: number
  end: number
  command: string
}

/**
 * Every `$(…)` in `value`, outermost only, left to right. Parentheses inside a command must
 * balance (as in Ruby dotenv and Kamal): `$(echo "(x)")` is one command. An opening `$(`
 * without its `)` is an error rather than literal text, so a typo never ships half a command.
 */
export function findCommands(value: string): CommandSpan[] {
  const spans: CommandSpan[] = []
  let i = value.indexOf('$(')
  while (i >= 0) {
    const end = closingParen(value, i + 2)
    if (end < 0) throw new Error('a $( has no matching )')
    spans.push({ start: i, end: end + 1, command: value.slice(i + 2, end) })
    i = value.indexOf('$(', end + 1)
  }
  return spans
}

function closingParen(value: string, from: number): number {
  let depth = 1
  for (let j = from; j < value.length; j++) {
    const c = value[j]
    if (c === '(') depth++
    else if (c === ')' && --depth === 0) return j
  }
  return -1
}
