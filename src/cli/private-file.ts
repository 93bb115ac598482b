import { randomBytes } from 'node:crypto'
import { closeSync, fsyncSync, lstatSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { AppError } from '../core/errors.ts'

const PRIVATE = 0o600

function refuse(message: string): AppError {
  return new AppError('CONFLICT', message, [{ field: 'output', message }])
}

/** The mode of `path` when it is a regular file; undefined when nothing is there. */
function existingMode(path: string): number | undefined {
  let st
  try {
    st = lstatSync(path)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
  // Renaming over a link would replace the link, not the file it points to: say so instead.
  if (st.isSymbolicLink()) throw refuse(`${path} is a symbolic link; name the file itself`)
  if (!st.isFile()) throw refuse(`${path} exists and is not a regular file`)
  return st.mode & 0o777
}

/**
 * Writes `text` to `path` with mode 0600, atomically: a temporary file in the same directory
 * (created 0600, so the values are never readable by others, whatever the umask), fsync, then
 * rename over the target. A reader sees the old file or the new one, never a part. An existing
 * file that group or others may read is refused: its permissions say someone expects to share
 * it, and replacing it with secrets would be a surprise in one direction or the other.
 */
export function writePrivateFile(path: string, text: string): void {
  const mode = existingMode(path)
  if (mode !== undefined && (mode & 0o077) !== 0) {
    const octal = mode.toString(8).padStart(3, '0')
    throw refuse(
      `${path} has mode ${octal}, so other users can read it; run chmod 600 on it or remove it first`,
    )
  }
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  let fd: number | undefined
  try {
    fd = openSync(temp, 'wx', PRIVATE)
    writeSync(fd, text)
    fsyncSync(fd)
    closeSync(fd)
    fd = undefined
    renameSync(temp, path)
  } catch (err) {
    if (fd !== undefined) closeSync(fd)
    rmSync(temp, { force: true })
    throw fileError(path, err)
  }
  syncDirectory(dirname(path))
}

/** A file-system failure as an AppError naming the path and the errno code (never the text). */
export function fileError(path: string, err: unknown): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code
  if (typeof code !== 'string') return err
  return new AppError('BAD_REQUEST', `cannot write ${path} (${code})`, [
    { field: 'output', message: code },
  ])
}

// The rename is durable only once the directory entry is on disk.
function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, 'r')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  } catch {
    // Some file systems refuse fsync on a directory; the rename itself has still happened.
  }
}
