// Writes src/core/scan/runs-wasm.ts: the bytes of a tiny hand-assembled WebAssembly module (wasm
// SIMD, which Node 20 runs natively) that finds the runs without a blank that `scanPass` reads.
// No WAT toolchain is needed: the module is assembled here, opcode by opcode, and the output is
// committed. Run: `node scripts/gen-scan-wasm.mjs` (then `npx prettier --write` the output).
//
// Export `runs(n, m, out) -> end`: memory[0..n) holds a file and memory[n..n+16) blanks (32).
// For every maximal run [start, end) of bytes other than 9, 10, 13, 32 (the BLANK set of
// candidates.ts) at least m bytes long (m ≥ 1), in order, it stores the i32 pair (start, end)
// at out, out+8, ... and returns the address after the last pair. Each 16-byte block is compared
// against the four blanks at once (i8x16.eq), its blanks turned into a 16-bit mask
// (i8x16.bitmask); when m ≥ 15 only its first and last blank matter (ctz, clz), else every
// blank is visited (ctz, clear lowest bit).
import { Buffer } from 'node:buffer'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'

const I32 = 0x7f
const V128 = 0x7b
const EMPTY = 0x40

const uleb = (n) => {
  const out = []
  do {
    let b = n & 0x7f
    n >>>= 7
    if (n !== 0) b |= 0x80
    out.push(b)
  } while (n !== 0)
  return out
}
const sleb = (n) => {
  const out = []
  for (;;) {
    const b = n & 0x7f
    n >>= 7
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) return [...out, b]
    out.push(b | 0x80)
  }
}
const str = (s) => [...uleb(s.length), ...Buffer.from(s, 'utf8')]
const vec = (items) => [...uleb(items.length), ...items.flat()]
const section = (id, body) => [id, ...uleb(body.length), ...body]

// Instructions.
const get = (i) => [0x20, ...uleb(i)]
const set = (i) => [0x21, ...uleb(i)]
const i32c = (v) => [0x41, ...sleb(v)]
const block = [0x02, EMPTY]
const loop = [0x03, EMPTY]
const if_ = [0x04, EMPTY]
const else_ = [0x05]
const end = [0x0b]
const br = (d) => [0x0c, ...uleb(d)]
const brIf = (d) => [0x0d, ...uleb(d)]
const i32eqz = [0x45]
const i32gtU = [0x4b]
const i32geU = [0x4f]
const i32clz = [0x67]
const i32ctz = [0x68]
const i32add = [0x6a]
const i32sub = [0x6b]
const i32and = [0x71]
const i32store = (offset) => [0x36, 2, ...uleb(offset)] // align 2^2
const simd = (op) => [0xfd, ...uleb(op)]
const v128load = [...simd(0x00), 0, 0] // align 2^0, offset 0
const v128splat8 = (b) => [...simd(0x0c), ...new Array(16).fill(b)] // v128.const
const i8x16eq = simd(0x23)
const v128or = simd(0x50)
const i8x16bitmask = simd(0x64)

// Params 0 n, 1 m, 2 out; locals 3 p, 4 start, 5 mask, 6 pos, 7 v.
const [N, M, OUT, P, START, MASK, POS, V] = [0, 1, 2, 3, 4, 5, 6, 7]
// if (pos - start >= m) { store (start, pos) at out; out += 8 }
const store = [
  ...get(POS),
  ...get(START),
  ...i32sub,
  ...get(M),
  ...i32geU,
  ...if_,
  ...get(OUT),
  ...get(START),
  ...i32store(0),
  ...get(OUT),
  ...get(POS),
  ...i32store(4),
  ...get(OUT),
  ...i32c(8),
  ...i32add,
  ...set(OUT),
  ...end,
]
const isBlank = (b) => [...get(V), ...v128splat8(b), ...i8x16eq]
const body = [
  ...vec([
    [...uleb(4), I32],
    [...uleb(1), V128],
  ]),
  ...block,
  ...loop, // for (p = 0; p <= n; p += 16): the block at n holds the blank that ends the last run
  ...get(P),
  ...get(N),
  ...i32gtU,
  ...brIf(1),
  ...get(P),
  ...v128load,
  ...set(V),
  ...isBlank(32),
  ...isBlank(9),
  ...v128or,
  ...isBlank(10),
  ...v128or,
  ...isBlank(13),
  ...v128or,
  ...i8x16bitmask,
  ...set(MASK),
  ...get(MASK),
  ...if_, // the block holds a blank
  ...get(M),
  ...i32c(15),
  ...i32geU,
  ...if_, // m ≥ 15: no run of m fits between two blanks of one block, only the first and last count
  ...get(P),
  ...get(MASK),
  ...i32ctz,
  ...i32add,
  ...set(POS),
  ...store,
  ...get(P),
  ...i32c(32),
  ...i32add,
  ...get(MASK),
  ...i32clz,
  ...i32sub,
  ...set(START),
  ...else_,
  ...block,
  ...loop, // for each blank in the block: pos = p + ctz(mask)
  ...get(MASK),
  ...i32eqz,
  ...brIf(1),
  ...get(P),
  ...get(MASK),
  ...i32ctz,
  ...i32add,
  ...set(POS),
  ...store,
  ...get(POS),
  ...i32c(1),
  ...i32add,
  ...set(START),
  ...get(MASK),
  ...get(MASK),
  ...i32c(1),
  ...i32sub,
  ...i32and,
  ...set(MASK),
  ...br(0),
  ...end,
  ...end,
  ...end,
  ...end,
  ...get(P),
  ...i32c(16),
  ...i32add,
  ...set(P),
  ...br(0),
  ...end,
  ...end,
  ...get(OUT),
  ...end,
]

const module = [
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
  ...section(1, vec([[0x60, ...vec([[I32], [I32], [I32]]), ...vec([[I32]])]])),
  ...section(3, vec([uleb(0)])),
  ...section(5, vec([[0x00, ...uleb(1)]])),
  ...section(
    7,
    vec([
      [...str('runs'), 0x00, ...uleb(0)],
      [...str('mem'), 0x02, ...uleb(0)],
    ]),
  ),
  ...section(10, vec([[...uleb(body.length), ...body]])),
]

const bytes = Uint8Array.from(module)
if (!globalThis.WebAssembly.validate(bytes))
  throw new Error('gen-scan-wasm: the assembled module is invalid')
const b64 = Buffer.from(bytes).toString('base64')
const target = join(import.meta.dirname, '../src/core/scan/runs-wasm.ts')
writeFileSync(
  target,
  `// Generated by scripts/gen-scan-wasm.mjs (see there what the module does); do not edit.\n` +
    `/** The run finder's WebAssembly module (${bytes.length} bytes), base64. */\n` +
    `export const RUNS_WASM =\n  '${b64}'\n`,
)
console.log(`wrote ${target} (${bytes.length} bytes)`)
