// Writes src/core/scan/runs-wasm.ts: the bytes of a small WebAssembly module (wasm SIMD, which
// Node 20 runs natively) that does the scanner's pass over a file when no secret has a blank: the
// fast path of `scanPass` in candidates.ts, the same steps in the same order. No toolchain is
// needed: the module is written below in the WebAssembly text format (flat instructions, a subset)
// and assembled by this script; the output is committed.
// Run: `node scripts/gen-scan-wasm.mjs` (then `npx prettier --write` the output).
//
// Export `pass(n, m, minLength, maxLength, base, filter) -> end`. Memory (see LAYOUT) holds byte
// tables the caller fills (byte classes, keyword pairs, wanted lengths, hint bits), the file at
// INPUT and 16 blanks (32) after it. Each 16-byte block is compared against the four blanks at
// once (i8x16.eq) and turned into a 16-bit mask (i8x16.bitmask), which gives the maximal runs
// without a blank; every run of at least m bytes is read as `readRun` in candidates.ts reads it.
// What the pass reports goes as i32 pairs to OUT: (i, -1) a keyword may start at i, (start, end)
// a candidate span of a wanted length, which when `filter` is 1 also has its (length, hint) bit
// set in the hint table (see fingerprint.ts; others cannot be a secret). When OUT is full the
// module calls the imported `env.flush(pairs)`, which takes them, and starts OUT again; it
// returns the address after the last pair. At STATUS it leaves 1 when some 16-bit aligned pair
// of bytes of the file is `--` (so the file may hold `-----`), else 0.
//
// The functions below bear the names of those of candidates.ts they mirror; they differ only
// where the result is the same: 16 bytes at a time where that loop goes byte by byte, and
// isAssignment not asked where it must say no (after a byte that no key holds, in the run).
import { Buffer } from 'node:buffer'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'

const LAYOUT = {
  CLASS: 0, // 256 bytes: the byte classes of candidates.ts (RUN_CLASS), blanks being STOP
  FIRST: 256, // 256 bytes: 1 for a byte some keyword pair starts with
  KEY_BYTE: 512, // 256 bytes: 1 for a byte of a `KEY=` name
  IS_BLANK: 768, // 256 bytes: 1 for space, tab and CR
  WANTED: 1024, // MAX_WANTED + 1 bytes: 1 for a wanted length
  HINTS: 8192, // 8192 bytes: the hint bits (FingerprintSet.hints)
  STATUS: 16384, // i32: the `--` flag
  VECTORS: 16400, // 16 bytes each: the splatted constants of VECTORS below (a data segment)
  PAIRS: 65536, // 65536 bytes: 1 for the first two bytes of a keyword, at byte0 << 8 | byte1
  OUT: 131072, // OUT_PAIRS pairs of i32
  INPUT: 196608, // the file, then 16 blanks
}
// The vector constants, each 16 copies of a byte, written by a data segment and loaded where used
// (`v128.k NAME`): V8 (Node 20) builds a v128.const anew in every loop iteration that uses it (3
// instructions) where one load does.
const VECTORS = { SP: 32, TAB: 9, LF: 10, CR: 13, DASH: 45, ZERO: 0, D0: 48, UP: 0x20, A: 97 }
Object.assign(VECTORS, { LETTERS: 26, US: 95, DOT: 46, HASH: 35 })
const MAX_WANTED = 4096
const HINT_BYTES = 8192
const OUT_PAIRS = 8192
const OUT_END = LAYOUT.OUT + 8 * OUT_PAIRS
if (
  OUT_END > LAYOUT.INPUT ||
  LAYOUT.WANTED + MAX_WANTED + 1 > LAYOUT.HINTS ||
  LAYOUT.HINTS + HINT_BYTES > LAYOUT.STATUS ||
  LAYOUT.VECTORS + 16 * Object.keys(VECTORS).length > LAYOUT.PAIRS
)
  throw new Error('gen-scan-wasm: the layout overlaps')
// Byte classes, as in classes.ts.
const [HARD, FINE, PUNCT] = [1, 3, 4]

const consts = {
  ...LAYOUT,
  OUT_END,
  OUT_PAIRS,
  HARD,
  FINE,
  PUNCT,
  // the hint's mixing constants (fingerprint.ts, fingerprint-set.ts)
  GOLDEN: 0x9e3779b1,
  MUR1: 0x85ebca6b,
  MUR2: 0xc2b2ae35,
  EXPO: 0x6f707865, // `expo`, little-endian
  RT: 0x7472, // `rt`
}

