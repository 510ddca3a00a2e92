// Streams a journal frame by frame with bounded memory. Every defect is reported as a
// JournalError naming the file and the byte offset of the bad frame: bad magic, a truncated
// frame header or payload, a CRC mismatch, undecodable msgpack, or a missing end frame.

import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import { Decoder } from '@msgpack/msgpack'
import { crc32 } from './crc32.js'
import {
  FRAME_HEADER_BYTES, FRAME_PAYLOAD_MAX, JOURNAL_FORMAT_VERSION, JournalError, MAGIC,
  type JournalHeader, type JournalRecord,
} from './journal_format.js'

const CHUNK_BYTES = 1 << 20

/** One frame: its byte offset, decoded record and raw payload bytes (valid until the next frame). */
export interface JournalFrame { offset: number; record: JournalRecord; payload: Uint8Array }

/** Reads a journal file: `header` on open, then `frames()` until the end frame. */
export class JournalReader {
  readonly header: JournalHeader
  readonly fileBytes: number
  private readonly fd: number
  private readonly decoder = new Decoder()
  private buffer = Buffer.allocUnsafe(CHUNK_BYTES)
  private bufferStart = 0 // file offset of buffer[0]
  private bufferEnd = 0 // valid bytes in buffer
  private offset = 0 // file offset of the next frame

  constructor(readonly file: string) {
    this.fd = openSync(file, 'r')
    try {
      this.fileBytes = fstatSync(this.fd).size
      const magic = this.bytesAt(0, MAGIC.length)
      if (magic === null || !magic.every((b, i) => b === MAGIC[i])) {
        throw new JournalError(file, 0, 'not a cascadelab journal (bad magic bytes)')
      }
      this.offset = MAGIC.length
      const first = this.nextFrame()
      const header = first?.record as unknown as JournalHeader | undefined
      if (!first || header?.kind !== 'Header') throw new JournalError(file, MAGIC.length, 'missing journal header frame')
      if (header.formatVersion !== JOURNAL_FORMAT_VERSION) {
        throw new JournalError(file, MAGIC.length, `unsupported journal format version ${String(header.formatVersion)}`)
      }
      this.header = header
    } catch (error) {
      closeSync(this.fd)
      throw error
    }
  }

  /** Yields every frame after the header, ending with the end frame; throws JournalError on a defect. */
  *frames(): Generator<JournalFrame> {
    try {
      for (;;) {
        const frame = this.nextFrame()
        if (frame === null) throw new JournalError(this.file, this.offset, 'journal ends without an end frame (truncated at a frame boundary?)')
        yield frame
        if (frame.record.kind === 'End') {
          if (this.offset !== this.fileBytes) throw new JournalError(this.file, this.offset, 'unexpected bytes after the end frame')
          return
        }
      }
    } finally {
      closeSync(this.fd)
    }
  }

  private nextFrame(): JournalFrame | null {
    const offset = this.offset
    if (offset === this.fileBytes) return null
    const head = this.bytesAt(offset, FRAME_HEADER_BYTES)
    if (head === null) {
      throw new JournalError(this.file, offset, `truncated frame header (${this.fileBytes - offset} of ${FRAME_HEADER_BYTES} bytes present)`)
    }
    const length = head.readUInt32LE(0)
    const expectedCrc = head.readUInt32LE(4)
    if (length > FRAME_PAYLOAD_MAX) throw new JournalError(this.file, offset, `corrupt frame: implausible length ${length}`)
    const payload = this.bytesAt(offset + FRAME_HEADER_BYTES, length)
    if (payload === null) {
      const present = Math.max(0, this.fileBytes - offset - FRAME_HEADER_BYTES)
      throw new JournalError(this.file, offset, `truncated frame (${present} of ${length} payload bytes present)`)
    }
    if (crc32(payload) !== expectedCrc) throw new JournalError(this.file, offset, 'corrupt frame (checksum mismatch)')
    let record: JournalRecord
    try {
      record = this.decoder.decode(payload) as JournalRecord
    } catch {
      throw new JournalError(this.file, offset, 'corrupt frame (undecodable payload)')
    }
    if (typeof record !== 'object' || record === null || typeof (record as { kind?: unknown }).kind !== 'string') {
      throw new JournalError(this.file, offset, 'corrupt frame (payload is not a record)')
    }
    this.offset = offset + FRAME_HEADER_BYTES + length
    return { offset, record, payload }
  }

  /** Bytes [offset, offset+length) of the file, or null if the file is shorter. */
  private bytesAt(offset: number, length: number): Buffer | null {
    if (offset + length > this.fileBytes) return null
    if (offset < this.bufferStart || offset + length > this.bufferStart + this.bufferEnd) this.fill(offset, length)
    const start = offset - this.bufferStart
    return this.buffer.subarray(start, start + length)
  }

  private fill(offset: number, length: number): void {
    if (length > this.buffer.length) this.buffer = Buffer.allocUnsafe(length)
    const want = Math.min(this.buffer.length, this.fileBytes - offset)
    let got = 0
    while (got < want) {
      const n = readSync(this.fd, this.buffer, got, want - got, offset + got)
      if (n === 0) break
      got += n
    }
    this.bufferStart = offset
    this.bufferEnd = got
  }
}
