// The one run aggregate: summary.json (summary and metrics) written live equals, byte for byte,
// what `inspect` and the rxjs operators recompute from the journal; the metrics catalog, the
// sweep table and docs/METRICS.md agree; the account ledger mirrors the venue exactly; and the
// aggregate is checked on a hand-made event stream (isolated compartments, every taker) whose
// answer is worked out by hand.

import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { firstValueFrom, from } from 'rxjs'
import { describe, expect, it } from 'vitest'
import { AccountLedger } from '../../analysis/account_ledger.js'
import { journalEvents } from '../../analysis/event_stream.js'
import { readFileSync } from 'node:fs'
import { METRICS, metricsOf } from '../../analysis/metrics.js'
import { aggregateEvents, analyseRun } from '../../analysis/run_analysis.js'
import { runSummary, summariseLosses } from '../../analysis/run_summary.js'
import { annotate } from '../../analysis/annotated_event.js'
import { journalRecords } from '../../analysis/event_stream.js'
import { buildResultsTable } from '../../experiments/results_table.js'
import type { SweepRunSummary } from '../../experiments/sweep_record.js'
import type { VenueEvent } from '../../engine/events.js'
import { JournalReader } from '../../engine/journal/journal_reader.js'
import { Simulation } from '../../engine/simulation.js'
import { runScenario, type RunReport } from '../../experiments/run_scenario.js'
import { buildWorld } from '../../experiments/world.js'
import { craftedVenueConfig, smallScenario } from '../helpers/small_world.js'

describe('metrics live and over a replayed journal', () => {
  it('summary.json equals, byte for byte, the summary and metrics recomputed from the journal', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'cascadelab-metrics-'))
    const report = await runScenario(smallScenario({ venue: { insuranceFund: 500 }, liquidators: { count: 2 } }), { outDir, seed: 5 })
    expect(report.liquidations.count).toBeGreaterThan(0)
    const reader = new JournalReader(join(outDir, 'journal.msgpack'))
    const replayed = await firstValueFrom(journalEvents(reader).pipe(analyseRun(reader.header.venue, { series: true })))
    const metrics = report.metrics
    // The report's summary fields, in the summary's key order (the report adds provenance around them).
    const liveSummary = Object.fromEntries(Object.keys(replayed.summary).map((key) => [key, report[key as keyof RunReport]]))
    expect(JSON.stringify(replayed.summary)).toBe(JSON.stringify(liveSummary))
    expect(JSON.stringify(replayed.metrics)).toBe(JSON.stringify(metrics))
    // `inspect` folds the journal synchronously through the same aggregate.
    const inspected = aggregateEvents(reader.header.venue, journalRecords(new JournalReader(join(outDir, 'journal.msgpack')))).finish()
    expect(JSON.stringify(inspected)).toBe(JSON.stringify(liveSummary))
    // What summary.json holds on disk is what the run returned.
    expect(JSON.parse(readFileSync(join(outDir, 'summary.json'), 'utf8')).metrics).toEqual(metrics)
    // The catalog reads the summary: a few spot checks that it reads the right fields.
    expect(metrics.liquidated_notional).toBe(report.liquidations.notional)
    expect(metrics.liquidations).toBe(report.liquidations.count)
    expect(metrics.insurance_fund_min).toBe(report.insuranceFund.min)
    expect(metrics.insurance_fund_start).toBe(500)
    expect(report.traders.count).toBe(80 + 2 + 3 + 2 + 2) // population, makers, noise traders, arbitrageurs, liquidators
    expect(metrics.fraction_liquidated).toBeCloseTo(report.liquidations.owners / report.traders.count, 6)
    const series = replayed.series!
    expect(series.rows.length).toBe(121) // 1 s buckets over [0, 120 s]: the end time is inclusive
    expect(series.markers.length).toBe(report.liquidations.count)
    const perMinute = series.perMinute.map((row) => row.reduce((a, b) => a + b, 0))
    expect(perMinute.reduce((a, b) => a + b, 0)).toBeCloseTo(report.liquidations.notional, 3)
    expect(Math.max(...perMinute)).toBeCloseTo(report.liquidations.peakNotionalPerMinute, 3)
  })

  it('the sweep table reads every catalog metric from summary.json, and docs/METRICS.md documents each', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'cascadelab-metrics-'))
    const report = await runScenario(smallScenario({ venue: { insuranceFund: 500 } }), { outDir, seed: 6, timeSeries: false })
    const run = { ...report, sweep: { index: 0, runId: 'run-00000', variant: 0, params: {}, patches: [] } } as unknown as SweepRunSummary
    const table = buildResultsTable([], [run])
    const row = table.rows[0]!
    const cell = (name: string) => row[table.columns.findIndex((c) => c.name === name)]
    for (const metric of METRICS) expect(cell(metric.name), metric.name).toBe(metric.value(report) ?? null)
    report.liquidations.byGeneration.forEach((g) => expect(cell(`liquidated_notional_gen_${g.generation}`)).toBe(g.notional))
    const docs = readFileSync(join(__dirname, '../../docs/METRICS.md'), 'utf8')
    for (const metric of METRICS) expect(docs, `docs/METRICS.md documents ${metric.name}`).toMatch(new RegExp(`\\| \`${metric.name}\` \\| ${metric.unit} \\|`))
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

