// A delta-neutral basis trader: it holds the perpetual's base asset as collateral (the "spot"
// leg, deposited by the world) and keeps a short perpetual of the same base size (times
// `hedgeRatio`), so that in cross margin the legs net: a fall in price lowers the collateral's
// value and raises the short's PnL by about as much. It earns funding when longs pay, and it is
// exposed to what cross margin does not net — the collateral haircut and the basis between mark
// and oracle. Every `pollMs` it re-hedges if the short is more than `rebalanceLots` off target.

import type { Prng } from '../engine/prng.js'
import type { Agent, AgentAction, VenueView } from './agent.js'
import { orderToward } from './order_sizing.js'

export interface BasisTraderParams {
  instrument: number
  /** Short base size / collateral base size (1 = fully hedged). */
  hedgeRatio: number
  /** Re-hedge only when the short is this many lots off target. */
  rebalanceLots: number
  /** Time between checks (ms). */
  pollMs: number
  /** Largest order (lots). */
  lotsMax: number
}

/** Long the base asset as collateral, short the perpetual. */
export class BasisTrader implements Agent {
  readonly subscriptions = [] as const

  constructor(readonly name: string, readonly accounts: readonly number[], private readonly params: BasisTraderParams) {}

  start(_view: VenueView, rng: Prng): AgentAction {
    return { wakeInMs: 1 + rng.int(this.params.pollMs) }
  }

  /** The short (negative lots) that hedges the base asset the account holds. */
  targetLots(view: VenueView): number {
    const p = this.params
    const account = this.accounts[0] as number
    const instrument = view.instrument(p.instrument)
    const baseHeld = view.balance(account, instrument.baseAsset) * view.asset(instrument.baseAsset).unit
    const basePerLot = instrument.contractSize * instrument.lotSize
    return -Math.floor((p.hedgeRatio * baseHeld) / basePerLot + 1e-9)
  }

  onWake(view: VenueView): AgentAction {
    const p = this.params
    const account = this.accounts[0] as number
    const position = view.position(account, p.instrument)
    const target = this.targetLots(view)
    const order = Math.abs(target - position) >= Math.max(1, p.rebalanceLots)
      ? orderToward(account, p.instrument, position, target, p.lotsMax)
      : null
    return order ? { orders: [order], wakeInMs: p.pollMs } : { wakeInMs: p.pollMs }
  }
}
