/**
 * The deliberate differences from npm dotenv 18.0.10, one row per example (docs/dotenv-dialect.md
 * explains each rule). `dotenv` is what `dotenv.parse` returns; `ours` is our outcome: the
 * PARSE_ERROR details, or the projection when we accept the text. Data only, for the tests.
 */
import type { ErrorDetail } from '../errors.ts'

/** The rule names of docs/dotenv-dialect.md §"Deliberate differences". */
export type DifferenceRule =
  | 'line-without-equals'
  | 'yaml-colon'
  | 'key-rule'
  | 'value-on-next-line'
  | 'unterminated-quote'
  | 'text-after-closing-quote'
  | 'nul'
  | 'line-separator-in-comment'
  | 'proto-key'

export interface Difference {
  readonly rule: DifferenceRule
  /** Row number in research/dotenv-formats.md §2, when the example is one of the 130. */
  readonly caseNo?: number
  readonly input: string
  readonly dotenv: Readonly<Record<string, string>>
  readonly ours:
    { readonly errors: readonly ErrorDetail[] } | { readonly entries: Array<[string, string]> }
}

const NO_EQ = "expected KEY=value: the line has no '='"
const YAML = `${NO_EQ} (YAML-style 'KEY: value' is not supported)`
const START = 'invalid key: key must start with a letter or underscore'
const TAIL = 'unexpected text after the closing quote of the double-quoted value'
const unterminated = (style: string): string =>
  `unterminated ${style}-quoted value: no closing quote followed by the end of a line or a # comment`
const at = (line: number, column: number, message: string): ErrorDetail => ({
  line,
  column,
  message,
})

