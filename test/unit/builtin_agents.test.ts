// Each built-in trader does what its name says, on a crafted market (test/helpers/agent_market.ts:
// 1 lot·tick = 1 cash unit, IM 20%, MM 10%, a deep maker around a scripted oracle), in the
// real loop with latency; and agents are deterministic per seed.

import { describe, expect, it } from 'vitest'
import { deposit } from '../../engine/events.js'
import { lnDeterministic } from '../../engine/deterministic_math.js'
import { Prng } from '../../engine/prng.js'
import { BasisTrader } from '../../agents/basis_trader.js'
import { NoiseTrader } from '../../agents/noise_trader.js'
import { PanicSeller, type PanicSellerParams } from '../../agents/panic_seller.js'
import { TrendFollower, type TrendFollowerParams } from '../../agents/trend_follower.js'
import { ValueTrader } from '../../agents/value_trader.js'
import { AGENT, ramp, runAgentMarket, TEST_ASSET } from '../helpers/agent_market.js'
import { Simulation, type EventSink } from '../../engine/simulation.js'
import { buildWorld } from '../../experiments/world.js'
import { smallScenario } from '../helpers/small_world.js'

const position = (run: ReturnType<typeof runAgentMarket>) => run.venue.accounts.position(AGENT, 0)
const equity = (run: ReturnType<typeof runAgentMarket>) => run.venue.margin.equity(run.venue.accounts, AGENT)
/** Signed position after each trade. */
const path = (trades: { lots: number }[]) => trades.reduce<number[]>((out, x) => [...out, (out.at(-1) ?? 0) + x.lots], [])

const TREND: TrendFollowerParams = {
  instrument: 0, pollMs: 500, lookbackMs: 2000, entryRate: 0.01, exitRate: 0.002, leverage: 3, lotsMax: 1000, reference: 'oracle',
}

describe('trend follower', () => {
  // flat at 10,000 for 5 s, +5% over 5 s (2% per 2 s lookback), then flat again
  const rise: [number, number][] = [[0, 10_000], ...ramp(10_000, 10_500, 5000, 10_000)]

  it('buys after a rise, at its chosen leverage, and closes when the trend fades', () => {
    const run = runAgentMarket((a) => new TrendFollower('trend', a, TREND), rise, 20_000)
    expect(run.trades.length).toBeGreaterThan(0)
    expect(run.trades[0]!.t).toBeGreaterThan(5000 + 1000) // nothing while flat; momentum needs ≥ 1% over 2 s
    expect(run.trades[0]!.lots).toBeGreaterThan(0)
    const peak = Math.max(...path(run.trades))
    // 3× leverage on ~100,000 of equity (plus the trend's profit, ≤ 5%) at ~10,100–10,500: 28–32 lots
    expect(peak).toBeGreaterThanOrEqual(27)
    expect(peak).toBeLessThanOrEqual(32)
    expect(position(run)).toBe(0) // flat for 10 s: momentum 0 < exitRate
  })

  it('sells short after a fall', () => {
    const fall: [number, number][] = [[0, 10_000], ...ramp(10_000, 9500, 5000, 10_000)]
    const run = runAgentMarket((a) => new TrendFollower('trend', a, TREND), fall, 9000)
    expect(run.trades[0]!.lots).toBeLessThan(0)
    expect(Math.min(...path(run.trades))).toBeLessThanOrEqual(-27)
  })

  it('does nothing in a market that moves less than its entry threshold', () => {
    const drift: [number, number][] = [[0, 10_000], ...ramp(10_000, 10_050, 5000, 15_000)]
    expect(runAgentMarket((a) => new TrendFollower('trend', a, TREND), drift, 20_000).trades).toEqual([])
  })
})

