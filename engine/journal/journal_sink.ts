// Connects the loop to a journal file: every event becomes a frame, checkpoints become
// checkpoint frames, and finish() writes the end frame and publishes the file.

import type { VenueEvent } from '../events.js'
import type { EventSink } from '../simulation.js'
import type { JournalHeader } from './journal_format.js'
import { JournalWriter } from './journal_writer.js'

/** An EventSink that journals to `path` (published atomically by finish()). */
export class JournalSink implements EventSink {
  private readonly writer: JournalWriter
  private events = 0
  private lastSeq = -1

  constructor(path: string, header: JournalHeader) {
    this.writer = new JournalWriter(path, header)
  }

  event(event: VenueEvent): void {
    this.writer.append(event)
    this.events++
    this.lastSeq = event.seq
  }

  checkpoint(seq: number, t: number, digest: string): void {
    this.writer.append({ kind: 'Checkpoint', seq, t, digest })
  }

  /** Writes the end frame with the final digest and renames the journal into place; returns its size in bytes. */
  finish(digest: string): number {
    this.writer.close({ kind: 'End', lastSeq: this.lastSeq, events: this.events, digest })
    return this.writer.bytesWritten
  }

  /** Drops the partial journal (after a failed run). */
  abort(): void {
    this.writer.abort()
  }
}
