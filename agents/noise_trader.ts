// A noise trader: market orders of random side and size at Poisson arrivals. It keeps its
// leverage under `maxLeverage` by trading toward flat when its position is already that large.

import type { Prng } from '../engine/prng.js'
import type { Agent, AgentAction, VenueView } from './agent.js'

export interface NoiseTraderParams {
  instrument: number
  /** Mean time between orders (ms). */
  meanIntervalMs: number
  /** Order size is uniform in [1, lotsMax] lots. */
  lotsMax: number
  /** Position notional / equity above which it only reduces. */
  maxLeverage: number
}

/** Random market orders, exponential inter-arrival times. */
export class NoiseTrader implements Agent {
  readonly subscriptions = [] as const
  private rng!: Prng

  constructor(readonly name: string, readonly accounts: readonly number[], private readonly params: NoiseTraderParams) {}

  start(_view: VenueView, rng: Prng): AgentAction {
    this.rng = rng
    return { wakeInMs: this.nextArrivalMs() }
  }

  onWake(view: VenueView): AgentAction {
    const p = this.params
    const account = this.accounts[0] as number
    const mark = view.markTicks(p.instrument)
    const wakeInMs = this.nextArrivalMs()
    if (mark <= 0) return { wakeInMs }
    const position = view.position(account, p.instrument)
    const equity = view.equity(account)
    const notional = Math.abs(position) * mark * view.instrument(p.instrument).cashPerTickLot
    let side: 'buy' | 'sell' = this.rng.chance(1, 2) ? 'buy' : 'sell'
    if (equity <= 0 || notional > p.maxLeverage * equity) side = position > 0 ? 'sell' : 'buy'
    const lots = 1 + this.rng.int(p.lotsMax)
    return { orders: [{ account, instrument: p.instrument, side, type: 'market', priceTicks: 0, lots }], wakeInMs }
  }

  private nextArrivalMs(): number {
    return Math.max(1, Math.round(this.rng.exponential(this.params.meanIntervalMs)))
  }
}