describe('value trader', () => {
  const params = { instrument: 0, pollMs: 500, anchorHalfLifeMs: 30_000, dipRate: 0.03, lotsPerBuy: 4, maxLeverage: 1, reference: 'oracle' as const }
  // −10% over 2 s, 15 s at the bottom, back to 10,000 and held
  const dip: [number, number][] = [[0, 10_000], ...ramp(10_000, 9000, 5000, 7000), ...ramp(9000, 10_000, 22_000, 24_000)]

  it('buys the dip only below the anchor, within its capital, and sells once the price reverts', () => {
    const run = runAgentMarket((a) => new ValueTrader('value', a, params), dip, 40_000)
    const buys = run.trades.filter((x) => x.lots > 0)
    expect(buys.length).toBeGreaterThan(0)
    expect(buys.every((x) => x.t > 5000 && x.priceTicks < 9700)).toBe(true) // at least 3% under an anchor ≤ 10,000
    // limited capital: notional ≤ 1 × equity ≈ 100,000 at 9,000–9,700 → 10 or 11 lots, reached
    const peak = Math.max(...path(run.trades))
    expect(peak).toBeGreaterThanOrEqual(10)
    expect(peak).toBeLessThanOrEqual(11)
    expect(run.trades.filter((x) => x.lots < 0).every((x) => x.t > 22_000)).toBe(true)
    expect(position(run)).toBe(0)
    expect(equity(run)).toBeGreaterThan(100_000) // bought at ~9,000, sold at ~10,000
  })

  it('buys nothing when the price does not dip', () => {
    expect(runAgentMarket((a) => new ValueTrader('value', a, params), ramp(10_000, 10_200, 0, 20_000), 25_000).trades).toEqual([])
  })
})

describe('panic seller', () => {
  const params: PanicSellerParams = { instrument: 0, side: 'long', leverage: 4, panicHealth: 1.5, deRiskShare: 0.5, pollMs: 200, lotsMax: 1000 }
  // 50 ticks a second from 10,000 to 8,000: health (100,000 − 40·Δ) / (4·p) passes 1.5 near 8,824
  // and 1 (liquidation) near 8,333 for the 40 lots it opens
  const slide: [number, number][] = [[0, 10_000], ...ramp(10_000, 8000, 5000, 45_000)]

  it('opens its leveraged long, then sells when its health falls under the threshold, before liquidation', () => {
    const run = runAgentMarket((a) => new PanicSeller('panic', a, params), slide, 50_000)
    expect(run.trades[0]!.lots).toBe(40)
    const sells = run.trades.filter((x) => x.lots < 0)
    expect(sells.length).toBeGreaterThan(0)
    const first = sells[0]!
    expect(first.priceTicks).toBeLessThan(8830)
    expect(first.priceTicks).toBeGreaterThan(8750) // within a poll + latency of crossing 1.5
    expect(first.lots).toBe(-20) // half of 40
    expect(run.events.some((e) => e.kind === 'Liquidation' && e.account === AGENT)).toBe(false)
  })

  it('with no panic threshold the same position is liquidated instead', () => {
    const run = runAgentMarket((a) => new PanicSeller('panic', a, { ...params, panicHealth: 0 }), slide, 50_000)
    expect(run.trades.filter((x) => x.lots < 0 && x.t > 1000).length).toBeGreaterThan(0)
    expect(run.events.some((e) => e.kind === 'Liquidation' && e.account === AGENT)).toBe(true)
  })
})

describe('basis trader', () => {
  const params = { instrument: 0, hedgeRatio: 1, rebalanceLots: 1, pollMs: 500, lotsMax: 100 }
  const crash: [number, number][] = [[0, 10_000], ...ramp(10_000, 8000, 5000, 10_000)]

  it('shorts the perpetual against its base-asset collateral, so a 20% fall leaves its equity nearly unchanged', () => {
    const run = runAgentMarket((a) => new BasisTrader('basis', a, params), crash, 15_000, { cash: 20_000, assetUnits: 10 })
    expect(position(run)).toBe(-10) // 10 TEST held, 1 TEST per lot
    // collateral 10 × 2,000 lower, short +10 × ~2,000: within the spread paid on entry
    expect(Math.abs(equity(run) - 120_000)).toBeLessThan(200)
    const unhedged = runAgentMarket((a) => new BasisTrader('basis', a, { ...params, hedgeRatio: 0 }), crash, 15_000, { cash: 20_000, assetUnits: 10 })
    expect(equity(unhedged)).toBe(20_000 + 10 * 8000)
  })

  it('re-hedges when its collateral grows', () => {
    const later = [{ atMs: 12_000, input: deposit(12_000, AGENT, 5, TEST_ASSET) }]
    const run = runAgentMarket((a) => new BasisTrader('basis', a, params), crash, 15_000, { cash: 20_000, assetUnits: 10, later })
    expect(position(run)).toBe(-15)
  })
})

