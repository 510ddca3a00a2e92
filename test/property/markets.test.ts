// Property tests over random worlds that switch on the market features: impact-model execution,
// every mark rule, fast funding, lagged/noisy/TWAP oracles with faults, jumps, venue share,
// square-root spill-over, makers with finite resilience and withdrawal limits, arbitrageurs.
// After every event: exact value conservation (funding included), balanced open interest,
// consistent uncrossed books, zero-sum funding; after every input no account but the fund is
// left with negative equity; causes precede effects. Then exact replay of such a world.

import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { InvariantMonitor } from '../../engine/invariants.js'
import { JournalReader } from '../../engine/journal/journal_reader.js'
import { replayJournal } from '../../engine/replay.js'
import { Simulation } from '../../engine/simulation.js'
import { runScenario } from '../../experiments/run_scenario.js'
import { buildWorld } from '../../experiments/world.js'
import { causalitySink } from '../helpers/causality_sink.js'
import { smallScenario } from '../helpers/small_world.js'

const marketWorld = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 }),
  execution: fc.constantFrom('book' as const, 'book' as const, 'linear' as const, 'square_root' as const),
  mark: fc.constantFrom('oracle' as const, 'book_mid' as const, 'impact_mid' as const, 'median' as const),
  transientShare: fc.constantFrom(0, 0.5),
  funding: fc.boolean(),
  sources: fc.integer({ min: 1, max: 3 }),
  lagMs: fc.constantFrom(0, 800),
  noiseRate: fc.constantFrom(0, 0.0005),
  twapWindowMs: fc.constantFrom(0, 0, 5000),
  fault: fc.constantFrom('none' as const, 'outage' as const, 'stale' as const),
  jumps: fc.constantFrom(0, 0, 60),
  venueShare: fc.constantFrom(0, 0.5, 1),
  spillover: fc.constantFrom('linear' as const, 'square_root' as const),
  resilience: fc.constantFrom(1, 0.3),
  withdraw: fc.boolean(),
  arbitrageurs: fc.integer({ min: 0, max: 2 }),
  drop: fc.double({ min: 0.02, max: 0.3, noNaN: true }),
  fund: fc.constantFrom(0, 50_000),
  twoBooks: fc.boolean(), // ETH-PERP listed too, with its own makers (and the population on it half the time)
})
type MarketWorld = typeof marketWorld extends fc.Arbitrary<infer T> ? T : never

function scenarioOf(w: MarketWorld) {
  const scenario = smallScenario({
    durationMs: 60_000,
    venue: { insuranceFund: w.fund },
    price: {
      shocks: [{ atMs: 20_000, drop: w.drop, durationMs: 2000 }], impactTicksPerLot: 0.5, allowPriceManipulation: true,
      jumps: { ratePerHour: w.jumps, meanDrop: 0.005, dropStdDev: 0.01 },
      impact: { model: w.spillover, dailyVolumeLots: 2_000_000, transientShare: w.transientShare, halfLifeMs: 5000 },
    },
    oracle: {
      venueShare: w.venueShare,
      sources: Array.from({ length: w.sources }, (_, k) => ({ lagMs: k * w.lagMs, noiseRate: w.noiseRate })),
      twapWindowMs: w.twapWindowMs, pollMs: 500,
      faults: w.fault === 'none' ? [] : [{ kind: w.fault, atMs: 21_000, durationMs: 8000 }],
    },
    markets: {
      execution: w.execution,
      impact: { model: w.execution === 'square_root' ? 'square_root' : 'linear', ticksPerLot: 0.3, dailyVolumeLots: 2_000_000, transientShare: w.transientShare, halfLifeMs: 5000 },
      markPrice: { method: w.mark, intervalMs: 1000, basisHalfLifeMs: 10_000 },
      funding: { enabled: w.funding, intervalMs: 10_000, sampleMs: 1000, capRate: 0.01 },
      impactNotional: 5000,
      counterpartyCapital: 1e8,
    },
    marketMakers: { resilience: w.resilience, calmVolatility: w.withdraw ? 0.0003 : 0, withdrawVolatility: w.withdraw ? 0.002 : 0, withdrawInventoryLots: w.withdraw ? 400 : 0 },
    arbitrageurs: { count: w.arbitrageurs, capital: 200_000, lotsMax: 500 },
    population: { instrument: w.twoBooks && w.seed % 2 === 0 ? 'ETH-PERP' : 'BTC-PERP' },
  })
  if (w.twoBooks) {
    scenario.venue.instruments = [{ symbol: 'BTC-PERP' }, { symbol: 'ETH-PERP' }]
    scenario.markets.byInstrument = { 'ETH-PERP': { execution: 'book' } }
    scenario.marketMakers.instruments = w.execution === 'book' ? ['BTC-PERP', 'ETH-PERP'] : ['ETH-PERP']
  }
  return scenario
}

