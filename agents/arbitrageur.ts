// An arbitrageur between the venue and the external market: when the venue's best ask is below
// the external price by more than `edgeRate` it buys, when its best bid is above by more than
// `edgeRate` it sells — IOC orders limited to the price that still leaves the edge, sized by the
// depth available there (book or impact model, through the view). It is assumed to hedge
// outside, so it holds the venue position, and that is what bounds it: finite capital. Its
// position may not exceed `maxLeverage` × its equity in notional (and the venue's own initial-
// margin check applies), so in a large dislocation it runs out of room — arbitrage stops
// tying the venue to the outside world exactly when a cascade needs it. It acts on every
// external price observation and every `pollMs`, and its orders arrive after its latency
// (the agent driver's).

import type { VenueEvent } from '../engine/events.js'
import type { Agent, AgentAction, OrderIntent, VenueView } from './agent.js'

export interface ArbitrageurParams {
  instrument: number
  /** Minimum relative gap between venue and external price worth trading (0.001 = 10 bp). */
  edgeRate: number
  /** Position notional may reach this multiple of equity. */
  maxLeverage: number
  /** Largest order (lots). */
  lotsMax: number
  /** Time between checks without an external observation (ms). */
  pollMs: number
}

/** Trades the venue toward the external price within its capital. */
export class Arbitrageur implements Agent {
  readonly subscriptions = ['ExternalPrice'] as const
  private baseAsset = -1

  constructor(readonly name: string, readonly accounts: readonly number[], private readonly params: ArbitrageurParams) {}

  start(view: VenueView): AgentAction {
    this.baseAsset = view.instrument(this.params.instrument).baseAsset
    return { wakeInMs: this.params.pollMs }
  }

  onWake(view: VenueView): AgentAction {
    return { ...this.decide(view), wakeInMs: this.params.pollMs }
  }

  onEvent(view: VenueView, event: VenueEvent): AgentAction | void {
    if (event.kind === 'ExternalPrice' && event.asset === this.baseAsset) return this.decide(view)
  }

  /** At most one IOC order toward the external price, sized by depth at the edge price and by capital. */
  decide(view: VenueView): AgentAction {
    const p = this.params
    const i = p.instrument
    const account = this.accounts[0] as number
    const external = view.externalTicks(i)
    if (!(external > 0)) return {}
    const buyBelow = Math.floor(external * (1 - p.edgeRate))
    const sellAbove = Math.ceil(external * (1 + p.edgeRate))
    const ask = view.bestAsk(i)
    const bid = view.bestBid(i)
    let order: OrderIntent | null = null
    if (ask > 0 && ask <= buyBelow) {
      const lots = Math.min(p.lotsMax, view.depthTo(i, 'sell', buyBelow), this.room(view, account, 1, buyBelow))
      if (lots > 0) order = { account, instrument: i, side: 'buy', type: 'ioc', priceTicks: buyBelow, lots }
    } else if (bid > 0 && bid >= sellAbove) {
      const lots = Math.min(p.lotsMax, view.depthTo(i, 'buy', sellAbove), this.room(view, account, -1, sellAbove))
      if (lots > 0) order = { account, instrument: i, side: 'sell', type: 'ioc', priceTicks: sellAbove, lots }
    }
    return order ? { orders: [order] } : {}
  }

  /** Lots it may still add in direction `sign` before its notional reaches maxLeverage × equity. */
  private room(view: VenueView, account: number, sign: 1 | -1, priceTicks: number): number {
    const equity = view.equity(account)
    if (!(equity > 0)) return 0
    const position = view.position(account, this.params.instrument)
    const limitLots = Math.floor((this.params.maxLeverage * equity) / (priceTicks * view.instrument(this.params.instrument).cashPerTickLot))
    return Math.max(0, limitLots - sign * position)
  }
}
