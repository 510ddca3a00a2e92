// Enriches the event stream once for every metric downstream: each event comes with the
// cascade generation behind it and the account ledger updated through it. Built per
// subscription (defer), so replaying a journal twice starts from a fresh ledger each time.

import { defer, map, reduce, type OperatorFunction } from 'rxjs'
import type { VenueEvent } from '../engine/events.js'
import type { VenueConfig } from '../engine/venue_config.js'
import { AccountLedger } from './account_ledger.js'
import { CascadeGenerations } from './cascade_generations.js'

/**
 * One event with its context. The object is reused for every event (no per-event allocation):
 * read it in the callback, never keep it.
 */
export interface AnnotatedEvent {
  event: VenueEvent
  /** Generation of a Liquidation event, or of the nearest liquidation behind any other event (-1: none). */
  generation: number
  /** Accounts after this event. */
  readonly ledger: AccountLedger
  readonly venue: VenueConfig
}

/** Annotates each event with its cascade generation and the ledger after it. */
export function annotate(venue: VenueConfig): OperatorFunction<VenueEvent, AnnotatedEvent> {
  return (source) => defer(() => {
    const ledger = new AccountLedger(venue)
    const generations = new CascadeGenerations()
    const annotated: AnnotatedEvent = { event: undefined as unknown as VenueEvent, generation: -1, ledger, venue }
    return source.pipe(map((event) => {
      ledger.apply(event)
      annotated.event = event
      annotated.generation = generations.add(event)
      return annotated
    }))
  })
}

/** A fold over annotated events: fresh state per subscription, one value on completion. */
export function foldEvents<S, R>(
  initial: () => S, step: (state: S, e: AnnotatedEvent) => void, finish: (state: S) => R,
): OperatorFunction<AnnotatedEvent, R> {
  return (source) => defer(() => {
    const seed = initial()
    return source.pipe(reduce((state: S, e: AnnotatedEvent) => {
      step(state, e)
      return state
    }, seed), map(finish))
  })
}