// Globals (mutable i32): the pass's arguments and its state between runs.
const GLOBALS = ['n', 'm', 'minLen', 'maxLen', 'base', 'filter', 'out', 'doneTo']

// [block address] -> [16-bit mask of its bytes of a class other than 0: all but 0-9 A-Z a-z _
// and bytes from 128 up]; uses the v128 local $v.
const NON_WORD = `
  v128.load offset=INPUT  local.tee $v
  v128.k D0  i8x16.sub  v128.k LF  i8x16.lt_u
  local.get $v  v128.k UP  v128.or  v128.k A  i8x16.sub  v128.k LETTERS  i8x16.lt_u
  v128.or
  local.get $v  v128.k US  i8x16.eq  v128.or
  local.get $v  v128.k ZERO  i8x16.lt_s  v128.or
  i8x16.bitmask  i32.const 0xffff  i32.xor`

// [file offset, down to -15] -> [16-bit mask of its bytes that may be in a key: 0-9 A-Z a-z _ .
// -, as KEY_BYTE]; uses the v128 local $v. (INPUT is added first: a negative offset plus a
// memory argument's offset= is out of bounds, as the addition does not wrap.)
const KEY_MASK = `
  i32.const INPUT  i32.add  v128.load offset=0  local.tee $v
  v128.k D0  i8x16.sub  v128.k LF  i8x16.lt_u
  local.get $v  v128.k UP  v128.or  v128.k A  i8x16.sub  v128.k LETTERS  i8x16.lt_u
  v128.or
  local.get $v  v128.k US  i8x16.eq  v128.or
  local.get $v  v128.k DOT  i8x16.eq  v128.or
  local.get $v  v128.k DASH  i8x16.eq  v128.or
  i8x16.bitmask`

// [] -> [1 when the (length, hint) bit of [s, e) is set] (hintOf of fingerprint.ts, then
// hintSlot of fingerprint-set.ts); uses the locals $len (e - s), $h and $slot.
const HINT_SET = (s, e) => `
  ;; hintOf: word32(s) ^ imul(word32(e - 4), base), then murmur3's finaliser
  local.get ${s}  i32.load offset=INPUT
  local.get ${e}  i32.load offset=INPUT-4  global.get $base  i32.mul  i32.xor
  local.get $len  i32.const GOLDEN  i32.mul  i32.xor
  global.get $base  i32.xor  local.set $h
  local.get $h  local.get $h  i32.const 16  i32.shr_u  i32.xor
  i32.const MUR1  i32.mul  local.set $h
  local.get $h  local.get $h  i32.const 13  i32.shr_u  i32.xor
  i32.const MUR2  i32.mul  local.set $h
  local.get $h  local.get $h  i32.const 16  i32.shr_u  i32.xor  i32.const 20  i32.shr_u
  ;; hintSlot: (imul(len, GOLDEN) >>> 20 ^ hint ^ len << 12) & 0xffff
  local.get $len  i32.const GOLDEN  i32.mul  i32.const 20  i32.shr_u  i32.xor
  local.get $len  i32.const 12  i32.shl  i32.xor
  i32.const 0xffff  i32.and  local.set $slot
  local.get $slot  i32.const 3  i32.shr_u  i32.load8_u offset=HINTS
  local.get $slot  i32.const 7  i32.and  i32.shr_u  i32.const 1  i32.and`

// `cand`, inline: `call $put` for [s, e) when a secret has its length and, filtering, its hint
// bit is set (most spans then cost no call); uses the locals $len, $h and $slot.
const wantedCand = (s, e) => `
  local.get ${e}  local.get ${s}  i32.sub  local.tee $len  global.get $maxLen  i32.le_s
  if
    local.get $len  i32.load8_u offset=WANTED
    if
      global.get $filter  i32.eqz  local.get $len  i32.const 8  i32.lt_s  i32.or
      if  local.get ${s}  local.get ${e}  call $put
      else
        ${HINT_SET(s, e)}
        if  local.get ${s}  local.get ${e}  call $put  end
      end
    end
  end`

