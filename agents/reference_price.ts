// The price an agent reads as "the market": the venue's mark, the oracle, or the external
// reference. Which one matters in a cascade: the mark lags the book, the oracle lags the
// outside world, and agents that read different prices act at different moments.

import { assertNever } from '../engine/assert.js'
import type { VenueView } from './agent.js'

/** The price an agent reads as "the market": mark, oracle or the external reference (ticks). */
export type ReferencePrice = 'mark' | 'oracle' | 'external'

/** Instrument `i`'s price by `reference` (ticks). */
export function referenceTicks(view: VenueView, i: number, reference: ReferencePrice): number {
  switch (reference) {
    case 'external':
      return view.externalTicks(i)
    case 'oracle':
      return view.oracleTicks(i)
    case 'mark':
      return view.markTicks(i)
    default:
      return assertNever(reference)
  }
}
