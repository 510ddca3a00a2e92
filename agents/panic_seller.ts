// A panic seller: a leveraged trader who deleverages voluntarily. It opens a position of
// `leverage` × equity on `side` at its first decision (unless it already holds one; retried
// until it fills), then every
// `pollMs` reads its own health (equity / maintenance margin); while health is under
// `panicHealth` it closes `deRiskShare` of the position with a market order. Its selling comes
// before the venue's liquidation (health 1) and adds to the same price impact — the voluntary
// deleveraging that runs ahead of forced liquidations in a cascade.

import type { Prng } from '../engine/prng.js'
import type { Agent, AgentAction, VenueView } from './agent.js'
import { lotsForNotional, orderToward } from './order_sizing.js'

export interface PanicSellerParams {
  instrument: number
  /** Side of the position it opens. */
  side: 'long' | 'short'
  /** Notional / equity of the position it opens (0 = open nothing, only manage what it holds). */
  leverage: number
  /** Health under which it de-risks. */
  panicHealth: number
  /** Share of the position closed per de-risking order (0–1]. */
  deRiskShare: number
  /** Time between health checks (ms). */
  pollMs: number
}

/** Opens a leveraged position, then cuts it when its own health falls under a threshold. */
export class PanicSeller implements Agent {
  readonly subscriptions = [] as const
  private entered = false

  constructor(readonly name: string, readonly accounts: readonly number[], private readonly params: PanicSellerParams) {}

  start(_view: VenueView, rng: Prng): AgentAction {
    return { wakeInMs: 1 + rng.int(this.params.pollMs) }
  }

  onWake(view: VenueView): AgentAction {
    const p = this.params
    const account = this.accounts[0] as number
    const position = view.position(account, p.instrument)
    const mark = view.markTicks(p.instrument)
    if (position !== 0) this.entered = true
    if (!this.entered) { // retried each poll until a fill (no book or price yet at the first)
      if (p.leverage > 0 && mark > 0) {
        const lots = lotsForNotional(view, p.instrument, p.leverage * view.equity(account), mark)
        const order = orderToward(account, p.instrument, 0, p.side === 'long' ? lots : -lots, Number.MAX_SAFE_INTEGER)
        if (order) return { orders: [order], wakeInMs: p.pollMs }
      }
    }
    if (position === 0 || !(view.health(account) < p.panicHealth)) return { wakeInMs: p.pollMs }
    const cut = Math.max(1, Math.ceil(Math.abs(position) * p.deRiskShare))
    const order = orderToward(account, p.instrument, position, position > 0 ? position - cut : position + cut, cut)
    return order ? { orders: [order], wakeInMs: p.pollMs } : { wakeInMs: p.pollMs }
  }
}
