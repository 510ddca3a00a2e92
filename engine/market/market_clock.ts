// The venue's market clock: schedules a MarketTick input at every instant one of the venue's
// timed market rules falls due — a premium sample, a funding settlement, or a book-based mark
// re-read — and at no other time. The venue decides what is due from its own state, so the
// ticks only have to arrive on time; they are journaled inputs, so replay needs no clock.

import { marketTick, type EventKind } from '../events.js'
import type { Driver, DriverContext } from '../simulation.js'
import { markReadsMarket, type MarketConfig } from './market_config.js'

/** Drives MarketTick inputs for the instruments' timed market rules. */
export class MarketClock implements Driver {
  readonly subscriptions: readonly EventKind[] = []
  private context!: DriverContext
  private readonly periodsMs: number[]

  constructor(markets: readonly MarketConfig[], readonly name = 'market-clock') {
    const periods = new Set<number>()
    for (const market of markets) {
      if (markReadsMarket(market)) periods.add(market.mark.intervalMs)
      if (market.funding.enabled) {
        periods.add(market.funding.sampleMs)
        periods.add(market.funding.intervalMs)
      }
    }
    this.periodsMs = [...periods].sort((a, b) => a - b)
  }

  /** True if some rule needs ticks. */
  get needed(): boolean {
    return this.periodsMs.length > 0
  }

  start(context: DriverContext): void {
    this.context = context
    if (this.needed) context.wakeAt(this.nextAfter(0))
  }

  onWake(nowMs: number): void {
    this.context.schedule(marketTick(nowMs), nowMs)
    this.context.wakeAt(this.nextAfter(nowMs))
  }

  /** The first multiple of any period strictly after `t` (ms). */
  nextAfter(t: number): number {
    let next = Infinity
    for (const period of this.periodsMs) next = Math.min(next, (Math.floor(t / period) + 1) * period)
    return next
  }
}
