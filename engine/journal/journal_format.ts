// The journal file format, shared by writer and reader.
//
//   file   := MAGIC frame(header) frame(record)* frame(end)
//   frame  := u32le payloadLength | u32le crc32(payload) | payload
//   payload:= msgpack of a JournalHeader, a VenueEvent, a Checkpoint or a JournalEnd
//
// The end frame lets a reader tell a cleanly closed journal from one cut at a frame boundary.

import type { VenueEvent } from '../events.js'
import type { VenueConfig } from '../venue_config.js'

export const MAGIC = new TextEncoder().encode('CASCLAB\n')
export const FRAME_HEADER_BYTES = 8
/** Frames larger than this are treated as corruption of the length field. */
export const FRAME_PAYLOAD_MAX = 64 * 1024 * 1024
export const JOURNAL_FORMAT_VERSION = 1

/** First frame: everything replay needs to rebuild the venue, plus the scenario for reproduction. */
export interface JournalHeader {
  kind: 'Header'
  format: 'cascadelab-journal'
  formatVersion: number
  packageVersion: string
  seed: number
  checkpointEvery: number
  venue: VenueConfig
  /** The resolved scenario that produced the run (opaque to the engine). */
  scenario: unknown
}

/** State digest after the event `seq` (sha-256 hex of the full venue state). */
export interface Checkpoint { kind: 'Checkpoint'; seq: number; t: number; digest: string }
/** Last frame of a complete journal. */
export interface JournalEnd { kind: 'End'; lastSeq: number; events: number; digest: string }

export type JournalRecord = VenueEvent | Checkpoint | JournalEnd

/** Raised when a journal cannot be read: names the file and the byte offset. */
export class JournalError extends Error {
  override name = 'JournalError'
  constructor(readonly file: string, readonly offset: number, detail: string) {
    super(`${file}: ${detail} at byte offset ${offset}`)
  }
}
