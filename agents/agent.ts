// The Agent interface: a trader reads a scoped, read-only view of the venue (prices, book, its
// own accounts and orders) and acts only by returning intents — orders, cancels and when to wake
// next. Intents reach the venue after a latency drawn from the agent's own random stream. An
// agent never touches engine state; the AgentDriver turns its intents into journaled inputs.

import type { EventKind, OrderType, Side, VenueEvent } from '../engine/events.js'
import type { Prng } from '../engine/prng.js'
import type { VenueView } from '../engine/venue_view.js'

export type { VenueView }

/** An order an agent wants placed (prices in ticks, sizes in lots). */
export interface OrderIntent {
  account: number
  instrument: number
  side: Side
  type: OrderType
  /** Limit price in ticks (ignored for market orders). */
  priceTicks: number
  lots: number
  /** Seq of the event that prompted the order (default: none), so the cascade tree runs through it. */
  cause?: number
}

/**
 * A trade on the reference market outside the venue (a hedge): `lots` of `instrument`'s base
 * asset, signed (> 0 buys). It moves the outside price through the reference market's impact.
 */
export interface HedgeIntent {
  account: number
  instrument: number
  lots: number
  /** Seq of the event that prompted the hedge (default: none). */
  cause?: number
}

/** A resting order an agent wants cancelled. */
export interface CancelIntent {
  account: number
  instrument: number
  orderId: number
}

/** A liquidator's offer for `lots` of an open liquidation auction (`auction` = its LiquidationAuction seq). */
export interface BidIntent {
  account: number
  auction: number
  lots: number
}

/** What an agent does in response to a wake-up or an event. */
export interface AgentAction {
  orders?: OrderIntent[]
  cancels?: CancelIntent[]
  bids?: BidIntent[]
  hedges?: HedgeIntent[]
  /** Simulated ms from now until the next wake-up (omit for none). */
  wakeInMs?: number
}

/** A trader. Implement this in one file and name it in a scenario. */
export interface Agent {
  readonly name: string
  /** Accounts this agent controls (assigned by the world; its view sees only these). */
  readonly accounts: readonly number[]
  /** Event kinds delivered to onEvent. */
  readonly subscriptions: readonly EventKind[]
  /** Called once at time 0 with the agent's view and random stream. */
  start(view: VenueView, rng: Prng): AgentAction | void
  onWake(view: VenueView): AgentAction | void
  onEvent?(view: VenueView, event: VenueEvent): AgentAction | void
}

/** Latency from decision to arrival at the venue: minMs plus a uniform jitter (ms). */
export interface LatencyModel {
  minMs: number
  jitterMs: number
}
