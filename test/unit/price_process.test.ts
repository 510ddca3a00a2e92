// The external price process: recorded paths with shocks, Poisson jumps, and trades placed on the
// reference market (ExternalTrade) moving the price through the linear, square-root and
// propagator models (hand-computed); the venue's own fills never move it.

import { describe, expect, it } from 'vitest'
import { externalTrade, type ExternalPrice, type ExternalTrade, type Fill, type InputEvent } from '../../engine/events.js'
import type { ImpactModelConfig } from '../../engine/market/impact_model.js'
import { PriceProcess, type PriceProcessConfig } from '../../engine/market/price_process.js'
import { Prng } from '../../engine/prng.js'
import type { DriverContext } from '../../engine/simulation.js'
import type { VenueView } from '../../engine/venue_view.js'

const linear: ImpactModelConfig = { model: 'linear', ticksPerLot: 0.5, y: 1, dailyVolatility: 0, dailyVolumeLots: 1, transientShare: 0, halfLifeMs: 0 }

function config(overrides: Partial<PriceProcessConfig> = {}): PriceProcessConfig {
  return {
    asset: 1, impactInstruments: [0], impactLotScale: [1], startTicks: 10_000, stepMs: 1000, volatilityPerStep: 0,
    jumps: { ratePerHour: 0, meanDrop: 0, dropStdDev: 0 }, shocks: [], path: null, impact: linear, impactDelayMs: 0,
    ...overrides,
  }
}

/** Runs a driver alone: wakes in time order until `endMs`; returns the inputs it scheduled. */
function drive(process: PriceProcess, endMs: number, during?: (now: number) => void) {
  let now = 0
  const wakes: number[] = []
  const scheduled: { atMs: number; input: InputEvent }[] = []
  const context: DriverContext = {
    view: null as unknown as VenueView,
    now: () => now,
    schedule: (input, atMs) => scheduled.push({ atMs, input }),
    wakeAt: (atMs) => wakes.push(atMs),
  }
  process.start(context)
  while (wakes.length > 0) {
    wakes.sort((a, b) => a - b)
    const next = wakes.shift()!
    if (next > endMs) break
    now = next
    process.onWake(now)
    during?.(now)
  }
  return scheduled.map(({ atMs, input }) => [atMs, (input as ExternalPrice).priceTicks, (input as ExternalPrice).exogenousTicks] as const)
}

const trade = (lots: number, seq = 7): ExternalTrade => ({ ...externalTrade(0, 5, 0, lots, 3), seq })
const fill = (lots: number, side: 'buy' | 'sell', seq = 7): Fill => ({
  kind: 'Fill', seq, t: 0, cause: 0, instrument: 0, taker: 1, maker: 2, makerOrderId: -1, side, priceTicks: 10_000, lots,
  takerFee: 0, makerFee: 0, liquidation: true,
})

describe('external price process', () => {
  it('a recorded path is published at its points, with a shock applied as a linear factor', () => {
    const path = { timesMs: Float64Array.of(0, 1500, 4000), priceTicks: Float64Array.of(10_000, 10_100, 10_200) }
    // shock −10% over 2 s from t = 2000: factor 0.95 at 3000, 0.9 from 4000; woken at points, the shock's start and its steps
    const out = drive(new PriceProcess(config({ path, shocks: [{ atMs: 2000, drop: 0.1, durationMs: 2000 }] }), new Prng(1, 'p')), 6000)
    expect(out.map(([t, , exogenous]) => [t, exogenous])).toEqual([
      [0, 10_000], [1500, 10_100], [2000, 10_100], [3000, 9_595], [4000, 9_180],
    ])
  })

  it('Poisson jumps multiply the walk by (1 − drop)', () => {
    const jumps = { ratePerHour: 3600, meanDrop: 0.01, dropStdDev: 0 } // one a second on average, −1% each
    const out = drive(new PriceProcess(config({ jumps }), new Prng(1, 'p'), 'p', new Prng(1, 'jumps')), 20_000)
    const prices = out.map(([, , exogenous]) => exogenous)
    expect(prices[prices.length - 1]).toBeLessThan(10_000 * 0.99 ** 5)
    for (const p of prices) {
      const n = Math.round(Math.log(p / 10_000) / Math.log(0.99)) // every price is 10,000·0.99ⁿ
      expect(Math.abs(p - 10_000 * 0.99 ** n)).toBeLessThanOrEqual(0.5)
    }
  })

  it('net reference-market trades move the price linearly: Δp = λ·Q; venue fills do not', () => {
    const process = new PriceProcess(config({ impactDelayMs: 50 }), new Prng(1, 'p'))
    const out = drive(process, 1000, (now) => {
      if (now !== 1000) return
      process.onEvent(fill(10_000, 'sell')) // the venue's own liquidation: priced by its book, not here
      process.onEvent(trade(-120))
      process.onEvent(trade(20))
      process.onBatchEnd(now)
    })
    // net −100 lots · 0.5 ticks = −50 ticks, observed 50 ms later; exogenous unchanged
    expect(out[out.length - 1]).toEqual([1050, 9_950, 10_000])
  })

  it('square root: Δp = Y·σ·p·√(Q / V), with a transient part decaying by half-lives', () => {
    const impact: ImpactModelConfig = { ...linear, model: 'square_root', y: 1, dailyVolatility: 0.05, dailyVolumeLots: 1_000_000, transientShare: 0.5, halfLifeMs: 2000 }
    const process = new PriceProcess(config({ impact }), new Prng(1, 'p'))
    const out = drive(process, 5000, (now) => {
      if (now !== 1000) return
      process.onEvent(trade(-10_000))
      process.onBatchEnd(now)
    })
    // 1 · 0.05 · 10,000 · √(10,000 / 1e6) = 50 ticks: 25 permanent, 25 transient (12.5 after 2 s, 6.25 after 4 s)
    const at = (t: number) => out.filter(([time]) => time === t).map(([, price]) => price)
    expect(at(1000)).toContain(9_950)
    expect(at(3000)).toEqual([10_000 - 25 - 12.5 + 0.5]) // 9962.5 rounds to 9963
    expect(at(5000)).toEqual([Math.round(10_000 - 25 - 6.25)])
  })

  it('propagator: a sale of Q lots moves the price by G(0)·Q, then decays as (1 + τ/τ0)^(−½)', () => {
    const propagator = { permanentTicksPerLot: 0, transientTicksPerLot: 0.5, decayExponent: 0.5, decayScaleMs: 1000, exponentials: 30 }
    const process = new PriceProcess(config({ propagator }), new Prng(1, 'p'))
    const out = drive(process, 4000, (now) => {
      if (now !== 1000) return
      process.onEvent(trade(-200))
      process.onBatchEnd(now)
    })
    const at = (t: number) => out.filter(([time]) => time === t).map(([, price]) => price)
    expect(at(1000)).toContain(10_000 - 100) // G(0)·Q = 0.5 · 200
    expect(at(4000)).toEqual([Math.round(10_000 - 100 / Math.sqrt(1 + 3))]) // 3 s later: half the impact left
  })
})
