// Property tests over random seeds and small random worlds: after every event value is
// conserved exactly (penalties, rewards, fund payouts, bad debt, ADL and socialised losses
// included), open interest balances and books are uncrossed and consistent; after every input no
// account — the fund included — is left with negative equity (except one whose remainder is in a
// liquidator auction, or whose first step waits out liquidationDelayMs); every cause precedes its effect, and the liquidation steps form a forest
// whose generations agree with an independent count. Worlds include gaps (instant drops) and
// tiny funds so backstop, payout, ADL, socialised-loss and bad-debt paths are exercised,
// partial and full liquidation with rate limits and step caps, liquidator agents, isolated
// compartments, non-cash collateral (seized in liquidations) and a second instrument; the fund
// unwinds (FundUnwind), is risk-limited, and has its own deficits resolved; liquidation latency
// lets accounts cross bankruptcy (Underwater, DeficitResolved); populations may start unhealthy.

import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { InvariantMonitor } from '../../engine/invariants.js'
import { CascadeGenerations } from '../../analysis/cascade_generations.js'
import { CascadeTree } from '../../analysis/cascade_tree.js'
import { Simulation } from '../../engine/simulation.js'
import type { VenueEvent } from '../../engine/events.js'
import { buildWorld } from '../../experiments/world.js'
import { causalitySink } from '../helpers/causality_sink.js'
import { smallScenario } from '../helpers/small_world.js'

const worldArbitrary = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 }),
  pairs: fc.integer({ min: 1, max: 40 }),
  leverageMax: fc.integer({ min: 2, max: 50 }),
  drop: fc.double({ min: -0.3, max: 0.4, noNaN: true }),
  shockDurationMs: fc.constantFrom(0, 0, 1000, 5000, 10_000), // 0 = a gap: mark jumps past bankruptcy prices
  makers: fc.integer({ min: 0, max: 3 }),
  noise: fc.integer({ min: 0, max: 4 }),
  fund: fc.constantFrom(0, 0, 100, 50_000),
  impact: fc.double({ min: 0, max: 2, noNaN: true }),
  takerFeeRate: fc.constantFrom(0, 0.0005, 0.003),
  marginMode: fc.constantFrom('cross' as const, 'isolated' as const),
  btcCollateral: fc.constantFrom(0, 0, 0.5),
  onEth: fc.constantFrom(false, false, true), // the population trades ETH-PERP (no makers there)
  fullBelowHealth: fc.constantFrom(2 / 3, 1, 0.3),
  stepIntervalMs: fc.constantFrom(0, 500, 3000),
  stepShareMax: fc.constantFrom(1, 0.25),
  penaltyRate: fc.constantFrom(0.002, 0.005, 0.01),
  curve: fc.boolean(), // a two-point curve by size instead of one flat row
  liquidators: fc.constantFrom(0, 0, 2),
  auctionMs: fc.constantFrom(300, 2000),
  deficit: fc.constantFrom('adl' as const, 'socialized' as const),
  fundReserve: fc.constantFrom(0, 0, 10_000),
  arbitrageurs: fc.constantFrom(0, 2), // 2: hedges move the external price (ExternalTrade)
  venueShare: fc.constantFrom(0, 0.5), // the venue's last trade in the oracle's index
  inventorySkew: fc.constantFrom(0, 0.5), // makers' quotes follow their inventory
  fundUnwindIntervalMs: fc.constantFrom<number>(0, 1000, 1000),
  fundPositionNotionalMax: fc.constantFrom<number | undefined>(undefined, undefined, 20_000),
  liquidationDelayMs: fc.constantFrom<number>(0, 0, 1500), // latency: accounts can cross bankruptcy before their first step
  healthyStart: fc.boolean(), // false: allowUnhealthyStart (accounts may open below maintenance)
})

