// An event sink for property tests: checks that seqs are dense and in order and that every
// event's cause precedes it, then hands the event on.

import { expect } from 'vitest'
import type { VenueEvent } from '../../engine/events.js'
import type { EventSink } from '../../engine/simulation.js'

/** A sink asserting seq = previous + 1 and cause < seq for every event, then calling `onEvent`. */
export function causalitySink(onEvent: (e: VenueEvent) => void): EventSink {
  let previousSeq = -1
  return {
    event(e: VenueEvent) {
      expect(e.seq).toBe(previousSeq + 1)
      expect(e.cause).toBeLessThan(e.seq)
      previousSeq = e.seq
      onEvent(e)
    },
    checkpoint() {},
  }
}