const FUNCS = [
  {
    // Stores one pair at OUT; hands a full OUT to JavaScript.
    name: 'put',
    params: ['a', 'b'],
    body: `
      global.get $out  local.get $a  i32.store offset=0
      global.get $out  local.get $b  i32.store offset=4
      global.get $out  i32.const 8  i32.add  global.tee $out
      i32.const OUT_END  i32.eq
      if
        i32.const OUT_PAIRS  call $flush
        i32.const OUT  global.set $out
      end`,
  },
  {
    // A keyword may start at i.
    name: 'kw',
    params: ['i'],
    body: `local.get $i  i32.const -1  call $put`,
  },
  {
    // The span [s, e) when a secret has its length (and, filtering, its hint bit is set).
    name: 'cand',
    params: ['s', 'e'],
    locals: ['len', 'h', 'slot'],
    body: `
      local.get $e  local.get $s  i32.sub  local.tee $len
      global.get $maxLen  i32.gt_s  if return end
      local.get $len  i32.load8_u offset=WANTED  i32.eqz  if return end
      global.get $filter  local.get $len  i32.const 8  i32.ge_s  i32.and
      if
        ${HINT_SET('$s', '$e')}
        i32.eqz  if return end
      end
      local.get $s  local.get $e  call $put`,
  },
  {
    // emitRuns: the runs of each granularity that end at a break of class cls at i.
    name: 'emitRuns',
    params: ['i', 'cls', 's1', 's2', 's3'],
    locals: ['len', 'h', 'slot'],
    body: `
      ${wantedCand('$s3', '$i')}
      local.get $cls  i32.const FINE  i32.eq  if return end
      local.get $s2  local.get $s3  i32.ne
      if  ${wantedCand('$s2', '$i')}  end
      local.get $cls  i32.const HARD  i32.ne  if return end
      local.get $s1  local.get $s2  i32.ne
      if  ${wantedCand('$s1', '$i')}  end`,
  },
  {
    // The first i' ≤ i that is below 0 or not a blank (space, tab, CR), going back.
    name: 'skipBlanksBack',
    params: ['i'],
    result: true,
    body: `
      block $done
        loop $back
          local.get $i  i32.const 0  i32.lt_s  br_if $done
          local.get $i  i32.load8_u offset=INPUT  i32.load8_u offset=IS_BLANK
          i32.eqz  br_if $done
          local.get $i  i32.const 1  i32.sub  local.set $i
          br $back
        end
      end
      local.get $i`,
  },
  {
    // isAssignment: the line reads \`KEY=\` or \`KEY:\` up to at (indentation, \`export \`).
    name: 'isAssignment',
    params: ['at'],
    result: true,
    locals: ['i', 'keyEnd', 'w', 'nk', ['v', 'v128']],
    body: `
      local.get $at  i32.const 1  i32.sub  local.tee $i
      i32.const 0  i32.ge_s
      if
        local.get $i  i32.load8_u offset=INPUT  i32.load8_u offset=IS_BLANK
        if  local.get $i  call $skipBlanksBack  local.set $i  end
      end
      local.get $i  local.set $keyEnd
      ;; back over the key, 16 bytes at a time: i is its first byte less one
      block $done
        loop $back
          local.get $i  i32.const 0  i32.lt_s  br_if $done
          local.get $i  i32.const 15  i32.sub  local.tee $w
          ${KEY_MASK}
          i32.const 0xffff  i32.xor  local.set $nk
          local.get $w  i32.const 0  i32.lt_s
          if
            ;; the bytes before the file (in OUT) end the key
            local.get $nk  i32.const 1  i32.const 0  local.get $w  i32.sub  i32.shl
            i32.const 1  i32.sub  i32.or  local.set $nk
          end
          local.get $nk
          if
            local.get $w  i32.const 31  i32.add  local.get $nk  i32.clz  i32.sub  local.set $i
            br $done
          end
          local.get $w  i32.const 1  i32.sub  local.set $i
          br $back
        end
      end
      local.get $i  local.get $keyEnd  i32.eq  if  i32.const 0  return  end
      ;; most keys follow a byte that is no blank: the line is \`KEY=\` only if it is a line end
      local.get $i  i32.const 0  i32.lt_s  if  i32.const 1  return  end
      local.get $i  i32.load8_u offset=INPUT  i32.load8_u offset=IS_BLANK  i32.eqz
      if  local.get $i  i32.load8_u offset=INPUT  i32.const 10  i32.eq  return  end
      local.get $i  call $skipBlanksBack  local.set $i
      local.get $i  i32.const 5  i32.ge_s
      if
        local.get $i  i32.load offset=INPUT-5  i32.const EXPO  i32.eq
        local.get $i  i32.load16_u offset=INPUT-1  i32.const RT  i32.eq  i32.and
        if  local.get $i  i32.const 6  i32.sub  local.set $i  end
      end
      local.get $i  call $skipBlanksBack  local.tee $i
      i32.const 0  i32.lt_s  if  i32.const 1  return  end
      local.get $i  i32.load8_u offset=INPUT  i32.const 10  i32.eq`,
  },
  {
    // emitTrimmed: [start, end) without its trailing blanks.
    name: 'emitTrimmed',
    params: ['start', 'end'],
    body: `
      block $done
        loop $back
          local.get $end  local.get $start  i32.le_s  br_if $done
          local.get $end  i32.load8_u offset=INPUT-1  i32.load8_u offset=IS_BLANK  i32.eqz
          br_if $done
          local.get $end  i32.const 1  i32.sub  local.set $end
          br $back
        end
      end
      local.get $start  local.get $end  call $cand`,
  },
  {
    // assignedValue: the unquoted value after the \`=\` or \`:\` at at, and without its comment.
    name: 'assignedValue',
    params: ['at'],
    locals: ['start', 'c', 'limit', 'k', 'p', 'pos'],
    body: `
      local.get $at  i32.const 1  i32.add  local.set $start
      block $done
        loop $skip
          local.get $start  global.get $n  i32.ge_s  br_if $done
          local.get $start  i32.load8_u offset=INPUT  local.tee $c
          i32.const 32  i32.ne  local.get $c  i32.const 9  i32.ne  i32.and  br_if $done
          local.get $start  i32.const 1  i32.add  local.set $start
          br $skip
        end
      end
      local.get $start  i32.load8_u offset=INPUT  local.tee $c
      i32.const 34  i32.eq  local.get $c  i32.const 39  i32.eq  i32.or
      local.get $c  i32.const 96  i32.eq  i32.or  if return end
      local.get $start  global.get $maxLen  i32.add  i32.const 64  i32.add  local.tee $limit
      global.get $n  i32.gt_s  if  global.get $n  local.set $limit  end
      ;; the line's end, when before limit (16 bytes at a time; the file has 16 blanks after it)
      local.get $start  local.set $k
      block $found
        loop $scan
          local.get $k  local.get $limit  i32.ge_s  br_if $found
          local.get $k  v128.load offset=INPUT  v128.k LF  i8x16.eq  i8x16.bitmask
          local.tee $c
          if
            local.get $k  local.get $c  i32.ctz  i32.add  local.set $k
            br $found
          end
          local.get $k  i32.const 16  i32.add  local.set $k
          br $scan
        end
      end
      local.get $k  local.get $limit  i32.gt_s  if  local.get $limit  local.set $k  end
      local.get $k  local.get $limit  i32.eq  local.get $limit  global.get $n  i32.ne  i32.and
      if return end
      local.get $k  local.get $start  i32.sub  global.get $minLen  i32.lt_s  if return end
      local.get $start  local.get $k  call $emitTrimmed
      ;; without a \` # comment\`: the first \`#\` after a blank, 16 bytes at a time
      local.get $start  local.set $p
      block $none
        loop $blocks
          local.get $p  local.get $k  i32.ge_s  br_if $none
          local.get $p  v128.load offset=INPUT  v128.k HASH  i8x16.eq  i8x16.bitmask
          local.set $c
          block $next
            loop $hashes
              local.get $c  i32.eqz  br_if $next
              local.get $p  local.get $c  i32.ctz  i32.add  local.tee $pos
              local.get $k  i32.ge_s  br_if $none
              local.get $pos  i32.load8_u offset=INPUT-1  i32.load8_u offset=IS_BLANK
              if  local.get $start  local.get $pos  call $emitTrimmed  return  end
              local.get $c  local.get $c  i32.const 1  i32.sub  i32.and  local.set $c
              br $hashes
            end
          end
          local.get $p  i32.const 16  i32.add  local.set $p
          br $blocks
        end
      end`,
  },
  {
    // afterEquals: at a \`=\` or \`:\` at at, the runs with their base64 padding, and the value.
    name: 'afterEquals',
    params: ['at', 's2', 's3', 'dirty'],
    locals: ['end'],
    body: `
      local.get $at  i32.load8_u offset=INPUT  i32.const 61  i32.eq
      local.get $at  local.get $s3  i32.gt_s  i32.and
      if
        local.get $at  i32.const 1  i32.add  local.tee $end
        i32.load8_u offset=INPUT  i32.const 61  i32.eq
        if  local.get $end  i32.const 1  i32.add  local.set $end  end
        local.get $end  global.get $n  i32.eq
        local.get $end  i32.load8_u offset=INPUT  i32.load8_u offset=CLASS  i32.const 0  i32.ne
        i32.or
        if
          local.get $s3  local.get $end  call $cand
          local.get $s2  local.get $s3  i32.ne
          if  local.get $s2  local.get $end  call $cand  end
        end
      end
      local.get $dirty  i32.eqz
      if
        local.get $at  call $isAssignment
        if  local.get $at  call $assignedValue  end
      end`,
  },
  {
    // valueAfterBlanks: \`KEY= value\` whose \`KEY=\` run was too short to be read.
    name: 'valueAfterBlanks',
    params: ['s'],
    locals: ['p', 'c'],
    body: `
      local.get $s  i32.const 1  i32.sub  local.set $p
      block $done
        loop $back
          local.get $p  global.get $doneTo  i32.lt_s  br_if $done
          local.get $p  i32.load8_u offset=INPUT  local.tee $c
          i32.const 32  i32.ne  local.get $c  i32.const 9  i32.ne  i32.and  br_if $done
          local.get $p  i32.const 1  i32.sub  local.set $p
          br $back
        end
      end
      local.get $p  global.get $doneTo  i32.lt_s  if return end
      local.get $p  local.get $s  i32.const 1  i32.sub  i32.eq  if return end
      local.get $p  i32.load8_u offset=INPUT  local.tee $c
      i32.const 61  i32.ne  local.get $c  i32.const 58  i32.ne  i32.and  if return end
      local.get $p  call $isAssignment
      if  local.get $p  call $assignedValue  end`,
  },
  {
    // readRun: every break of the run [from, e) (e is a blank or the end of the file).
    name: 'readRun',
    params: ['from', 'e'],
    locals: [
      ...['s1', 's2', 's3', 'dirty', 'i', 'c', 'cls', 'nx', 'n', 'minLen', 'b', 'mask', 'len'],
      ...['h', 'slot'],
      ['v', 'v128'],
    ],
    body: `
      global.get $n  local.set $n
      global.get $minLen  local.set $minLen
      local.get $from  local.tee $s1  local.tee $s2  local.set $s3
      local.get $from  i32.const 1  i32.add  local.get $n  i32.lt_s
      if
        local.get $from  i32.load8_u offset=INPUT  i32.const 8  i32.shl
        local.get $from  i32.load8_u offset=INPUT+1  i32.or  i32.load8_u offset=PAIRS
        if  local.get $from  call $kw  end
      end
      ;; 16 bytes at a time: only the bytes of a class other than 0 (breaks, punctuation, and
      ;; the blank or padding that ends the run) are looked at, lowest first
      local.get $from  i32.const -16  i32.and  local.tee $b
      ${NON_WORD}
      i32.const -1  local.get $from  local.get $b  i32.sub  i32.shl  i32.and  local.set $mask
      block $done
        loop $blocks
          block $blockDone
            loop $bits
              local.get $mask  i32.eqz  br_if $blockDone
              local.get $b  local.get $mask  i32.ctz  i32.add  local.tee $i
              local.get $e  i32.ge_s  br_if $done
              local.get $mask  local.get $mask  i32.const 1  i32.sub  i32.and  local.set $mask
              local.get $i  i32.load8_u offset=INPUT  local.tee $c
              i32.load8_u offset=CLASS  local.set $cls
              ;; a keyword right after the break (b[i + 1] is the file's or a padding blank)
              local.get $i  i32.load8_u offset=INPUT+1  local.tee $nx  i32.load8_u offset=FIRST
              if
                local.get $i  i32.const 2  i32.add  local.get $n  i32.lt_s
                if
                  local.get $nx  i32.const 8  i32.shl
                  local.get $i  i32.load8_u offset=INPUT+2  i32.or  i32.load8_u offset=PAIRS
                  if  local.get $i  i32.const 1  i32.add  call $kw  end
                end
              end
              local.get $cls  i32.const PUNCT  i32.eq
              if
                ;; \`.\` and \`-\` may be in a key; after any other such byte, no \`=\` or \`:\` of
                ;; this run can follow a \`KEY\` alone on its line (isAssignment is false)
                local.get $dirty  local.get $c  i32.load8_u offset=KEY_BYTE  i32.eqz  i32.or
                local.set $dirty
                br $bits
              end
              ;; emitRuns, inline
              local.get $i  local.get $s1  i32.sub  local.get $minLen  i32.ge_s
              if
                ${wantedCand('$s3', '$i')}
                local.get $cls  i32.const FINE  i32.ne
                if
                  local.get $s2  local.get $s3  i32.ne
                  if  ${wantedCand('$s2', '$i')}  end
                  local.get $cls  i32.const HARD  i32.eq  local.get $s1  local.get $s2  i32.ne  i32.and
                  if  ${wantedCand('$s1', '$i')}  end
                end
              end
              local.get $cls  i32.const FINE  i32.eq
              if
                local.get $i  i32.const 1  i32.add  local.set $s3
                i32.const 1  local.set $dirty ;; no key holds a fine break
                br $bits
              end
              local.get $cls  i32.const HARD  i32.eq
              if
                local.get $i  i32.const 1  i32.add  local.set $s1
                i32.const 1  local.set $dirty ;; nor a hard one
              else
                local.get $c  i32.const 61  i32.eq  local.get $c  i32.const 58  i32.eq  i32.or
                global.get $maxLen  i32.const 0  i32.ne  i32.and
                if
                  local.get $i  local.get $s2  local.get $s3  local.get $dirty
                  call $afterEquals
                end
                i32.const 1  local.set $dirty
              end
              local.get $i  i32.const 1  i32.add  local.tee $s3  local.set $s2
              br $bits
            end
          end
          local.get $b  i32.const 16  i32.add  local.tee $b
          ${NON_WORD}
          local.set $mask
          br $blocks
        end
      end
      ;; at the file's end every run ends whatever its length; before, only from minLength up
      local.get $e  local.get $n  i32.lt_s
      local.get $e  local.get $s1  i32.sub  local.get $minLen  i32.lt_s  i32.and  if return end
      local.get $e  i32.const HARD  local.get $s1  local.get $s2  local.get $s3  call $emitRuns`,
  },
  {
    // A run [start, pos) at least m long.
    name: 'found',
    params: ['start', 'pos'],
    locals: ['c'],
    body: `
      local.get $start  i32.const 0  i32.gt_s  global.get $maxLen  i32.const 0  i32.ne  i32.and
      if
        ;; valueAfterBlanks says no at once unless a space or tab comes before the run and
        ;; before that a \`=\`, \`:\` or another space or tab (so most runs cost no call)
        local.get $start  i32.const 2  i32.ge_s
        if  local.get $start  i32.load8_u offset=INPUT-2  local.set $c  end
        local.get $start  i32.load8_u offset=INPUT-1  i32.const 32  i32.eq
        local.get $start  i32.load8_u offset=INPUT-1  i32.const 9  i32.eq  i32.or
        local.get $c  i32.const 61  i32.eq  local.get $c  i32.const 58  i32.eq  i32.or
        local.get $c  i32.const 32  i32.eq  i32.or  local.get $c  i32.const 9  i32.eq  i32.or
        local.get $start  i32.const 1  i32.eq  i32.or
        i32.and
        if  local.get $start  call $valueAfterBlanks  end
      end
      local.get $start  local.get $pos  call $readRun
      local.get $pos  global.set $doneTo`,
  },
  {
    name: 'pass',
    export: true,
    params: ['n', 'm', 'minLen', 'maxLen', 'base', 'filter'],
    result: true,
    locals: [
      ...['p', 'start', 'mask', 'pos'],
      ...['v', 'dashes', 'sp', 'tab', 'lf', 'cr', 'dash'].map((v) => [v, 'v128']),
    ],
    body: `
      local.get $n  global.set $n
      local.get $m  global.set $m
      local.get $minLen  global.set $minLen
      local.get $maxLen  global.set $maxLen
      local.get $base  global.set $base
      local.get $filter  global.set $filter
      i32.const OUT  global.set $out
      i32.const 0  global.set $doneTo
      ;; the constants, once
      v128.k SP  local.set $sp
      v128.k TAB  local.set $tab
      v128.k LF  local.set $lf
      v128.k CR  local.set $cr
      v128.k DASH  local.set $dash
      ;; for (p = 0; p <= n; p += 16): the block at n holds the blank that ends the last run
      block $done
        loop $blocks
          local.get $p  local.get $n  i32.gt_s  br_if $done
          local.get $p  v128.load offset=INPUT  local.set $v
          local.get $dashes  local.get $v  local.get $dash  i16x8.eq  v128.or
          local.set $dashes
          local.get $v  local.get $sp  i8x16.eq
          local.get $v  local.get $tab  i8x16.eq  v128.or
          local.get $v  local.get $lf  i8x16.eq  v128.or
          local.get $v  local.get $cr  i8x16.eq  v128.or
          i8x16.bitmask  local.tee $mask
          if
            local.get $m  i32.const 15  i32.ge_s
            if
              ;; no run of m fits between two blanks of one block: only the first and last count
              local.get $p  local.get $mask  i32.ctz  i32.add  local.tee $pos
              local.get $start  i32.sub  local.get $m  i32.ge_s
              if  local.get $start  local.get $pos  call $found  end
              local.get $p  i32.const 32  i32.add  local.get $mask  i32.clz  i32.sub
              local.set $start
            else
              block $blanks
                loop $blank
                  local.get $mask  i32.eqz  br_if $blanks
                  local.get $p  local.get $mask  i32.ctz  i32.add  local.tee $pos
                  local.get $start  i32.sub  local.get $m  i32.ge_s
                  if  local.get $start  local.get $pos  call $found  end
                  local.get $pos  i32.const 1  i32.add  local.set $start
                  local.get $mask  local.get $mask  i32.const 1  i32.sub  i32.and  local.set $mask
                  br $blank
                end
              end
            end
          end
          local.get $p  i32.const 16  i32.add  local.set $p
          br $blocks
        end
      end
      i32.const STATUS  local.get $dashes  v128.any_true  i32.store offset=0
      global.get $out`,
  },
]

