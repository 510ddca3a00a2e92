// An arbitrageur between the venue and the external (reference) market: when the venue's best
// ask is below the external price by more than `edgeRate` it buys, when its best bid is above by
// more than `edgeRate` it sells — IOC orders limited to the price that still leaves the edge,
// sized by the depth available there (book or impact model, through the view). With `hedge` on
// (the default) every venue fill is hedged by the opposite trade on the reference market
// (an ExternalTrade), and that trade moves the external price through the reference market's
// impact: arbitrage is how the venue's dislocation reaches the outside price, the oracle and
// the mark — the one route by which venue flow moves the outside price. Its venue position is
// its risk and what bounds it: finite capital. The position may not exceed `maxLeverage` ×
// equity in notional (and the venue's initial-margin check applies), so in a large dislocation
// it runs out of room and stops transmitting. It acts on every external price observation and
// every `pollMs`, and its orders arrive after its latency (the agent driver's).
//
// Causes: an order names the latest liquidation fill that pushed the venue its way (a
// liquidation sale for a buy, a purchase for a sell) if it is at most CAUSE_WINDOW_MS old (a
// dislocation long after a cascade is not that cascade's doing), and a hedge names the venue
// fill it hedges, so the cascade tree runs liquidation → fill → arbitrage → reference trade → external
// price → oracle → mark → liquidation.

import { NO_CAUSE, type Fill, type VenueEvent } from '../engine/events.js'
import { INSURANCE_FUND_ACCOUNT } from '../engine/venue_config.js'
import type { Agent, AgentAction, OrderIntent, VenueView } from './agent.js'

/** How long a liquidation fill counts as the cause of the dislocation an arbitrageur trades (simulated ms). */
const CAUSE_WINDOW_MS = 10_000

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
  /** Hedge every venue fill on the reference market (default true). */
  hedge?: boolean
}

/** Trades the venue toward the external price within its capital. */
export class Arbitrageur implements Agent {
  readonly subscriptions = ['ExternalPrice', 'Fill'] as const
  private baseAsset = -1
  /** Seq and time (ms) of the latest liquidation fill that sold (index 0) or bought (index 1) on the venue. */
  private readonly liquidationFill = [NO_CAUSE, NO_CAUSE]
  private readonly liquidationFillMs = [-Infinity, -Infinity]

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
    if (event.kind === 'Fill' && event.instrument === this.params.instrument) return this.onFill(event)
  }

  /** Remembers liquidation fills; hedges its own fills on the reference market. */
  private onFill(fill: Fill): AgentAction | void {
    const account = this.accounts[0] as number
    if (fill.liquidation || fill.taker === INSURANCE_FUND_ACCOUNT) {
      // The liquidated account (or the backstop unwinding) is the taker: its sale pushes the venue down (arbitrage buys).
      const k = fill.side === 'sell' ? 0 : 1
      this.liquidationFill[k] = fill.seq
      this.liquidationFillMs[k] = fill.t
    }
    if (this.params.hedge === false || (fill.taker !== account && fill.maker !== account)) return
    const bought = (fill.taker === account) === (fill.side === 'buy') ? fill.lots : -fill.lots
    return { hedges: [{ account, instrument: fill.instrument, lots: -bought, cause: fill.seq }] }
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
      if (lots > 0) order = { account, instrument: i, side: 'buy', type: 'ioc', priceTicks: buyBelow, lots, ...this.causeOf(view, 0) }
    } else if (bid > 0 && bid >= sellAbove) {
      const lots = Math.min(p.lotsMax, view.depthTo(i, 'buy', sellAbove), this.room(view, account, -1, sellAbove))
      if (lots > 0) order = { account, instrument: i, side: 'sell', type: 'ioc', priceTicks: sellAbove, lots, ...this.causeOf(view, 1) }
    }
    return order ? { orders: [order] } : {}
  }

  /** `{ cause }`: the recent liquidation fill on side `k` (0 sold, 1 bought), or nothing. */
  private causeOf(view: VenueView, k: 0 | 1): { cause?: number } {
    const seq = this.liquidationFill[k] as number
    if (seq === NO_CAUSE || view.nowMs - (this.liquidationFillMs[k] as number) > CAUSE_WINDOW_MS) return {}
    return { cause: seq }
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

