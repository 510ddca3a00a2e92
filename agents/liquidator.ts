// A liquidator: watches LiquidationAuction events and bids for the offered positions with its
// own capital. It wins if its bid reaches the venue first (its latency is its AgentDriver's) and
// its account can carry the position (the venue checks initial margin); its reward is a share of
// the liquidation penalty (the auction's rewardRate). It then unwinds what it took into the book
// with market orders, a slice every `unwindIntervalMs`, so its capital comes back for the next
// auction. Several liquidators with different latencies and capital compete for each auction.

import type { LiquidationAuction, VenueEvent } from '../engine/events.js'
import type { Prng } from '../engine/prng.js'
import type { Agent, AgentAction, OrderIntent, VenueView } from './agent.js'

export interface LiquidatorParams {
  /** Share of its available balance (equity − initial margin) it commits to one bid. */
  capitalUseMax: number
  /** Bids only when the auction's reward rate is at least this. */
  rewardRateMin: number
  /** Time between unwinding orders (ms). */
  unwindIntervalMs: number
  /** Lots per unwinding market order. */
  unwindLotsMax: number
}

/** Bids for liquidation auctions, then unwinds the positions it took. */
export class Liquidator implements Agent {
  readonly subscriptions = ['LiquidationAuction'] as const

  constructor(readonly name: string, readonly accounts: readonly number[], private readonly params: LiquidatorParams) {}

  start(_view: VenueView, rng: Prng): AgentAction {
    return { wakeInMs: 1 + rng.int(this.params.unwindIntervalMs) }
  }

  onEvent(view: VenueView, event: VenueEvent): AgentAction | void {
    if (event.kind !== 'LiquidationAuction' || event.rewardRate < this.params.rewardRateMin) return
    const account = this.accounts[0] as number
    if (account === event.account) return
    const lots = Math.min(event.lots, this.affordableLots(view, account, event))
    if (lots < 1) return
    return { bids: [{ account, auction: event.seq, lots }] }
  }

  onWake(view: VenueView): AgentAction {
    const p = this.params
    const account = this.accounts[0] as number
    const orders: OrderIntent[] = []
    for (let i = 0; i < view.instrumentCount; i++) {
      const position = view.position(account, i)
      if (position === 0) continue
      const lots = Math.min(Math.abs(position), p.unwindLotsMax)
      orders.push({ account, instrument: i, side: position > 0 ? 'sell' : 'buy', type: 'market', priceTicks: 0, lots })
    }
    return { orders, wakeInMs: p.unwindIntervalMs }
  }

  /** Lots whose initial margin (at the tier of its resulting position) fits in the committed capital. */
  private affordableLots(view: VenueView, account: number, auction: LiquidationAuction): number {
    const instrument = view.instrument(auction.instrument)
    const lotValue = auction.markTicks * instrument.cashPerTickLot
    const resulting = (Math.abs(view.position(account, auction.instrument)) + auction.lots) * lotValue
    const tier = instrument.tiers.find((x) => resulting <= x.maxNotional) ?? instrument.tiers[instrument.tiers.length - 1]!
    const capital = view.availableBalance(account) * this.params.capitalUseMax
    return capital > 0 ? Math.floor(capital / (lotValue * tier.initialRate)) : 0
  }
}
