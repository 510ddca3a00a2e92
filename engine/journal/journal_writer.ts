// Appends frames to a journal. Writes go to `<path>.partial` and the file is renamed into place
// only by close(), so a crashed or failed run never leaves a half journal under the final name
// (and never clobbers a previous good one). Frames are batched into a 1 MiB buffer.

import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { Encoder } from '@msgpack/msgpack'
import { assert, fail } from '../assert.js'
import { crc32 } from './crc32.js'
import {
  FRAME_HEADER_BYTES, FRAME_PAYLOAD_MAX, MAGIC,
  type JournalEnd, type JournalHeader, type JournalRecord,
} from './journal_format.js'

const BUFFER_BYTES = 1 << 20

/** Streams journal frames to disk, atomically published on close(). */
export class JournalWriter {
  readonly tempPath: string
  private fd: number
  private readonly encoder = new Encoder()
  private buffer = Buffer.allocUnsafe(BUFFER_BYTES)
  private used = 0
  private closed = false
  bytesWritten = 0

  constructor(readonly path: string, header: JournalHeader) {
    this.tempPath = `${path}.partial`
    this.fd = openSync(this.tempPath, 'w')
    this.writeRaw(MAGIC)
    this.append(header)
  }

  /** Appends one record as a frame. */
  append(record: JournalRecord | JournalHeader): void {
    assert(!this.closed, 'journal: append after close')
    const payload = this.encoder.encodeSharedRef(record)
    if (!(payload.length <= FRAME_PAYLOAD_MAX)) fail(`journal: frame of ${payload.length} bytes is too large`)
    const need = FRAME_HEADER_BYTES + payload.length
    if (this.used + need > this.buffer.length) this.flush()
    if (need > this.buffer.length) this.buffer = Buffer.allocUnsafe(need)
    this.buffer.writeUInt32LE(payload.length, this.used)
    this.buffer.writeUInt32LE(crc32(payload), this.used + 4)
    this.buffer.set(payload, this.used + FRAME_HEADER_BYTES)
    this.used += need
  }

  /** Writes the end frame, syncs and renames the file into place. */
  close(end: JournalEnd): void {
    this.append(end)
    this.flush()
    fsyncSync(this.fd)
    closeSync(this.fd)
    this.closed = true
    renameSync(this.tempPath, this.path)
  }

  /** Discards the partial file (a failed run leaves earlier outputs untouched). */
  abort(): void {
    if (this.closed) return
    this.closed = true
    closeSync(this.fd)
    rmSync(this.tempPath, { force: true })
  }

  private flush(): void {
    if (this.used === 0) return
    this.writeRaw(this.buffer.subarray(0, this.used))
    this.used = 0
  }

  private writeRaw(bytes: Uint8Array): void {
    let offset = 0
    try {
      while (offset < bytes.length) offset += writeSync(this.fd, bytes, offset, bytes.length - offset)
    } catch (error) {
      // write(2) errors (ENOSPC, EIO) carry no path: name the file so the CLI can say which
      if (error instanceof Error && !('path' in error)) Object.assign(error, { path: this.tempPath })
      throw error
    }
    this.bytesWritten += bytes.length
  }
}
