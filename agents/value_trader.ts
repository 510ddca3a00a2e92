// A mean-reverting value trader who buys dips with limited capital. It tracks a slow anchor
// (an exponentially weighted average of the reference price with half-life `anchorHalfLifeMs`)
// and, every `pollMs`, buys `lotsPerBuy` while the price is at least `dipRate` below the anchor
// and its position notional stays under `maxLeverage` × equity (its limited capital); once the
// price is back at the anchor it sells its long in slices of `lotsPerBuy`. It is the patient
// buyer that can absorb a cascade — until its capital runs out.

import { expDeterministic } from '../engine/deterministic_math.js'
import type { Prng } from '../engine/prng.js'
import type { Agent, AgentAction, VenueView } from './agent.js'
import { lotsForNotional, orderToward } from './order_sizing.js'
import { referenceTicks, type ReferencePrice } from './reference_price.js'

const LN2 = 0.6931471805599453

export interface ValueTraderParams {
  instrument: number
  /** Time between decisions (ms). */
  pollMs: number
  /** Half-life of the anchor's moving average (ms). */
  anchorHalfLifeMs: number
  /** Buys while the price is this fraction or more below the anchor. */
  dipRate: number
  /** Lots bought (or sold when reverted) per decision. */
  lotsPerBuy: number
  /** Position notional may not exceed this multiple of equity. */
  maxLeverage: number
  reference: ReferencePrice
}

/** Buys below a moving anchor within its capital, sells when the price reverts. */
export class ValueTrader implements Agent {
  readonly subscriptions = [] as const
  /** The moving anchor (ticks); 0 until the first sample. */
  anchorTicks = 0
  private readonly anchorWeight: number

  constructor(readonly name: string, readonly accounts: readonly number[], private readonly params: ValueTraderParams) {
    this.anchorWeight = 1 - expDeterministic((-LN2 * params.pollMs) / Math.max(1, params.anchorHalfLifeMs))
  }

  start(_view: VenueView, rng: Prng): AgentAction {
    return { wakeInMs: 1 + rng.int(this.params.pollMs) }
  }

  onWake(view: VenueView): AgentAction {
    const p = this.params
    const price = referenceTicks(view, p.instrument, p.reference)
    if (!(price > 0)) return { wakeInMs: p.pollMs }
    const anchor = this.anchorTicks > 0 ? this.anchorTicks : price
    this.anchorTicks = anchor + this.anchorWeight * (price - anchor)
    const account = this.accounts[0] as number
    const position = view.position(account, p.instrument)
    let target = position
    if (price <= anchor * (1 - p.dipRate)) {
      const capacity = lotsForNotional(view, p.instrument, p.maxLeverage * Math.max(0, view.equity(account)), price)
      target = Math.max(position, Math.min(position + p.lotsPerBuy, capacity))
    } else if (price >= anchor && position > 0) {
      target = Math.max(0, position - p.lotsPerBuy)
    }
    const order = orderToward(account, p.instrument, position, target, p.lotsPerBuy)
    return order ? { orders: [order], wakeInMs: p.pollMs } : { wakeInMs: p.pollMs }
  }
}
