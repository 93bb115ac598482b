import { RUNS_WASM } from './runs-wasm.ts'

/**
 * Finds every maximal run of at least `m` bytes without a blank (9, 10, 13, 32) in `bytes`, as
 * `(start, end)` pairs in order; `undefined` when it cannot (then the caller's own loop does).
 * The pairs are valid until the next call (so a caller must not call again while it reads them).
 */
export type RunFinder = (bytes: Uint8Array, m: number) => Int32Array | undefined

/** No run finder: `scanPass` finds the runs itself, in JavaScript. */
export const jsRuns: RunFinder = () => undefined

// Files that need more are left to JavaScript, so no worker keeps a huge wasm memory for good.
const MAX_MEMORY = 64 * 1024 * 1024
const PAGE = 65536
const PAD = 16

interface Runs {
  runs: (n: number, m: number, out: number) => number
  mem: { readonly buffer: ArrayBuffer; grow(pages: number): number }
}

// The part of the WebAssembly API used here (the project's TypeScript libs do not declare it).
interface Wasm {
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object) => { exports: unknown }
}

function instantiate(): Runs | undefined {
  try {
    const wasm = (globalThis as { WebAssembly?: Wasm }).WebAssembly
    if (wasm === undefined) return undefined
    const module = new wasm.Module(Buffer.from(RUNS_WASM, 'base64'))
    return new wasm.Instance(module).exports as Runs
  } catch {
    return undefined // no SIMD (or no compiler): the JavaScript loop does the work
  }
}

let wasm: Runs | undefined | null = null

/** The WebAssembly (SIMD) run finder, see scripts/gen-scan-wasm.mjs. */
export const wasmRuns: RunFinder = (bytes, m) => {
  if (wasm === null) wasm = instantiate()
  const n = bytes.length
  if (wasm === undefined || m < 1 || n > MAX_MEMORY) return undefined
  // Input, 16 blanks after it, then room for every run: each but the last needs m bytes and a blank.
  const out = (n + PAD + 7) & ~7
  const need = out + 8 * (Math.floor(n / (m + 1)) + 2)
  if (need > MAX_MEMORY) return undefined
  const { mem, runs } = wasm
  if (mem.buffer.byteLength < need) mem.grow(Math.ceil((need - mem.buffer.byteLength) / PAGE))
  const heap = new Uint8Array(mem.buffer)
  heap.set(bytes, 0)
  heap.fill(32, n, n + PAD)
  const endAt = runs(n, m, out)
  return new Int32Array(mem.buffer, out, (endAt - out) >>> 2)
}
