// A leveraged trend follower. Every `pollMs` it samples a reference price and measures momentum
// over the last `lookbackMs`: m = p(now) / p(now − lookback) − 1. When m ≥ entryRate it goes
// long, when m ≤ −entryRate short, each at `leverage` × its equity in notional; when |m| falls
// under `exitRate` it closes; in between it holds. Orders are market orders of at most `lotsMax`
// lots, so a large target is reached over several polls. Trend followers are the momentum
// traders whose selling after a drop feeds a cascade (and whose leverage makes them fuel).

import type { Agent, AgentAction, VenueView } from './agent.js'
import type { Prng } from '../engine/prng.js'
import { lotsForNotional, orderToward } from './order_sizing.js'
import { referenceTicks, type ReferencePrice } from './reference_price.js'

export interface TrendFollowerParams {
  instrument: number
  /** Time between decisions (ms). */
  pollMs: number
  /** Momentum is measured over this window (ms). */
  lookbackMs: number
  /** Relative move over the window that opens a position (0.01 = 1%). */
  entryRate: number
  /** Below this |momentum| the position is closed. */
  exitRate: number
  /** Target notional / equity when in a trend. */
  leverage: number
  /** Largest order (lots). */
  lotsMax: number
  reference: ReferencePrice
}

/** Enters on momentum at a chosen leverage, exits when the trend fades. */
export class TrendFollower implements Agent {
  readonly subscriptions = [] as const
  /** Sampled prices (ticks) and their times (ms), oldest first, covering the lookback. */
  private readonly prices: number[] = []
  private readonly times: number[] = []

  constructor(readonly name: string, readonly accounts: readonly number[], private readonly params: TrendFollowerParams) {}

  start(_view: VenueView, rng: Prng): AgentAction {
    return { wakeInMs: 1 + rng.int(this.params.pollMs) }
  }

  /** Momentum over the lookback (relative), or NaN until the samples span it. */
  momentum(nowMs: number): number {
    if (this.prices.length < 2 || nowMs - this.times[0]! < this.params.lookbackMs) return NaN
    return this.prices[this.prices.length - 1]! / this.prices[0]! - 1
  }

  onWake(view: VenueView): AgentAction {
    const p = this.params
    const now = view.nowMs
    const price = referenceTicks(view, p.instrument, p.reference)
    if (!(price > 0)) return { wakeInMs: p.pollMs }
    this.prices.push(price)
    this.times.push(now)
    // keep exactly one sample at or before now − lookback, so the window spans the lookback
    while (this.times.length > 2 && now - this.times[1]! >= p.lookbackMs) {
      this.prices.shift()
      this.times.shift()
    }
    const m = this.momentum(now)
    if (Number.isNaN(m)) return { wakeInMs: p.pollMs }
    const account = this.accounts[0] as number
    const position = view.position(account, p.instrument)
    let target = position
    if (Math.abs(m) < p.exitRate) target = 0
    else if (Math.abs(m) >= p.entryRate) {
      const lots = lotsForNotional(view, p.instrument, p.leverage * Math.max(0, view.equity(account)), price)
      target = m > 0 ? lots : -lots
    }
    const order = orderToward(account, p.instrument, position, target, p.lotsMax)
    return order ? { orders: [order], wakeInMs: p.pollMs } : { wakeInMs: p.pollMs }
  }
}