// ---- The assembler: a subset of the WebAssembly text format, flat instructions only. ----

const I32 = 0x7f
const V128 = 0x7b
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

const PLAIN = {
  return: [0x0f],
  'i32.eqz': [0x45],
  'i32.eq': [0x46],
  'i32.ne': [0x47],
  'i32.lt_s': [0x48],
  'i32.lt_u': [0x49],
  'i32.gt_s': [0x4a],
  'i32.gt_u': [0x4b],
  'i32.le_s': [0x4c],
  'i32.le_u': [0x4d],
  'i32.ge_s': [0x4e],
  'i32.ge_u': [0x4f],
  'i32.clz': [0x67],
  'i32.ctz': [0x68],
  'i32.add': [0x6a],
  'i32.sub': [0x6b],
  'i32.mul': [0x6c],
  'i32.and': [0x71],
  'i32.or': [0x72],
  'i32.xor': [0x73],
  'i32.shl': [0x74],
  'i32.shr_s': [0x75],
  'i32.shr_u': [0x76],
  'i8x16.eq': [0xfd, 0x23],
  'i8x16.lt_s': [0xfd, 0x25],
  'i8x16.lt_u': [0xfd, 0x26],
  'i16x8.eq': [0xfd, 0x2d],
  'v128.or': [0xfd, 0x50],
  'v128.any_true': [0xfd, 0x53],
  'i8x16.bitmask': [0xfd, 0x64],
  'i8x16.sub': [0xfd, 0x71],
}
// Memory instructions: opcode and natural alignment (log2).
const MEMORY = {
  'i32.load': [[0x28], 2],
  'i32.load8_u': [[0x2d], 0],
  'i32.load16_u': [[0x2f], 1],
  'i32.store': [[0x36], 2],
  'v128.load': [[0xfd, 0x00], 0],
}

