// The event stream as an rxjs Observable, from either end of a run: live, through an EventSink
// that the simulation loop feeds, or replayed from a journal file. Metrics and time series are
// operators over this stream, so the same code computes them in both cases.

import { Observable, Subject } from 'rxjs'
import type { VenueEvent } from '../engine/events.js'
import type { JournalReader } from '../engine/journal/journal_reader.js'
import type { EventSink } from '../engine/simulation.js'

/** The events of a journal (checkpoint and end frames left out), in seq order, as an iterable. */
export function* journalRecords(reader: JournalReader): Generator<VenueEvent> {
  for (const frame of reader.frames()) {
    const record = frame.record
    if (record.kind !== 'Checkpoint' && record.kind !== 'End') yield record
  }
}

/** The events of a journal (checkpoint and end frames left out), in seq order; cold. */
export function journalEvents(reader: JournalReader): Observable<VenueEvent> {
  return new Observable<VenueEvent>((subscriber) => {
    try {
      for (const event of journalRecords(reader)) {
        subscriber.next(event)
        if (subscriber.closed) return
      }
      subscriber.complete()
    } catch (error) {
      subscriber.error(error)
    }
  })
}

/** An EventSink that publishes every event of a live run; call complete() when the run ends. */
export class LiveEventStream implements EventSink {
  private readonly subject = new Subject<VenueEvent>()
  /** The live events (hot: subscribe before the run starts). */
  readonly events: Observable<VenueEvent> = this.subject.asObservable()

  event(event: VenueEvent): void {
    this.subject.next(event)
  }

  checkpoint(): void {}

  /** Ends the stream: every operator emits its final value. */
  complete(): void {
    this.subject.complete()
  }
}
