// Metrics as rxjs operators: the values written live into summary.json equal those recomputed
// from the journal by the same operators; the account ledger mirrors the venue exactly; and
// each metric is checked on a hand-made event stream whose answer is known.

import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { firstValueFrom, from } from 'rxjs'
import { describe, expect, it } from 'vitest'
import { AccountLedger } from '../../analysis/account_ledger.js'
import { journalEvents } from '../../analysis/event_stream.js'
import { AUTO_DELEVERAGE_KIND, runMetrics, summariseLosses } from '../../analysis/metrics.js'
import { analyseRun } from '../../analysis/run_analysis.js'
import type { VenueEvent } from '../../engine/events.js'
import { JournalReader } from '../../engine/journal/journal_reader.js'
import { Simulation } from '../../engine/simulation.js'
import { runScenario } from '../../experiments/run_scenario.js'
import { buildWorld } from '../../experiments/world.js'
import { craftedVenueConfig, smallScenario } from '../helpers/small_world.js'

describe('metrics live and over a replayed journal', () => {
  it('summary.json metrics equal the metrics recomputed from the journal', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'cascadelab-metrics-'))
    const report = await runScenario(smallScenario({ venue: { insuranceFund: 500 } }), { outDir, seed: 5 })
    expect(report.metrics.liquidations).toBeGreaterThan(0)
    const reader = new JournalReader(join(outDir, 'journal.msgpack'))
    const replayed = await firstValueFrom(journalEvents(reader).pipe(analyseRun(reader.header.venue, { series: true })))
    expect(replayed.metrics).toEqual(report.metrics)
    // The same quantities as the independent RunSummaryBuilder.
    expect(report.metrics.amplification).toBe(report.price.amplification)
    expect(report.metrics.liquidatedNotional).toBeCloseTo(report.liquidations.notional, 3)
    expect(report.metrics.liquidations).toBe(report.liquidations.count)
    expect(report.metrics.insuranceFundMin).toBeCloseTo(report.insuranceFund.min, 3)
    expect(report.metrics.badDebt).toBe(report.badDebt)
    expect(report.metrics.fractionLiquidated).toBeCloseTo(report.liquidations.accounts / (80 + 2 + 3 + 2), 6) // population, makers, noise traders, arbitrageurs
    const series = replayed.series!
    expect(series.rows.length).toBe(121) // 1 s buckets over [0, 120 s]: the end time is inclusive
    expect(series.markers.length).toBe(report.metrics.liquidations)
    const perMinuteTotal = series.perMinute.flat().reduce((a, b) => a + b, 0)
    expect(perMinuteTotal).toBeCloseTo(report.metrics.liquidatedNotional, 3)
  })

  it.each([
    ['cross, cash collateral', smallScenario({ venue: { insuranceFund: 0 } }), ['Liquidation']],
    ['isolated compartments with BTC collateral (seized in liquidations)', smallScenario({
      venue: { insuranceFund: 0 },
      price: { shocks: [{ atMs: 30_000, drop: 0.25, durationMs: 0 }] },
      population: { marginMode: 'isolated', collateral: { BTC: 0.5 } },
      arbitrageurs: { count: 0 }, // no arbitrage: the backstop is left with a position whose deficit becomes bad debt
    }), ['Liquidation', 'Transfer', 'CollateralSeized', 'BadDebt']],
    ['funding every 10 s, linear impact model instead of the book', smallScenario({
      venue: { insuranceFund: 0 },
      markets: { execution: 'linear', funding: { intervalMs: 10_000, sampleMs: 1000 } },
    }), ['Liquidation', 'FundingPayment']],
    ['liquidators and an empty fund: auctions, rewards, auto-deleveraging', smallScenario({
      venue: { insuranceFund: 0 },
      price: { shocks: [{ atMs: 30_000, drop: 0.25, durationMs: 0 }] },
      liquidators: { count: 2 },
    }), ['Liquidation', 'LiquidatorTakeover', 'LiquidatorReward', 'AutoDeleverage']],
    ['socialised losses', smallScenario({
      venue: { insuranceFund: 0 },
      price: { shocks: [{ atMs: 30_000, drop: 0.25, durationMs: 0 }] },
      liquidation: { deficit: 'socialized' },
    }), ['Liquidation', 'SocializedLoss']],
  ])('the account ledger built from events equals the venue state after a run (%s)', (_name, scenario, expectedKinds) => {
    const world = buildWorld(scenario, 11)
    const ledger = new AccountLedger(world.venueConfig)
    const kinds = new Set<string>()
    const simulation = new Simulation(world.venue, world.drivers, {
      endMs: 120_000, checkpointEvery: 1e9,
      sinks: [{ event: (e: VenueEvent) => { ledger.apply(e); kinds.add(e.kind) }, checkpoint() {} }],
    })
    simulation.run()
    const venue = world.venue
    expect(ledger.accounts).toBe(venue.accounts.count)
    for (const kind of expectedKinds) expect(kinds).toContain(kind)
    for (let a = 0; a < ledger.accounts; a++) {
      expect(ledger.equity(a)).toBeCloseTo(venue.margin.equity(venue.accounts, a), 6)
      expect(ledger.maintenanceMargin(a)).toBeCloseTo(venue.margin.maintenanceMargin(venue.accounts, a), 6)
      for (let i = 0; i < world.venueConfig.instruments.length; i++) expect(ledger.positionOf(a, i)).toBe(venue.accounts.position(a, i))
      for (let k = 0; k < world.venueConfig.assets.length; k++) expect(ledger.balanceOf(a, k)).toBe(venue.accounts.balance(a, k))
    }
  })
})