const number = (tok) => {
  const m = /^([A-Z_0-9]+)([+-]\d+)?$/.exec(tok)
  if (m !== null && m[1] in consts) return consts[m[1]] + Number(m[2] ?? 0)
  const v = Number(tok)
  if (!Number.isInteger(v)) throw new Error(`gen-scan-wasm: not a number: ${tok}`)
  return v
}

function assemble(fn, funcIndex, globalIndex) {
  const locals = new Map()
  for (const p of fn.params) locals.set(p, locals.size)
  const declared = (fn.locals ?? []).map((l) => (Array.isArray(l) ? l : [l, 'i32']))
  for (const [name] of declared) locals.set(name, locals.size)
  const code = fn.body.replace(/;;[^\n]*/g, '')
  const toks = code.split(/\s+/).filter((t) => t !== '')
  const out = []
  const labels = [] // innermost last; null for an unnamed block
  const index = (map, tok, what) => {
    const i = map.get(tok.replace(/^\$/, ''))
    if (i === undefined) throw new Error(`gen-scan-wasm: ${fn.name}: unknown ${what} ${tok}`)
    return i
  }
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k]
    const label = () => (toks[k + 1]?.startsWith('$') ? toks[++k].slice(1) : null)
    if (t in PLAIN) out.push(...PLAIN[t])
    else if (t in MEMORY) {
      const [op, align] = MEMORY[t]
      let offset = 0
      if (toks[k + 1]?.startsWith('offset=')) offset = number(toks[++k].slice(7))
      if (offset < 0) throw new Error(`gen-scan-wasm: ${fn.name}: negative offset`)
      out.push(...op, align, ...uleb(offset))
    } else if (t === 'block' || t === 'loop' || t === 'if') {
      labels.push(label())
      out.push({ block: 0x02, loop: 0x03, if: 0x04 }[t], 0x40)
    } else if (t === 'else') out.push(0x05)
    else if (t === 'end') {
      labels.pop()
      out.push(0x0b)
    } else if (t === 'br' || t === 'br_if') {
      const name = toks[++k].slice(1)
      const depth = labels.length - 1 - labels.lastIndexOf(name)
      if (!labels.includes(name)) throw new Error(`gen-scan-wasm: ${fn.name}: no label ${name}`)
      out.push(t === 'br' ? 0x0c : 0x0d, ...uleb(depth))
    } else if (t === 'local.get' || t === 'local.set' || t === 'local.tee') {
      const op = { 'local.get': 0x20, 'local.set': 0x21, 'local.tee': 0x22 }[t]
      out.push(op, ...uleb(index(locals, toks[++k], 'local')))
    } else if (t === 'global.get' || t === 'global.set' || t === 'global.tee') {
      const i = index(globalIndex, toks[++k], 'global')
      if (t === 'global.tee') out.push(0x24, ...uleb(i), 0x23, ...uleb(i))
      else out.push(t === 'global.get' ? 0x23 : 0x24, ...uleb(i))
    } else if (t === 'call') out.push(0x10, ...uleb(index(funcIndex, toks[++k], 'function')))
    else if (t === 'i32.const') out.push(0x41, ...sleb(number(toks[++k]) | 0))
    else if (t === 'v128.k') {
      const name = toks[++k]
      if (!(name in VECTORS)) throw new Error(`gen-scan-wasm: ${fn.name}: no vector ${name}`)
      const at = LAYOUT.VECTORS + 16 * Object.keys(VECTORS).indexOf(name)
      out.push(0x41, 0x00, 0xfd, 0x00, 0, ...uleb(at))
    } else throw new Error(`gen-scan-wasm: ${fn.name}: unknown instruction ${t}`)
  }
  if (labels.length !== 0) throw new Error(`gen-scan-wasm: ${fn.name}: unclosed block`)
  const groups = declared.map(([, type]) => [...uleb(1), type === 'v128' ? V128 : I32])
  const body = [...vec(groups), ...out, 0x0b]
  return [...uleb(body.length), ...body]
}

