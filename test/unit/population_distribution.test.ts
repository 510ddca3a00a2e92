// Populations described by distributions produce the requested distribution (moments checked
// with tolerances of a few standard errors, so a wrong parameterisation fails), positions that
// match each drawn account, a counterparty that balances them, and explicit lists as given.

import { describe, expect, it } from 'vitest'
import { lnDeterministic } from '../../engine/deterministic_math.js'
import { Prng } from '../../engine/prng.js'
import { Simulation } from '../../engine/simulation.js'
import { InvariantMonitor } from '../../engine/invariants.js'
import { drawTraders, generateDistributedPopulation, type DistributedPopulationParams } from '../../agents/population_distribution.js'
import { buildWorld } from '../../experiments/world.js'
import { smallScenario } from '../helpers/small_world.js'

const mean = (xs: number[]) => xs.reduce((x, y) => x + y, 0) / xs.length
const sd = (xs: number[]) => {
  const m = mean(xs)
  return Math.sqrt(xs.reduce((x, y) => x + (y - m) ** 2, 0) / (xs.length - 1))
}

const PARAMS: DistributedPopulationParams = {
  instrument: 0, count: 20_000,
  collateral: { kind: 'lognormal', median: 10_000, sigma: 0.8, min: 0, max: Number.MAX_SAFE_INTEGER },
  leverage: { kind: 'mix', values: [5, 20], weights: [3, 7] },
  longShare: 0.6, entrySpreadRate: 0.01, marginMode: 'cross', isolatedMarginShare: 0.5, collateralAssets: [],
}

describe('a population drawn from distributions', () => {
  const traders = drawTraders(PARAMS, new Prng(1, 'population-0'), 60_000)

  it('collateral is lognormal: ln has mean ln(median) and standard deviation sigma', () => {
    const logs = traders.map((t) => lnDeterministic(t.collateral))
    // standard errors: 0.8/√20000 = 0.0057 for the mean, ≈ 0.004 for the sd
    expect(Math.abs(mean(logs) - lnDeterministic(10_000))).toBeLessThan(0.02)
    expect(sd(logs)).toBeGreaterThan(0.785)
    expect(sd(logs)).toBeLessThan(0.815)
  })

  it('leverage follows the mix weights, sides the long share, entries the spread', () => {
    expect(new Set(traders.map((t) => t.leverage))).toEqual(new Set([5, 20]))
    const high = traders.filter((t) => t.leverage === 20).length / traders.length
    expect(Math.abs(high - 0.7)).toBeLessThan(0.01) // se 0.0032
    const long = traders.filter((t) => t.side === 'long').length / traders.length
    expect(Math.abs(long - 0.6)).toBeLessThan(0.01)
    const moves = traders.map((t) => t.entryTicks / 60_000 - 1)
    expect(Math.abs(mean(moves))).toBeLessThan(0.0003) // se 0.00007
    expect(sd(moves)).toBeGreaterThan(0.0097)
    expect(sd(moves)).toBeLessThan(0.0103)
  })

  it('lognormal leverage is clamped to [min, max] and has the requested median', () => {
    const clamped = drawTraders({ ...PARAMS, leverage: { kind: 'lognormal', median: 8, sigma: 0.6, min: 2, max: 30 } }, new Prng(2, 'p'), 60_000)
    const leverage = clamped.map((t) => t.leverage).sort((x, y) => x - y)
    expect(leverage[0]).toBeGreaterThanOrEqual(2)
    expect(leverage.at(-1)).toBeLessThanOrEqual(30)
    expect(Math.abs(leverage[10_000]! / 8 - 1)).toBeLessThan(0.03)
  })

  it('each account holds lots = collateral × leverage / entry against one counterparty that balances them', () => {
    const small = { ...PARAMS, count: 500 }
    const setup = generateDistributedPopulation(small, new Prng(1, 'p'), 10, 60_000, 0.01)
    expect(setup.counterparty).toBe(10)
    expect(setup.accounts).toEqual(Array.from({ length: 500 }, (_, k) => 11 + k))
    for (const t of setup.traders) {
      const ideal = (Math.round(t.collateral) * t.leverage) / (t.entryTicks * 0.01)
      expect(Math.abs(Math.abs(t.lots) - Math.max(1, ideal))).toBeLessThanOrEqual(0.5)
      expect(Math.sign(t.lots)).toBe(t.side === 'long' ? 1 : -1)
    }
  })
})

