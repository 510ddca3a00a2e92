// Writes files so that readers see the old content or the new, never a torn mix: write a temp
// file beside the target, fsync, rename over it.

import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'

/** Atomically replaces `path` with `data`. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const temp = `${path}.tmp-${process.pid}`
  const fd = openSync(temp, 'w')
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
    let offset = 0
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset)
    fsyncSync(fd)
  } catch (error) {
    // write(2) errors (ENOSPC, EIO) carry no path: name the file, and leave no temp behind
    if (error instanceof Error && !('path' in error)) Object.assign(error, { path: temp })
    rmSync(temp, { force: true })
    throw error
  } finally {
    closeSync(fd)
  }
  renameSync(temp, path)
}