/** The steps form a forest: each parent is an earlier step one generation up; generations agree with CascadeGenerations. */
function checkForest(events: readonly VenueEvent[], tree: CascadeTree): void {
  const generations = new CascadeGenerations()
  const expected = new Map<number, number>()
  for (const e of events) {
    const g = generations.add(e)
    if (e.kind === 'Liquidation') expected.set(e.seq, g)
  }
  for (const step of tree.steps) {
    if (step.parent === -1) {
      expect(step.generation).toBe(0)
    } else {
      const parent = tree.step(step.parent)
      expect(parent, `parent of step ${step.seq}`).toBeDefined()
      expect(step.parent).toBeLessThan(step.seq)
      expect(step.generation).toBe(parent!.generation + 1)
    }
    expect(step.generation).toBe(expected.get(step.seq))
    const chain = tree.chain(step.seq)
    expect(chain.at(-1)).toBe(step.seq)
    for (let k = 1; k < chain.length; k++) expect(chain[k - 1]).toBeLessThan(chain[k]!)
  }
}

/** A full-liquidation, 'adl' world with no liquidators (the shape of the hand-picked examples). */
const FULL_ADL = {
  fullBelowHealth: 1, stepIntervalMs: 500, stepShareMax: 1, penaltyRate: 0.01, curve: false, liquidators: 0, auctionMs: 300,
  deficit: 'adl' as const, fundReserve: 0, fundUnwindIntervalMs: 1000, fundPositionNotionalMax: undefined as number | undefined, liquidationDelayMs: 0,
  healthyStart: false, arbitrageurs: 0, venueShare: 0, inventorySkew: 0,
}

