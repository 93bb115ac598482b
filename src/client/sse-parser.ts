/** One server-sent event: its `event:` name (default `message`), `data:` lines joined, `id:`. */
export interface SseEvent {
  event: string
  data: string
  id?: string
}

/** An incremental `text/event-stream` reader: push text as it arrives, get whole events. */
export interface SseParser {
  push(text: string): void
  /** The last `retry:` the server asked for, in milliseconds. */
  readonly retryMs: number | undefined
}

/**
 * Parses the event-stream format (WHATWG HTML §9.2): lines end in CRLF, LF or CR (a CR at the
 * end of one chunk and an LF at the start of the next are one line break); `:` starts a
 * comment; a blank line dispatches the event when it has data.
 */
export function createSseParser(onEvent: (event: SseEvent) => void): SseParser {
  let line = ''
  let afterCr = false
  let name = ''
  let data: string[] = []
  let id: string | undefined
  let retryMs: number | undefined

  function field(text: string): void {
    if (text === '') {
      if (data.length > 0)
        onEvent({
          event: name || 'message',
          data: data.join('\n'),
          ...(id === undefined ? {} : { id }),
        })
      name = ''
      data = []
      return
    }
    if (text.startsWith(':')) return
    const colon = text.indexOf(':')
    const key = colon === -1 ? text : text.slice(0, colon)
    let value = colon === -1 ? '' : text.slice(colon + 1)
    if (value.startsWith(' ')) value = value.slice(1)
    if (key === 'event') name = value
    else if (key === 'data') data.push(value)
    else if (key === 'id' && !value.includes('\0')) id = value
    else if (key === 'retry' && /^\d+$/.test(value)) retryMs = Number(value)
  }

  return {
    push(text) {
      for (const ch of text) {
        if (afterCr && ch === '\n') {
          afterCr = false
          continue
        }
        afterCr = ch === '\r'
        if (ch === '\r' || ch === '\n') {
          field(line)
          line = ''
        } else line += ch
      }
    },
    get retryMs() {
      return retryMs
    },
  }
}
