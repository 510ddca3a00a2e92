// Enriches the event stream once for every metric downstream: each event comes with the
// cascade tree and the account ledger updated through it, and the generation behind it. Built
// per subscription (defer), so replaying a journal twice starts from a fresh ledger each time.
// The Annotator is the same enrichment without rxjs, for callers that fold a journal directly.

import { defer, map, reduce, type OperatorFunction } from 'rxjs'
import type { VenueEvent } from '../engine/events.js'
import type { VenueConfig } from '../engine/venue_config.js'
import { AccountLedger } from './account_ledger.js'
import { CascadeTree } from './cascade_tree.js'

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
  /** The cascade tree through this event. */
  readonly tree: CascadeTree
  readonly venue: VenueConfig
}

/** Feeds events (in seq order) to one ledger and one cascade tree and annotates each. */
export class Annotator {
  readonly annotated: AnnotatedEvent

  constructor(venue: VenueConfig) {
    this.annotated = { event: undefined as unknown as VenueEvent, generation: -1, ledger: new AccountLedger(venue), tree: new CascadeTree(venue), venue }
  }

  /** Applies `event`; returns the (reused) annotation. */
  add(event: VenueEvent): AnnotatedEvent {
    const annotated = this.annotated
    annotated.ledger.apply(event)
    annotated.tree.add(event)
    annotated.event = event
    annotated.generation = annotated.tree.generationBehind(event.seq)
    return annotated
  }
}

/** Annotates each event with its cascade generation, the tree and the ledger after it. */
export function annotate(venue: VenueConfig): OperatorFunction<VenueEvent, AnnotatedEvent> {
  return (source) => defer(() => {
    const annotator = new Annotator(venue)
    return source.pipe(map((event) => annotator.add(event)))
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