describe('market invariants (property)', () => {
  it('hold after every event on random worlds with every market feature', () => {
    const seen = new Set<string>()
    fc.assert(
      fc.property(marketWorld, (w) => {
        const scenario = scenarioOf(w)
        const world = buildWorld(scenario, w.seed)
        const monitor = new InvariantMonitor(world.venue, true)
        const causality = causalitySink((e) => {
          seen.add(e.kind === 'OrderRejected' ? `OrderRejected:${e.reason}` : e.kind)
          if (e.kind === 'Fill' && e.makerOrderId === -1) seen.add('ModelFill')
          if (e.kind === 'Fill' && e.instrument === 1) seen.add('SecondBookFill')
        })
        const result = new Simulation(world.venue, world.drivers, { endMs: scenario.durationMs, checkpointEvery: 1000, sinks: [monitor, causality] }).run()
        expect(monitor.checked).toBe(result.events)
        expect(world.venue.markets.fundingPaidTotal).toBe(world.venue.markets.fundingReceivedTotal)
      }),
      {
        numRuns: 30,
        seed: 20261125,
        examples: [[{
          seed: 1, execution: 'linear', mark: 'impact_mid', transientShare: 0.5, funding: true, sources: 3, lagMs: 800, noiseRate: 0.0005,
          twapWindowMs: 5000, fault: 'outage', jumps: 60, venueShare: 1, spillover: 'square_root', resilience: 0.3, withdraw: true,
          arbitrageurs: 2, drop: 0.2, fund: 0, twoBooks: true,
        }], [{
          seed: 2, execution: 'book', mark: 'median', transientShare: 0, funding: true, sources: 1, lagMs: 0, noiseRate: 0,
          twapWindowMs: 0, fault: 'stale', jumps: 0, venueShare: 0.5, spillover: 'linear', resilience: 0.3, withdraw: true,
          arbitrageurs: 1, drop: 0.15, fund: 50_000, twoBooks: true,
        }]],
      },
    )
    // The random worlds must reach the new paths, or the property proves little.
    for (const kind of ['FundingRate', 'FundingPayment', 'ModelFill', 'OracleStatus', 'MarketTick', 'Liquidation', 'BackstopTakeover', 'BadDebt', 'SecondBookFill', 'ExternalTrade']) {
      expect(seen, kind).toContain(kind)
    }
  })

  it('replays a world with every market feature exactly', async () => {
    const scenario = scenarioOf({
      seed: 3, execution: 'square_root', mark: 'median', transientShare: 0.5, funding: true, sources: 3, lagMs: 800, noiseRate: 0.0005,
      twapWindowMs: 5000, fault: 'stale', jumps: 60, venueShare: 1, spillover: 'square_root', resilience: 0.3, withdraw: true,
      arbitrageurs: 2, drop: 0.2, fund: 0, twoBooks: true,
    })
    const outDir = mkdtempSync(join(tmpdir(), 'cascadelab-markets-'))
    const report = await runScenario(scenario, { outDir, seed: 3 })
    const replay = replayJournal(new JournalReader(join(outDir, 'journal.msgpack')), true)
    expect(replay.mismatch).toBeNull()
    expect(replay.digest).toBe(report.journal.finalStateDigest)
    expect(report.eventsByKind.FundingPayment).toBeGreaterThan(0)
    expect(report.liquidations.count).toBeGreaterThan(0)
  })
})