describe('scenario populations', () => {
  const scenario = (populations: unknown[], extra: Record<string, unknown> = {}) =>
    smallScenario({ population: { pairs: 0 }, populations, ...extra })

  it('opens the drawn accounts in the world: deposits, positions and the counterparty\'s balancing position', () => {
    const world = buildWorld(scenario([{ count: 300, collateral: { median: 5000, sigma: 0.5 }, leverage: { value: 4 }, longShare: 0.7 }]), 9)
    new Simulation(world.venue, world.drivers, { endMs: 0, checkpointEvery: 1000, sinks: [new InvariantMonitor(world.venue, true)] }).run()
    const { accounts, counterparty } = world.accounts.populations[0]!
    expect(accounts).toHaveLength(300)
    const positions = accounts.map((a) => world.venue.accounts.position(a, 0))
    expect(positions.every((p) => p !== 0)).toBe(true)
    expect(world.venue.accounts.position(counterparty, 0)).toBe(-positions.reduce((x, y) => x + y, 0))
    const longShare = positions.filter((p) => p > 0).length / 300
    expect(longShare).toBeGreaterThan(0.6) // 0.7 requested; se 0.026
    expect(longShare).toBeLessThan(0.8)
  })

  it('an explicit list gives exactly those accounts; isolated mode puts each position in a compartment', () => {
    const world = buildWorld(scenario([{
      marginMode: 'isolated', isolatedMarginShare: 1,
      accounts: [{ collateral: 6000, leverage: 10, side: 'long' }, { collateral: 3000, leverage: 5, side: 'short', entryPrice: 62_000 }],
    }]), 1)
    new Simulation(world.venue, world.drivers, { endMs: 0, checkpointEvery: 1000 }).run()
    const { accounts, owners } = world.accounts.populations[0]!
    expect(accounts.map((a, k) => a - owners[k]!)).toEqual([1, 1])
    const cfg = world.venueConfig.instruments[0]!
    const lots = (quote: number, price: number) => Math.round(quote / (price / cfg.tickSize) / cfg.cashPerTickLot / world.venueConfig.cashUnit)
    expect(accounts.map((a) => world.venue.accounts.position(a, 0))).toEqual([lots(60_000, 60_000), -lots(15_000, 62_000)])
  })

  it('is deterministic per seed, and its stream is its own (the legacy population is unchanged by adding one)', () => {
    const spec = [{ count: 50, entrySpreadRate: 0.02 }]
    const inputs = (seed: number, populations: unknown[]) => {
      const world = buildWorld(smallScenario({ populations }), seed)
      return new Simulation(world.venue, world.drivers, { endMs: 0, checkpointEvery: 1000 }).run().digest
    }
    expect(inputs(3, spec)).toBe(inputs(3, spec))
    expect(inputs(4, spec)).not.toBe(inputs(3, spec))
    const legacy = (populations: unknown[]) => {
      const world = buildWorld(smallScenario({ populations }), 3)
      return world.accounts.population.length
    }
    expect(legacy(spec)).toBe(legacy([]))
  })

  it('bad specs are one-line errors naming the field', () => {
    expect(() => scenario([{ leverage: { median: 5 } }])).toThrow('test: populations.0.leverage.sigma: a lognormal needs both median and sigma')
    expect(() => scenario([{ leverage: { value: 5, mix: [{ value: 3, weight: 1 }] } }]))
      .toThrow(/test: populations\.0\.leverage: give exactly one of \{ value \}, \{ median, sigma, min\?, max\? \} \(lognormal\) or \{ mix/)
    expect(() => scenario([{ collateral: { value: 5, max: 9 } }])).toThrow('test: populations.0.collateral.max: min and max bound a lognormal only')
    expect(() => scenario([{ longShare: 1.5 }])).toThrow(/test: populations\.0\.longShare: .*\(got 1\.5\)/)
    expect(() => scenario([{ collateralAssets: { BTC: 0.7, ETH: 0.6 } }])).toThrow(/populations\.0\.collateralAssets shares must sum to at most 1/)
    expect(() => buildWorld(scenario([{ instrument: 'DOGE-PERP' }]), 1)).toThrow(/populations\.0\.instrument: "DOGE-PERP" is not a listed instrument/)
  })
})
