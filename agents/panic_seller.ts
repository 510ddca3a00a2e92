// A panic seller: a leveraged trader who deleverages voluntarily. From its first decision it
// builds a position of `leverage` × equity on `side` (unless it already holds one) in market
// orders of at most `lotsMax` lots, one per `pollMs`; every `pollMs` it reads its own health
// (equity / maintenance margin), and while health is under `panicHealth` it stops building and
// closes `deRiskShare` of the position (at most `lotsMax` lots) with a market order. Its selling comes
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
  /** Largest order (lots). */
  lotsMax: number
}

/** Opens a leveraged position, then cuts it when its own health falls under a threshold. */
export class PanicSeller implements Agent {
  readonly subscriptions = [] as const
  /** Lots (signed) it is building toward; null before its first decision, 0 once built or panicked. */
  private entryTarget: number | null = null

  constructor(readonly name: string, readonly accounts: readonly number[], private readonly params: PanicSellerParams) {}

  start(_view: VenueView, rng: Prng): AgentAction {
    return { wakeInMs: 1 + rng.int(this.params.pollMs) }
  }

  onWake(view: VenueView): AgentAction {
    const p = this.params
    const account = this.accounts[0] as number
    const position = view.position(account, p.instrument)
    const mark = view.markTicks(p.instrument)
    if (this.entryTarget === null) {
      if (!(mark > 0)) return { wakeInMs: p.pollMs }
      const lots = position === 0 && p.leverage > 0 ? lotsForNotional(view, p.instrument, p.leverage * view.equity(account), mark) : 0
      this.entryTarget = p.side === 'long' ? lots : -lots
    }
    if (position !== 0 && view.health(account) < p.panicHealth) {
      this.entryTarget = 0 // it never builds again
      const cut = Math.max(1, Math.ceil(Math.abs(position) * p.deRiskShare))
      const order = orderToward(account, p.instrument, position, position > 0 ? position - cut : position + cut, p.lotsMax)
      return order ? { orders: [order], wakeInMs: p.pollMs } : { wakeInMs: p.pollMs }
    }
    if (this.entryTarget !== 0 && Math.abs(position) < Math.abs(this.entryTarget)) {
      const order = orderToward(account, p.instrument, position, this.entryTarget, p.lotsMax)
      if (order) return { orders: [order], wakeInMs: p.pollMs }
    }
    if (this.entryTarget !== 0 && Math.abs(position) >= Math.abs(this.entryTarget)) this.entryTarget = 0
    return { wakeInMs: p.pollMs }
  }
}
