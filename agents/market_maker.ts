// A ladder market maker: every `refreshMs` it quotes `levels` post-only orders per side around
// the oracle price snapped to a grid of `spacingTicks`, topping up levels that were hit (refill)
// and cancelling quotes that fell off the ladder. Past `maxInventoryLots` it stops quoting the
// side that would add to its inventory: the withdrawal of liquidity that deepens a cascade.

import type { Prng } from '../engine/prng.js'
import type { Agent, AgentAction, CancelIntent, OrderIntent, VenueView } from './agent.js'

export interface MarketMakerParams {
  instrument: number
  /** Price levels per side. */
  levels: number
  /** Distance between levels (ticks). */
  spacingTicks: number
  /** Distance from the reference price to the first level (ticks). */
  halfSpreadTicks: number
  /** Lots quoted at each level. */
  lotsPerLevel: number
  /** Time between re-quotes (ms). */
  refreshMs: number
  /** Inventory (lots, either sign) past which the adding side is withdrawn. */
  maxInventoryLots: number
}

/** Quotes and refills a symmetric ladder around the oracle price. */
export class MarketMaker implements Agent {
  readonly subscriptions = [] as const
  private readonly orderIds: number[] = []

  constructor(readonly name: string, readonly accounts: readonly number[], private readonly params: MarketMakerParams) {}

  start(_view: VenueView, rng: Prng): AgentAction {
    return { wakeInMs: 1 + rng.int(this.params.refreshMs) } // staggered so makers do not move in lockstep
  }

  onWake(view: VenueView): AgentAction {
    const p = this.params
    const account = this.accounts[0] as number
    const reference = view.oracleTicks(p.instrument)
    if (reference <= 0) return { wakeInMs: p.refreshMs }
    const grid = Math.round(reference / p.spacingTicks) * p.spacingTicks
    const inventory = view.position(account, p.instrument)
    const desired = new Map<number, 'buy' | 'sell'>()
    for (let k = 0; k < p.levels; k++) {
      const offset = p.halfSpreadTicks + k * p.spacingTicks
      if (inventory < p.maxInventoryLots && grid - offset > 0) desired.set(grid - offset, 'buy')
      if (inventory > -p.maxInventoryLots) desired.set(grid + offset, 'sell')
    }
    const resting = new Map<number, number>()
    const cancels: CancelIntent[] = []
    for (const orderId of view.openOrders(account, p.instrument, this.orderIds)) {
      const order = view.order(account, p.instrument, orderId)
      if (order === undefined) continue
      if (desired.get(order.priceTicks) === order.side) {
        resting.set(order.priceTicks, (resting.get(order.priceTicks) ?? 0) + order.lots)
      } else {
        cancels.push({ account, instrument: p.instrument, orderId })
      }
    }
    const orders: OrderIntent[] = []
    for (const [priceTicks, side] of desired) {
      const missing = p.lotsPerLevel - (resting.get(priceTicks) ?? 0)
      if (missing > 0) orders.push({ account, instrument: p.instrument, side, type: 'post_only', priceTicks, lots: missing })
    }
    return { cancels, orders, wakeInMs: p.refreshMs }
  }
}