describe('noise trader', () => {
  const base = { instrument: 0, meanIntervalMs: 1000, lotsMax: 1000, maxLeverage: 5, sizeDistribution: 'uniform' as const, lotsMedian: 10, lotsSigma: 1 }

  it('orders arrive as a Poisson process: count ≈ T / mean, gaps with coefficient of variation ≈ 1', () => {
    const run = runAgentMarket((a) => new NoiseTrader('noise', a, base), [[0, 10_000]], 600_000, { cash: 1e7 })
    const times = run.events.filter((e) => e.kind === 'PlaceOrder' && e.account === AGENT).map((e) => e.t)
    expect(times.length).toBeGreaterThan(540) // 600 expected; Poisson sd ≈ 24.5
    expect(times.length).toBeLessThan(660)
    const gaps = times.slice(1).map((t, k) => t - times[k]!)
    const mean = gaps.reduce((x, y) => x + y, 0) / gaps.length
    const sd = Math.sqrt(gaps.reduce((x, y) => x + (y - mean) ** 2, 0) / gaps.length)
    expect(sd / mean).toBeGreaterThan(0.85) // exponential: 1 (latency jitter adds a little)
    expect(sd / mean).toBeLessThan(1.15)
  })

  it('lognormal sizes have the requested median and log-spread, capped at lotsMax; uniform stays in [1, lotsMax]', () => {
    const lognormal = new NoiseTrader('noise', [AGENT], { ...base, sizeDistribution: 'lognormal', lotsMedian: 20, lotsSigma: 0.8 })
    lognormal.start(undefined as never, new Prng(3, 'sizes'))
    const sizes = Array.from({ length: 20_000 }, () => lognormal.drawLots()).sort((x, y) => x - y)
    expect(sizes[10_000]).toBeGreaterThanOrEqual(19)
    expect(sizes[10_000]).toBeLessThanOrEqual(21)
    const logs = sizes.map((x) => lnDeterministic(x))
    const mean = logs.reduce((x, y) => x + y, 0) / logs.length
    const sd = Math.sqrt(logs.reduce((x, y) => x + (y - mean) ** 2, 0) / logs.length)
    expect(sd).toBeGreaterThan(0.74) // rounding to whole lots narrows it slightly
    expect(sd).toBeLessThan(0.84)
    expect(sizes.at(-1)).toBeLessThanOrEqual(1000)
    const uniform = new NoiseTrader('noise', [AGENT], { ...base, lotsMax: 7 })
    uniform.start(undefined as never, new Prng(3, 'sizes'))
    const drawn = new Set(Array.from({ length: 1000 }, () => uniform.drawLots()))
    expect([...drawn].sort()).toEqual([1, 2, 3, 4, 5, 6, 7])
  })

  it('a scenario asks for lognormal sizes through noiseTraders (or an agents: entry)', () => {
    const sizes = (overrides: Record<string, unknown>) => {
      const world = buildWorld(smallScenario({ durationMs: 300_000, noiseTraders: { count: 5, meanIntervalMs: 500, lotsMax: 400, ...overrides } }), 2)
      const traders = new Set(world.accounts.noiseTraders)
      const lots: number[] = []
      const sink: EventSink = { event: (e) => { if (e.kind === 'PlaceOrder' && traders.has(e.account)) lots.push(e.lots) }, checkpoint() {} }
      new Simulation(world.venue, world.drivers, { endMs: 300_000, checkpointEvery: 1e9, sinks: [sink] }).run()
      return lots.sort((x, y) => x - y)
    }
    const lognormal = sizes({ sizeDistribution: 'lognormal', lotsMedian: 12, lotsSigma: 0.5 })
    expect(lognormal.length).toBeGreaterThan(2500) // 5 traders × 600 expected arrivals
    expect(Math.abs(lognormal[lognormal.length >> 1]! - 12)).toBeLessThanOrEqual(1)
    const uniform = sizes({})
    expect(Math.abs(uniform[uniform.length >> 1]! - 200)).toBeLessThan(20) // uniform in [1, 400]
  })
})

describe('determinism', () => {
  const noisy: [number, number][] = [[0, 10_000], ...ramp(10_000, 10_600, 2000, 8000), ...ramp(10_600, 9800, 9000, 16_000)]
  const run = (seed: number) => runAgentMarket((a) => new TrendFollower('trend', a, { ...TREND, lotsMax: 7 }), noisy, 20_000, { seed })

  it('the same seed gives the same events; another seed shifts arrival times (latency and start are drawn from its stream)', () => {
    const a = run(5)
    expect(run(5).events).toEqual(a.events)
    expect(run(6).trades.map((x) => x.t)).not.toEqual(a.trades.map((x) => x.t))
  })
})