// Function 0 is the import `env.flush(pairs)`; then FUNCS in order.
const funcIndex = new Map([['flush', 0], ...FUNCS.map((f, i) => [f.name, i + 1])])
const globalIndex = new Map(GLOBALS.map((g, i) => [g, i]))
const typeOf = (f) => [0x60, ...vec(f.params.map(() => [I32])), ...vec(f.result ? [[I32]] : [])]
const types = [[0x60, ...vec([[I32]]), ...vec([])], ...FUNCS.map(typeOf)]
const pages = Math.ceil((LAYOUT.INPUT + 65536) / 65536)

const module = [
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
  ...section(1, vec(types)),
  ...section(2, vec([[...str('env'), ...str('flush'), 0x00, ...uleb(0)]])),
  ...section(3, vec(FUNCS.map((_, i) => uleb(i + 1)))),
  ...section(5, vec([[0x00, ...uleb(pages)]])),
  ...section(6, vec(GLOBALS.map(() => [I32, 0x01, 0x41, 0x00, 0x0b]))),
  ...section(
    7,
    vec([
      ...FUNCS.filter((f) => f.export).map((f) => [
        ...str(f.name),
        0x00,
        ...uleb(funcIndex.get(f.name)),
      ]),
      [...str('mem'), 0x02, ...uleb(0)],
    ]),
  ),
  ...section(10, vec(FUNCS.map((f) => assemble(f, funcIndex, globalIndex)))),
  ...section(
    11,
    vec([
      [
        0x00,
        ...[0x41, ...sleb(LAYOUT.VECTORS), 0x0b],
        ...vec(Object.values(VECTORS).flatMap((b) => new Array(16).fill([b]))),
      ],
    ]),
  ),
]

const bytes = Uint8Array.from(module)
if (!globalThis.WebAssembly.validate(bytes))
  throw new Error('gen-scan-wasm: the assembled module is invalid')
const b64 = Buffer.from(bytes).toString('base64')
const target = join(import.meta.dirname, '../src/core/scan/runs-wasm.ts')
writeFileSync(
  target,
  `// Generated by scripts/gen-scan-wasm.mjs (see there what the module does); do not edit.\n` +
    `/** The scanner pass's WebAssembly module (${bytes.length} bytes), base64. */\n` +
    `export const PASS_WASM =\n  '${b64}'\n\n` +
    `/** Where the module keeps its tables, its output and the file (byte addresses). */\n` +
    `export const LAYOUT = ${JSON.stringify({ ...LAYOUT, OUT_END, MAX_WANTED, HINT_BYTES })} as const\n`,
)
console.log(`wrote ${target} (${bytes.length} bytes)`)