describe('engine invariants (property)', () => {
  it('hold after every event on random worlds and seeds', () => {
    const seen = new Set<string>()
    fc.assert(
      fc.property(worldArbitrary, (w) => {
        const scenario = smallScenario({
          durationMs: 60_000,
          venue: { insuranceFund: w.fund, takerFeeRate: w.takerFeeRate, makerFeeRate: w.takerFeeRate / 2 },
          price: { shocks: [{ atMs: 20_000, drop: w.drop, durationMs: w.shockDurationMs }], impactTicksPerLot: w.impact },
          marketMakers: { count: w.makers, inventorySkew: w.inventorySkew },
          oracle: { venueShare: w.venueShare },
          noiseTraders: { count: w.noise },
          arbitrageurs: { count: w.arbitrageurs },
          population: {
            pairs: w.pairs, leverageMax: w.healthyStart ? Math.min(w.leverageMax, 40) : w.leverageMax, marginMode: w.marginMode,
            allowUnhealthyStart: !w.healthyStart,
            collateral: w.btcCollateral > 0 ? { BTC: w.btcCollateral } : {}, instrument: w.onEth ? 'ETH-PERP' : 'BTC-PERP',
          },
        })
        scenario.liquidation = {
          ...scenario.liquidation, fullBelowHealth: w.fullBelowHealth, stepIntervalMs: w.stepIntervalMs, stepShareMax: w.stepShareMax,
          deficit: w.deficit, fundReserve: w.fundReserve, auctionMs: w.auctionMs, fundUnwindIntervalMs: w.fundUnwindIntervalMs,
          liquidationDelayMs: w.liquidationDelayMs,
          ...(w.fundPositionNotionalMax === undefined ? {} : { fundPositionNotionalMax: w.fundPositionNotionalMax }),
          curves: Object.fromEntries(['BTC-PERP', 'ETH-PERP'].map((symbol) => [symbol, w.curve
            ? { shape: 'curve' as const, points: [{ notional: 1000, penaltyRate: w.penaltyRate / 2 }, { notional: 50_000, penaltyRate: w.penaltyRate, stepShareMax: 0.5 }] }
            : { shape: 'table' as const, points: [{ penaltyRate: w.penaltyRate }] }])),
        }
        scenario.liquidators = { ...scenario.liquidators, count: w.liquidators, capital: 200_000, unwindIntervalMs: 1500 }
        if (w.onEth) scenario.venue.instruments = [{ symbol: 'BTC-PERP' }, { symbol: 'ETH-PERP' }]
        else scenario.liquidation.curves = { 'BTC-PERP': scenario.liquidation.curves['BTC-PERP']! }
        const world = buildWorld(scenario, w.seed)
        const events: VenueEvent[] = []
        const tree = new CascadeTree(world.venueConfig)
        const monitor = new InvariantMonitor(world.venue, true)
        const causality = causalitySink((e) => {
          seen.add(e.kind)
          events.push(e)
          tree.add(e)
        })
        const result = new Simulation(world.venue, world.drivers, {
          endMs: scenario.durationMs, checkpointEvery: 1000, sinks: [monitor, causality],
        }).run()
        expect(monitor.checked).toBe(result.events)
        checkForest(events, tree)
      }),
      {
        numRuns: 50,
        seed: 20261124,
        // Always include a gap with no makers and an empty fund: the bad-debt path.
        examples: [[{
          seed: 3, pairs: 5, leverageMax: 20, drop: 0.3, shockDurationMs: 0, makers: 0, noise: 2, fund: 0, impact: 0.5, takerFeeRate: 0,
          marginMode: 'cross', btcCollateral: 0, onEth: false, ...FULL_ADL,
        }], [{
          seed: 4, pairs: 8, leverageMax: 30, drop: 0.2, shockDurationMs: 1000, makers: 1, noise: 1, fund: 100, impact: 0.5, takerFeeRate: 0,
          marginMode: 'isolated', btcCollateral: 0.5, onEth: false, ...FULL_ADL,
        }], [{
          // A fast fall through a thin book with a small fund: fills below bankruptcy prices while the
          // fund still has capital; it pays its 100, the rest is bad debt.
          seed: 7, pairs: 20, leverageMax: 50, drop: 0.3, shockDurationMs: 5000, makers: 1, noise: 1, fund: 100, impact: 0.5, takerFeeRate: 0,
          marginMode: 'cross', btcCollateral: 0, onEth: false, ...FULL_ADL,
        }], [{
          seed: 5, pairs: 20, leverageMax: 40, drop: 0.25, shockDurationMs: 2000, makers: 1, noise: 2, fund: 0, impact: 0.5, takerFeeRate: 0,
          marginMode: 'cross', btcCollateral: 0, onEth: false, ...FULL_ADL, deficit: 'socialized', stepIntervalMs: 500,
        }], [{
          // Liquidators and thin books: auctions, bids, takeovers, rewards.
          seed: 6, pairs: 20, leverageMax: 30, drop: 0.15, shockDurationMs: 10_000, makers: 0, noise: 2, fund: 50_000, impact: 0.5, takerFeeRate: 0.0005,
          marginMode: 'cross', btcCollateral: 0, onEth: false, ...FULL_ADL, fullBelowHealth: 2 / 3, liquidators: 2, penaltyRate: 0.005,
        }], [{
          // Partial steps to the target, rate-limited: wake-ups.
          seed: 8, pairs: 30, leverageMax: 30, drop: 0.15, shockDurationMs: 10_000, makers: 2, noise: 2, fund: 50_000, impact: 0.5, takerFeeRate: 0,
          marginMode: 'cross', btcCollateral: 0, onEth: false, ...FULL_ADL, fullBelowHealth: 0.3, stepIntervalMs: 3000, penaltyRate: 0.002,
          stepShareMax: 0.25,
        }], [{
          // A big fund that takes everything, then a fall that wipes it out: its own deficit is deleveraged.
          seed: 9, pairs: 30, leverageMax: 40, drop: 0.35, shockDurationMs: 5000, makers: 1, noise: 1, fund: 50_000, impact: 1, takerFeeRate: 0,
          marginMode: 'cross', btcCollateral: 0, onEth: false, ...FULL_ADL, fundUnwindIntervalMs: 0,
        }], [{
          // The same in socialized mode, with liquidation latency: gap risk, then the fund's shortfall is socialised.
          seed: 10, pairs: 30, leverageMax: 40, drop: 0.35, shockDurationMs: 5000, makers: 1, noise: 1, fund: 50_000, impact: 1, takerFeeRate: 0,
          marginMode: 'cross', btcCollateral: 0, onEth: false, ...FULL_ADL, fundUnwindIntervalMs: 0, deficit: 'socialized', liquidationDelayMs: 1500,
        }]],
      },
    )
    // The random worlds must reach every liquidation path, or the property proves little.
    for (const kind of [
      'Liquidation', 'BackstopTakeover', 'LiquidationPenalty', 'CollateralSeized', 'FundPayout', 'BadDebt', 'Fill', 'OrderRejected', 'Transfer',
      'LiquidationDeferred', 'LiquidationWake', 'LiquidationAuction', 'LiquidatorBid', 'LiquidatorTakeover', 'LiquidatorReward',
      'AutoDeleverage', 'SocializedLoss', 'FundUnwind', 'Underwater', 'DeficitResolved',
    ]) {
      expect([...seen].sort(), kind).toContain(kind)
    }
  })
})
