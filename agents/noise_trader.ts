// A noise trader: market orders of random side and size at Poisson arrivals (exponential gaps
// of mean `meanIntervalMs`). Sizes are uniform in [1, lotsMax], or lognormal with median
// `lotsMedian` and log-standard-deviation `lotsSigma` (heavy-tailed, as observed order sizes
// are), capped at lotsMax. It keeps its leverage under `maxLeverage` by trading toward flat
// when its position is already that large. The uniform draw sequence is unchanged from the
// first version, so scenarios that do not ask for lognormal sizes replay as before.

import { lnDeterministic } from '../engine/deterministic_math.js'
import type { Prng } from '../engine/prng.js'
import type { Agent, AgentAction, VenueView } from './agent.js'

export interface NoiseTraderParams {
  instrument: number
  /** Mean time between orders (ms). */
  meanIntervalMs: number
  /** Largest order (lots); uniform sizes are in [1, lotsMax]. */
  lotsMax: number
  /** Position notional / equity above which it only reduces. */
  maxLeverage: number
  /** Order size distribution. */
  sizeDistribution: 'uniform' | 'lognormal'
  /** Lognormal sizes: median (lots). */
  lotsMedian: number
  /** Lognormal sizes: standard deviation of ln(size). */
  lotsSigma: number
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
    const lots = this.drawLots()
    return { orders: [{ account, instrument: p.instrument, side, type: 'market', priceTicks: 0, lots }], wakeInMs }
  }

  /** One order size (lots) from the configured distribution. */
  drawLots(): number {
    const p = this.params
    if (p.sizeDistribution !== 'lognormal') return 1 + this.rng.int(p.lotsMax)
    const lots = Math.round(this.rng.lognormal(lnDeterministic(p.lotsMedian), p.lotsSigma))
    return Math.min(p.lotsMax, Math.max(1, lots))
  }

  private nextArrivalMs(): number {
    return Math.max(1, Math.round(this.rng.exponential(this.params.meanIntervalMs)))
  }
}
