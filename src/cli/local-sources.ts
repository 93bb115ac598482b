import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { duplicateKeys, parseDocument } from '../core/dotenv/index.ts'
import type { EntryNode } from '../core/dotenv/index.ts'
import { AppError, type ErrorDetail } from '../core/errors.ts'
import { explainInvalidName } from '../core/variable-name.ts'
import { findCommands } from './local-commands.ts'
import type { CliIo, VerbContext } from './spec.ts'

const OP_REFERENCE = /^op:\/\/[^\n]+$/

type Env = Record<string, string>

/**
 * The variables of a local dotenv file with their sources resolved on this machine: a value
 * that is an `op://vault/item/field` reference is read with `op read`, and each `$(command)`
 * in a value runs with `sh -c`; single-quoted values stay literal. Nothing here is sent to the
 * server. Commands see the caller's environment without TRESOR_TOKEN.
 */
export async function resolveLocalFile(path: string, io: CliIo): Promise<Map<string, string>> {
  const entries = readEntries(path)
  const env = childEnv(io)
  const out = new Map<string, string>()
  const errors: ErrorDetail[] = []
  for (const node of entries) {
    try {
      out.set(node.key, await resolveValue(node, env, io.cwd))
    } catch (err) {
      errors.push({ key: node.key, line: node.line, message: (err as Error).message })
    }
  }
  if (errors.length > 0)
    throw new AppError(
      'VALIDATION_FAILED',
      `${path}: ${count(errors.length)} could not be resolved`,
      errors,
    )
  return out
}

/**
 * `env` plus the variables of `--resolve-local FILE` when the flag is given (else `env` as it
 * is: without the flag nothing is read or run). A key set both in `env` and in the file is an
 * error naming it: a local file must not silently replace a released value or a system one.
 */
export async function withLocalSources(
  ctx: VerbContext,
  env: ReadonlyMap<string, string>,
): Promise<Map<string, string>> {
  const file = (ctx.flags as { resolveLocal?: string }).resolveLocal
  if (file === undefined) return new Map(env)
  const local = await resolveLocalFile(resolve(ctx.io.cwd, file), ctx.io)
  const clashes: ErrorDetail[] = [...local.keys()]
    .filter((key) => env.has(key))
    .map((key) => ({ key, message: `set both in the release and in ${file}; remove one` }))
  if (clashes.length > 0)
    throw new AppError('CONFLICT', `${file} sets ${count(clashes.length)} the release has`, clashes)
  return new Map([...env, ...local])
}

const count = (n: number) => (n === 1 ? '1 variable' : `${n} variables`)

function readEntries(path: string): EntryNode[] {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error'
    throw new AppError('BAD_REQUEST', `cannot read ${path} (${code})`, [
      { field: 'resolve-local', message: code },
    ])
  }
  const doc = parseDocument(text)
  const errors: ErrorDetail[] = []
  for (const d of duplicateKeys(doc))
    errors.push({ key: d.key, message: `appears on lines ${d.lines.join(', ')}` })
  const entries = doc.nodes.filter((n): n is EntryNode => n.kind === 'entry')
  for (const n of entries) {
    const why = explainInvalidName(n.key)
    if (why !== undefined) errors.push({ line: n.line, message: why })
  }
  if (errors.length > 0)
    throw new AppError('VALIDATION_FAILED', `${path} has invalid entries`, errors)
  return entries
}

function childEnv(io: CliIo): Env {
  const env: Env = {}
  for (const [k, v] of Object.entries(io.env)) if (v !== undefined) env[k] = v
  // A local command has no business with the deploy token.
  delete env.TRESOR_TOKEN
  return env
}

async function resolveValue(node: EntryNode, env: Env, cwd: string): Promise<string> {
  if (node.quote === 'single') return node.value
  if (OP_REFERENCE.test(node.value)) {
    const out = await capture('op', ['read', '--no-newline', node.value], env, cwd, 'op read')
    return out
  }
  const commands = findCommands(node.value)
  let value = ''
  let at = 0
  for (const c of commands) {
    const out = await capture('sh', ['-c', c.command], env, cwd, 'the command')
    // POSIX command substitution drops every trailing newline; so does this.
    value += node.value.slice(at, c.start) + out.replace(/\n+$/, '')
    at = c.end
  }
  return value + node.value.slice(at)
}

/** Runs a program with the terminal for stdin/stderr (op may prompt) and returns its stdout. */
function capture(file: string, args: string[], env: Env, cwd: string, what: string) {
  return new Promise<string>((done, fail) => {
    const child = spawn(file, args, { env, cwd, stdio: ['inherit', 'pipe', 'inherit'] })
    const chunks: Buffer[] = []
    child.stdout.on('data', (b: Buffer) => chunks.push(b))
    child.on('error', (err: NodeJS.ErrnoException) => {
      const missing = err.code === 'ENOENT'
      fail(
        new Error(missing ? `${file} is not installed or not on PATH` : `${what} failed to start`),
      )
    })
    child.on('close', (code, signal) => {
      if (code !== 0)
        return fail(
          new Error(
            signal ? `${what} was killed by ${signal}` : `${what} exited with status ${code}`,
          ),
        )
      const out = decode(Buffer.concat(chunks))
      if (out === undefined)
        return fail(new Error(`${what} printed something that is not UTF-8 text`))
      if (out.includes('\0')) return fail(new Error(`${what} printed a NUL character`))
      done(out)
    })
  })
}

function decode(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return undefined
  }
}
