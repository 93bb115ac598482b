import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { isAppError } from '../core/errors.ts'
import { filterOutput } from './output-filter.ts'

/** A successful tool result: the filtered data as pretty JSON text. */
export function toolOk(data: unknown): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(filterOutput(data), null, 2) }] }
}

/**
 * A failed tool result: `CODE: message`, one line per detail (key or field and why), and the
 * server's request id. Unknown failures get a fixed message: their text is not ours to vouch for.
 */
export function toolError(err: unknown): CallToolResult {
  if (!isAppError(err)) {
    return {
      isError: true,
      content: [{ type: 'text', text: 'INTERNAL: the tool failed unexpectedly' }],
    }
  }
  const lines = [`${err.code}: ${err.message}`]
  for (const d of err.errors) {
    const where = d.key ?? d.field ?? (d.line === undefined ? undefined : `line ${d.line}`)
    lines.push(`- ${where === undefined ? '' : `${where}: `}${d.message}`)
  }
  const requestId = (err as { requestId?: unknown }).requestId
  if (typeof requestId === 'string') lines.push(`(request ${requestId})`)
  const text = filterOutput(lines.join('\n'))
  return { isError: true, content: [{ type: 'text', text: typeof text === 'string' ? text : '' }] }
}

/** Runs a tool body, turning its answer or its error into a filtered tool result. */
export async function runTool(body: () => Promise<unknown>): Promise<CallToolResult> {
  try {
    return toolOk(await body())
  } catch (err) {
    return toolError(err)
  }
}
