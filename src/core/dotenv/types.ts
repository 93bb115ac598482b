/** How an entry's value is written: bare or inside one of dotenv's three quote characters. */
export type QuoteStyle = 'none' | 'single' | 'double' | 'backtick'

/** The line break a document uses; `''` marks a last line without one. */
export type LineEnding = '\n' | '\r\n' | '\r' | ''

/** One `KEY=value` statement; `raw` is its exact text, spanning lines for multi-line quotes. */
export interface EntryNode {
  readonly kind: 'entry'
  readonly key: string
  /** The value exactly as `dotenv.parse` decodes it. */
  readonly value: string
  readonly exported: boolean
  readonly quote: QuoteStyle
  /** 1-based line of the statement's first line. */
  readonly line: number
  /** Text of the statement, without its final line break. */
  readonly raw: string
  /** Offsets in `raw` of the written value (quotes included; empty for an empty bare value). */
  readonly valueStart: number
  readonly valueEnd: number
  readonly eol: LineEnding
}

/** A line whose first non-blank character is `#`. */
export interface CommentNode {
  readonly kind: 'comment'
  readonly line: number
  readonly raw: string
  readonly eol: LineEnding
}

/** A line holding only whitespace. */
export interface BlankNode {
  readonly kind: 'blank'
  readonly line: number
  readonly raw: string
  readonly eol: LineEnding
}

/** Any node of a document, in file order. */
export type EnvNode = EntryNode | CommentNode | BlankNode

/** A lossless model of a dotenv text: serializing it gives the input back byte for byte. */
export interface EnvDocument {
  /** True when the text began with U+FEFF; the mark is kept but belongs to no line. */
  readonly bom: boolean
  readonly nodes: readonly EnvNode[]
}