export const DIFFERENCES: readonly Difference[] = [
  {
    rule: 'line-without-equals',
    input: 'garbage line without equals\nA=1\n',
    dotenv: { A: '1' },
    ours: { errors: [at(1, 1, NO_EQ)] },
  },
  {
    rule: 'line-without-equals',
    caseNo: 12,
    input: 'A\nB=c\n',
    dotenv: { B: 'c' },
    ours: { errors: [at(1, 1, NO_EQ)] },
  },
  {
    rule: 'line-without-equals',
    caseNo: 13,
    input: 'B=c\nA',
    dotenv: { B: 'c' },
    ours: { errors: [at(2, 1, NO_EQ)] },
  },
  {
    rule: 'line-without-equals',
    caseNo: 26,
    input: 'export A\n',
    dotenv: {},
    ours: { errors: [at(1, 1, NO_EQ)] },
  },
  {
    rule: 'line-without-equals',
    caseNo: 27,
    input: 'A=1\nexport A\n',
    dotenv: { A: '1' },
    ours: { errors: [at(2, 1, NO_EQ)] },
  },
  {
    rule: 'line-without-equals',
    caseNo: 74,
    input: 'A=b\\\nc\nD=e\n',
    dotenv: { A: 'b\\', D: 'e' },
    ours: { errors: [at(2, 1, NO_EQ)] },
  },
  {
    rule: 'yaml-colon',
    caseNo: 20,
    input: 'A: b\n',
    dotenv: { A: 'b' },
    ours: { errors: [at(1, 1, YAML)] },
  },
  {
    rule: 'yaml-colon',
    caseNo: 21,
    input: 'A:b\nB=c\n',
    dotenv: { B: 'c' },
    ours: { errors: [at(1, 1, YAML)] },
  },
  {
    rule: 'yaml-colon',
    caseNo: 121,
    input: 'A:\nB=c\n',
    dotenv: { A: 'B=c' },
    ours: { errors: [at(1, 1, YAML)] },
  },
  {
    rule: 'key-rule',
    caseNo: 14,
    input: '=value\nB=c\n',
    dotenv: { B: 'c' },
    ours: { errors: [at(1, 1, 'invalid key: key is empty')] },
  },
  {
    rule: 'key-rule',
    caseNo: 16,
    input: '1A=x\n',
    dotenv: { '1A': 'x' },
    ours: { errors: [at(1, 1, START)] },
  },
  {
    rule: 'key-rule',
    caseNo: 18,
    input: 'ÄÖ=1\nB=2\n',
    dotenv: { B: '2' },
    ours: { errors: [at(1, 1, START)] },
  },
  {
    rule: 'key-rule',
    caseNo: 19,
    input: 'MY KEY=x\nB=2\n',
    dotenv: { B: '2' },
    ours: {
      errors: [
        at(
          1,
          1,
          'invalid key: key contains whitespace at position 3; allowed are letters, digits, _ . -',
        ),
      ],
    },
  },
  {
    rule: 'key-rule',
    caseNo: 61,
    input: ';A=b\nB=c\n',
    dotenv: { B: 'c' },
    ours: { errors: [at(1, 1, START)] },
  },
  {
    rule: 'key-rule',
    caseNo: 125,
    input: 'B=1\n123=2\n',
    dotenv: { '123': '2', B: '1' },
    ours: { errors: [at(2, 1, START)] },
  },
  {
    rule: 'key-rule',
    input: `K${'x'.repeat(256)}=1\n`,
    dotenv: { [`K${'x'.repeat(256)}`]: '1' },
    ours: { errors: [at(1, 1, 'invalid key: key is longer than 256 characters')] },
  },
  {
    rule: 'value-on-next-line',
    caseNo: 10,
    input: 'A=\n"q"\nB=c\n',
    dotenv: { A: 'q', B: 'c' },
    ours: { errors: [at(2, 1, NO_EQ)] },
  },
  {
    rule: 'value-on-next-line',
    caseNo: 11,
    input: "A=  \n  'q'\n",
    dotenv: { A: 'q' },
    ours: { errors: [at(2, 3, NO_EQ)] },
  },
  {
    rule: 'unterminated-quote',
    caseNo: 37,
    input: 'A=\'b"\nB=c\n',
    dotenv: { A: '\'b"', B: 'c' },
    ours: { errors: [at(1, 3, unterminated('single'))] },
  },
  {
    rule: 'unterminated-quote',
    caseNo: 38,
    input: 'A="b\nB=c\n',
    dotenv: { A: '"b', B: 'c' },
    ours: { errors: [at(1, 3, unterminated('double'))] },
  },
  {
    rule: 'unterminated-quote',
    caseNo: 39,
    input: "A='b\nB=c\nC='d'\n",
    dotenv: { A: "'b", B: 'c', C: 'd' },
    ours: { errors: [at(1, 3, unterminated('single'))] },
  },
  {
    rule: 'unterminated-quote',
    caseNo: 123,
    input: 'KEY="a\nb" trailing\nC=1\n',
    dotenv: { KEY: '"a', C: '1' },
    ours: { errors: [at(1, 5, unterminated('double')), at(2, 1, NO_EQ)] },
  },
  {
    rule: 'text-after-closing-quote',
    caseNo: 41,
    input: 'A="b"c\nB=d\n',
    dotenv: { A: '"b"c', B: 'd' },
    ours: { errors: [at(1, 6, TAIL)] },
  },
  {
    rule: 'text-after-closing-quote',
    caseNo: 42,
    input: 'A="b" "c"\n',
    dotenv: { A: 'b" "c' },
    ours: { errors: [at(1, 7, TAIL)] },
  },
  {
    rule: 'text-after-closing-quote',
    caseNo: 122,
    input: 'A="a""\nB=1\n',
    dotenv: { A: 'a"', B: '1' },
    ours: { errors: [at(1, 6, TAIL)] },
  },
  {
    rule: 'nul',
    input: 'A=1\0\n',
    dotenv: { A: '1\0' },
    ours: { errors: [at(1, 4, 'NUL character (U+0000) is not allowed')] },
  },
  {
    rule: 'line-separator-in-comment',
    input: '# c\u2028A=b\n',
    dotenv: { A: 'b' },
    ours: { errors: [at(1, 4, 'comment contains the line separator U+2028')] },
  },
  {
    rule: 'line-separator-in-comment',
    input: 'A=b # c\u2029D=e\n',
    dotenv: { A: 'b', D: 'e' },
    ours: { errors: [at(1, 8, 'comment contains the line separator U+2029')] },
  },
  {
    rule: 'proto-key',
    caseNo: 126,
    input: '__proto__=x\nB=1\n',
    dotenv: { B: '1' },
    ours: {
      entries: [
        ['__proto__', 'x'],
        ['B', '1'],
      ],
    },
  },
]