/** Hand-made events on the crafted venue (1 tick·lot = 1 cash unit = 1 USD). */
function stream(): VenueEvent[] {
  let seq = 0
  const e = <T extends Omit<VenueEvent, 'seq'>>(x: T) => ({ ...x, seq: seq++ }) as unknown as VenueEvent
  return [
    e({ kind: 'OpenAccount', t: 0, cause: -1, account: 0, mode: 'cross', parent: -1, instrument: -1 }),
    e({ kind: 'Deposit', t: 0, cause: -1, account: 0, amount: 1000, asset: 0 }),
    e({ kind: 'OpenAccount', t: 0, cause: -1, account: 1, mode: 'cross', parent: -1, instrument: -1 }),
    e({ kind: 'Deposit', t: 0, cause: -1, account: 1, amount: 100, asset: 0 }),
    e({ kind: 'OpenAccount', t: 0, cause: -1, account: 2, mode: 'cross', parent: -1, instrument: -1 }),
    e({ kind: 'Deposit', t: 0, cause: -1, account: 2, amount: 100, asset: 0 }),
    e({ kind: 'OpenAccount', t: 0, cause: -1, account: 3, mode: 'cross', parent: -1, instrument: -1 }),
    e({ kind: 'Deposit', t: 0, cause: -1, account: 3, amount: 100, asset: 0 }),
    e({ kind: 'BlockTrade', t: 0, cause: -1, instrument: 0, buyer: 1, seller: 2, priceTicks: 100, lots: 5 }),
    e({ kind: 'ExternalPrice', t: 1000, cause: -1, asset: 1, priceTicks: 100, exogenousTicks: 100 }), // 9
    e({ kind: 'MarkPrice', t: 1000, cause: 9, instrument: 0, priceTicks: 100 }),
    e({ kind: 'ExternalPrice', t: 2000, cause: -1, asset: 1, priceTicks: 90, exogenousTicks: 95 }), // 11: exogenous −5%
    e({ kind: 'MarkPrice', t: 2000, cause: 11, instrument: 0, priceTicks: 90 }), // 12: mark −10%
    e({ kind: 'Liquidation', t: 2000, cause: 12, account: 1, equity: 50, maintenanceMargin: 45 }), // 13: gen 0
    e({ kind: 'BackstopTakeover', t: 2000, cause: 13, account: 1, instrument: 0, side: 'sell', priceTicks: 90, lots: 5 }),
    e({ kind: 'MarkPrice', t: 5000, cause: 13, instrument: 0, priceTicks: 80 }), // 15: mark −20%, 4 s after the peak
    e({ kind: 'Liquidation', t: 5000, cause: 15, account: 1, equity: -10, maintenanceMargin: 0 }), // 16: gen 1
    e({ kind: 'BadDebt', t: 5000, cause: 16, account: 1, amount: 30 }),
    { kind: AUTO_DELEVERAGE_KIND, seq: seq++, t: 5000, cause: 16, instrument: 0, lots: 2, priceTicks: 80 } as unknown as VenueEvent,
    // the next input: the fund is sampled at input boundaries (the state the t = 5 s input left)
    e({ kind: 'ExternalPrice', t: 6000, cause: -1, asset: 1, priceTicks: 95, exogenousTicks: 95 }),
    e({ kind: 'MarkPrice', t: 9000, cause: -1, instrument: 0, priceTicks: 95 }),
  ]
}

describe('metrics on a hand-made stream', () => {
  it('gives the hand-computed values', async () => {
    const m = await firstValueFrom(from(stream()).pipe(runMetrics(craftedVenueConfig())))
    expect(m.maxDrawdown).toBe(0.2) // 100 → 80
    expect(m.timeToTroughMs).toBe(4000) // peak at 1 s, trough at 5 s
    expect(m.amplification).toBe(4) // 0.2 / 0.05
    expect(m.liquidations).toBe(2)
    expect(m.liquidatedNotional).toBe(450) // 5 lots × 90 ticks
    expect(m.liquidatedNotionalByGeneration).toEqual([450])
    expect(m.badDebt).toBe(30)
    expect(m.adlVolume).toBe(160) // 2 lots × 80 ticks: the assumed AutoDeleverage event
    expect(m.fractionLiquidated).toBe(0.333333) // account 1 of accounts 1..3
    // Fund: 1000 cash, takes 5 lots long at 90; at mark 80 (when the t = 6 s input arrives) its equity is 1000 − 450 + 400 = 950.
    expect(m.insuranceFundMin).toBe(950)
    // Final mark 95: account 1 sold at 90 via backstop: 100 − 500 + 450 + 30 (bad debt) = 80 → loss 20;
    // account 2 short 5 from 100: 100 + 500 − 475 = 125 → gain; account 3 flat → no loss.
    expect(m.lossDistribution).toEqual({ accountsWithLoss: 1, total: 20, mean: 20, p50: 20, p90: 20, p99: 20, max: 20 })
  })

  it('reports zero ADL volume when no AutoDeleverage event exists', async () => {
    const m = await firstValueFrom(from(stream().filter((e) => (e.kind as string) !== AUTO_DELEVERAGE_KIND)).pipe(runMetrics(craftedVenueConfig())))
    expect(m.adlVolume).toBe(0)
  })

  it('loss quantiles use nearest rank', () => {
    const losses = Array.from({ length: 100 }, (_, k) => k + 1)
    expect(summariseLosses(losses)).toMatchObject({ accountsWithLoss: 100, total: 5050, mean: 50.5, p50: 50, p90: 90, p99: 99, max: 100 })
    expect(summariseLosses([])).toMatchObject({ accountsWithLoss: 0, total: 0, p99: 0 })
  })
})