/**
 * Hand-made events on the crafted venue (1 tick·lot = 1 cash unit = 1 USD). Traders: 1, 2, 6
 * (cross) and 3, whose isolated compartments 4 (long 3) and 5 (short 3) hold its margin.
 *   t 2 s   mark 100 → 90: step of 1 (gen 0): 2 lots in the book (taker fee 2), 3 to the backstop;
 *           step of compartment 4 (gen 0): 3 lots to liquidator 2 in an auction
 *   t 65 s  mark 80 (impact of 1's backstop takeover): full step of 6 (gen 1) at equity −20:
 *           4 lots auto-deleveraged against 2 at 85, bad debt 10
 *   t 70 s  an external price (an input: the fund's equity is sampled at input boundaries)
 *   t 90 s  mark 95
 */
function stream(): VenueEvent[] {
  const events: VenueEvent[] = []
  const e = (x: Record<string, unknown>): number => {
    const seq = events.length
    events.push({ cause: -1, t: 0, ...x, seq } as unknown as VenueEvent)
    return seq
  }
  const open = (account: number, parent = -1) => e({ kind: 'OpenAccount', account, mode: parent < 0 ? 'cross' : 'isolated', parent, instrument: parent < 0 ? -1 : 0 })
  const deposit = (account: number, amount: number) => e({ kind: 'Deposit', account, amount, asset: 0 })
  open(0); deposit(0, 1000)
  open(1); deposit(1, 100)
  open(2); deposit(2, 100)
  open(3); deposit(3, 200)
  open(4, 3); open(5, 3)
  e({ kind: 'Transfer', account: 3, to: 4, asset: 0, amount: 100 })
  e({ kind: 'Transfer', account: 3, to: 5, asset: 0, amount: 100 })
  open(6); deposit(6, 100)
  e({ kind: 'BlockTrade', instrument: 0, buyer: 1, seller: 2, priceTicks: 100, lots: 5 })
  e({ kind: 'BlockTrade', instrument: 0, buyer: 4, seller: 5, priceTicks: 100, lots: 3 })
  e({ kind: 'BlockTrade', instrument: 0, buyer: 6, seller: 2, priceTicks: 100, lots: 4 })
  const x1 = e({ kind: 'ExternalPrice', t: 1000, asset: 1, priceTicks: 100, exogenousTicks: 100 })
  e({ kind: 'MarkPrice', t: 1000, cause: x1, instrument: 0, priceTicks: 100 })
  const x2 = e({ kind: 'ExternalPrice', t: 2000, asset: 1, priceTicks: 90, exogenousTicks: 95 }) // exogenous −5%
  const m2 = e({ kind: 'MarkPrice', t: 2000, cause: x2, instrument: 0, priceTicks: 90 })
  const l1 = e({ kind: 'Liquidation', t: 2000, cause: m2, account: 1, equity: 50, maintenanceMargin: 45, mode: 'partial' })
  e({ kind: 'Fill', t: 2000, cause: l1, instrument: 0, taker: 1, maker: 2, makerOrderId: 7, side: 'sell', priceTicks: 90, lots: 2, takerFee: 2, makerFee: 0, liquidation: true })
  const b1 = e({ kind: 'BackstopTakeover', t: 2000, cause: l1, account: 1, instrument: 0, side: 'sell', priceTicks: 90, lots: 3 })
  const l4 = e({ kind: 'Liquidation', t: 2000, cause: m2, account: 4, equity: 40, maintenanceMargin: 27, mode: 'full' })
  const auction = e({ kind: 'LiquidationAuction', t: 2000, cause: l4, account: 4, instrument: 0, side: 'buy', lots: 3, markTicks: 90, rewardRate: 0, endsMs: 2500 })
  const bid = e({ kind: 'LiquidatorBid', t: 2100, cause: auction, account: 2, auction, lots: 3 })
  e({ kind: 'LiquidatorTakeover', t: 2100, cause: bid, account: 4, liquidator: 2, auction, instrument: 0, side: 'buy', priceTicks: 90, lots: 3 })
  const m3 = e({ kind: 'MarkPrice', t: 65_000, cause: b1, instrument: 0, priceTicks: 80 }) // mark −20%, 64 s after the peak
  const l6 = e({ kind: 'Liquidation', t: 65_000, cause: m3, account: 6, equity: -20, maintenanceMargin: 32, mode: 'full' })
  e({ kind: 'AutoDeleverage', t: 65_000, cause: l6, account: 2, bankrupt: 6, instrument: 0, side: 'buy', priceTicks: 85, lots: 4, rank: 1 })
  e({ kind: 'BadDebt', t: 65_000, cause: l6, account: 6, amount: 10 })
  e({ kind: 'ExternalPrice', t: 70_000, asset: 1, priceTicks: 80, exogenousTicks: 95 }) // an input: the fund is sampled as it arrives
  e({ kind: 'MarkPrice', t: 90_000, instrument: 0, priceTicks: 95 })
  return events
}

