/** One message of the server's event stream: its type and its JSON data (names, never values). */
export interface StreamEvent {
  type: string
  data: { projectId?: string; environmentId?: string; [k: string]: unknown }
}

/** Splits server-sent-event text into complete messages; returns the unfinished tail. */
export function parseSseChunk(buffer: string, emit: (e: StreamEvent) => void): string {
  const parts = buffer.split(/\r?\n\r?\n/)
  const rest = parts.pop() ?? ''
  for (const block of parts) {
    let type = 'message'
    const data: string[] = []
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith('event:')) type = line.slice(6).trim()
      else if (line.startsWith('data:')) data.push(line.slice(5).trimStart())
    }
    if (data.length === 0) continue
    try {
      emit({ type, data: JSON.parse(data.join('\n')) as StreamEvent['data'] })
    } catch {
      // A message that is not JSON is not one of ours; skip it.
    }
  }
  return rest
}

async function readStream(body: ReadableStream<Uint8Array>, emit: (e: StreamEvent) => void) {
  const reader = body.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return
    buffer = parseSseChunk(buffer + decoder.decode(value, { stream: true }), emit)
  }
}

/**
 * Follows `/v1/events` for one project, reconnecting with back-off, with the session cookie.
 * Read through fetch (not EventSource) to control reconnection. Returns the function that stops.
 */
export function followEvents(project: string, onEvent: (e: StreamEvent) => void): () => void {
  const abort = new AbortController()
  let delay = 1000
  const loop = async () => {
    while (!abort.signal.aborted) {
      try {
        const res = await fetch(`/v1/events?project=${encodeURIComponent(project)}`, {
          headers: { accept: 'text/event-stream' },
          credentials: 'same-origin',
          signal: abort.signal,
        })
        if (res.ok && res.body !== null) {
          delay = 1000
          await readStream(res.body, onEvent)
        }
      } catch {
        // Network error or aborted: retry below unless stopped.
      }
      if (abort.signal.aborted) return
      await new Promise((r) => setTimeout(r, delay))
      delay = Math.min(delay * 2, 30_000)
    }
  }
  void loop()
  return () => abort.abort()
}
