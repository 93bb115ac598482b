import { CancelledError, UsageError } from './errors.ts'
import type { CliIo } from './spec.ts'

/** True when the user can answer a prompt: stdin is a terminal. */
export function canPrompt(io: CliIo): boolean {
  return io.stdin.isTTY === true && typeof io.stdin.setRawMode === 'function'
}

/** Everything on stdin, as UTF-8. */
export async function readStdin(io: CliIo): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk as Buffer))
  return Buffer.concat(chunks).toString('utf8')
}

/**
 * A value typed at the terminal: echoed when `echo`, else hidden (nothing is shown, not even
 * stars, so its length does not show either). Ctrl-C cancels, Enter ends, Backspace erases.
 */
export function promptTerminal(io: CliIo, question: string, echo: boolean): Promise<string> {
  const stdin = io.stdin
  // Raw mode first: a fast typist (or a paste) right after the question is not echoed.
  stdin.setRawMode?.(true)
  io.stderr(question)
  stdin.setEncoding('utf8')
  stdin.resume()
  let value = ''
  let escape = false
  return new Promise((resolve, reject) => {
    const finish = (err?: Error) => {
      stdin.removeListener('data', onData)
      stdin.setRawMode?.(false)
      stdin.pause()
      io.stderr('\n')
      if (err) reject(err)
      else resolve(value)
    }
    const onData = (chunk: string | Buffer) => {
      for (const ch of String(chunk)) {
        // Arrow keys and the like arrive as ESC sequences: skipped up to their final letter.
        if (escape) {
          escape = !/[A-Za-z~]/.test(ch)
          continue
        }
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return finish()
        if (ch === '\u0003') return finish(new CancelledError('Cancelled.', 130))
        if (ch === '\u001b') escape = true
        else if (ch === '\u007f' || ch === '\b') {
          const chars = Array.from(value)
          if (chars.length > 0 && echo) io.stderr('\b \b')
          value = chars.slice(0, -1).join('')
        } else if (ch >= ' ') {
          value += ch
          if (echo) io.stderr(ch)
        }
      }
    }
    stdin.on('data', onData)
  })
}

/**
 * A secret value: from stdin when it is not a terminal (one final line break removed, as
 * `echo` adds one), else from a hidden prompt. An empty value is refused: it is almost always
 * a missing pipe, and `--value ''` sets an empty value on purpose.
 */
export async function readSecretValue(io: CliIo, key: string): Promise<string> {
  let value: string
  if (io.stdin.isTTY === true) {
    if (!canPrompt(io)) throw new UsageError(`no value for ${key}: pipe it on stdin`)
    value = await promptTerminal(io, `Value for ${key} (hidden): `, false)
  } else {
    value = (await readStdin(io)).replace(/\r?\n$/, '')
  }
  if (value === '')
    throw new UsageError(`no value for ${key} was given; to set an empty value pass --value ''`)
  return value
}

/**
 * Asks "question [y/N]" on a terminal; `--yes` answers for scripts. Without a terminal and
 * without `--yes` it refuses rather than guess.
 */
export async function confirm(io: CliIo, question: string, yes: boolean): Promise<void> {
  if (yes) return
  if (!canPrompt(io))
    throw new UsageError('this change needs confirmation: run it in a terminal or pass --yes')
  const answer = await promptTerminal(io, `${question} [y/N] `, true)
  if (!/^y(es)?$/i.test(answer.trim())) throw new CancelledError('Nothing changed.', 1)
}