describe('the run aggregate on a hand-made stream', () => {
  it('gives the hand-computed values, counting traders (owners) with compartments as a breakdown', async () => {
    const venue = craftedVenueConfig()
    const s = await firstValueFrom(from(stream()).pipe(annotate(venue), runSummary(venue)))
    expect(s.price).toMatchObject({ markDrawdown: 0.2, exogenousDrawdown: 0.05, amplification: 4, timeToTroughMs: 64_000 })
    expect(s.liquidations).toMatchObject({
      count: 3, accounts: 3, owners: 3, roots: 2, generations: 2,
      notional: 1060, bookNotional: 180, liquidatorNotional: 270, backstopNotional: 270, adlNotional: 340,
      firstMs: 2000, peakNotionalPerMinute: 720, // minute 0: 180 + 270 + 270; minute 1: 340
      shareByTaker: { book: 0.169811, liquidators: 0.254717, backstop: 0.254717, adl: 0.320755 },
    })
    expect(s.liquidations.byGeneration.map((g) => [g.notional, g.bookNotional, g.liquidatorNotional, g.backstopNotional, g.adlNotional]))
      .toEqual([[720, 180, 270, 270, 0], [340, 0, 0, 0, 340]])
    expect(s.autoDeleverage).toEqual({ events: 1, accounts: 1, notional: 340, onsetAfterFirstLiquidationMs: 63_000 })
    // Fund: deposit 1000; takes 3 long at 90 → cash 730; at mark 80 equity 970 (its minimum, seen
    // as the input at 70 s arrives); at 95, 1015.
    expect(s.insuranceFund).toMatchObject({ start: 1000, min: 970, end: 1015, endCash: 730, endPositionLots: 3 })
    expect(s.insuranceFund.flows).toMatchObject({ deposits: 1000, takeovers: -270 })
    expect(s.badDebt).toBe(10)
    expect(s.fees).toBe(2)
    expect(s.negativeEquity).toEqual({ accounts: 1, owners: 1, deficit: 20 }) // account 6 at its step
    // Traders 1, 2, 3 (compartments 4, 5), 6. Losses (deposits − equity at 95): 1: 100 − 48 = 52;
    // 3: 200 − (0 + 70 + 115) = 15; 6: 100 − 50 = 50; 2 gained. Per compartment, 3 would show a
    // loss of 200 and 4 and 5 gains: owners, not compartments, carry the loss.
    expect(s.traders).toEqual({
      count: 4, liquidated: 3, fractionLiquidated: 0.75,
      loss: { withLoss: 3, total: 117, mean: 39, p50: 50, p90: 52, p99: 52, max: 52 },
    })
    expect(s.accounts).toEqual({ count: 6, compartments: 2, liquidated: 3, fractionLiquidated: 0.5 })
    const m = metricsOf(s)
    expect(m.fraction_liquidated).toBe(0.75)
    expect(m.fraction_accounts_liquidated).toBe(0.5)
    expect(m.adl_onset_after_first_liquidation_ms).toBe(63_000)
  })

  it('attributes nothing it cannot reach: a closing outcome with no step behind it is unattributed, not dropped', async () => {
    const venue = craftedVenueConfig()
    const events = stream().map((e) => (e.kind === 'AutoDeleverage' ? { ...e, cause: -1 } : e))
    const s = await firstValueFrom(from(events).pipe(annotate(venue), runSummary(venue)))
    expect(s.liquidations.adlNotional).toBe(340)
    expect(s.liquidations.unattributed).toMatchObject({ notional: 340, adlNotional: 340 })
    expect(s.liquidations.byGeneration.reduce((sum, g) => sum + g.adlNotional, 0)).toBe(0)
  })

  it('loss quantiles use nearest rank', () => {
    const losses = Array.from({ length: 100 }, (_, k) => k + 1)
    expect(summariseLosses(losses)).toMatchObject({ withLoss: 100, total: 5050, mean: 50.5, p50: 50, p90: 90, p99: 99, max: 100 })
    expect(summariseLosses([])).toMatchObject({ withLoss: 0, total: 0, p99: 0 })
  })
})
