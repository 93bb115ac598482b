// The byte classes of the scanner's pass, shared by its JavaScript loop (candidates.ts) and the
// tables it gives its WebAssembly module (runs.ts).

// Byte classes: 0 part of a token (bytes ≥ 128 too, so UTF-8 characters are never split);
// 1 hard break (whitespace, quotes, controls) ends every run; 2 soft break (`=:,;` brackets)
// ends the finer runs; 3 fine break (`/@?&#\|`) ends only the finest, so that
// `postgres://u:PASS@host` yields `PASS` while a base64 value keeps its `/` in the coarser runs.
export const CLASS = new Uint8Array(256)
for (let c = 0; c < 32; c++) CLASS[c] = 1
for (const [chars, cls] of [
  [' "\'`', 1],
  ['=:,;()[]{}<>', 2],
  ['/@?&#\\|', 3],
] as const) {
  for (const ch of chars) CLASS[ch.charCodeAt(0)] = cls
}
CLASS[127] = 1
// 4: other ASCII punctuation (`.-$!+*…`): not a break, but a word may start after it.
for (let c = 33; c < 127; c++) {
  if (CLASS[c] === 0 && !/[0-9A-Za-z_]/.test(String.fromCharCode(c))) CLASS[c] = 4
}
export const HARD = 1
export const FINE = 3
export const PUNCT = 4

// CLASS, with the blanks apart: where a run that `readRun` reads ends.
export const STOP = 5
export const RUN_CLASS = CLASS.slice()
for (const c of [9, 10, 13, 32]) RUN_CLASS[c] = STOP

/** The bytes of a `KEY=` name. */
export const KEY_BYTE = new Uint8Array(256)
for (const ch of '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_.-') {
  KEY_BYTE[ch.charCodeAt(0)] = 1
}

/** Space, tab and CR: the blanks inside a line. */
export const IS_BLANK = new Uint8Array(256)
for (const c of [9, 13, 32]) IS_BLANK[c] = 1
