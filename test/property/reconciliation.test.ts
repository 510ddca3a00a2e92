// Totals reconcile, for every named scenario and for random worlds: per-generation liquidated
// notional adds up to the total for every taker (exactly, in integer cash units, with nothing
// unattributed); the taker totals equal a direct recount of the journal's closing events; and
// an independent AccountLedger rebuilt from the journal closes the books against the summary's
// deposits, fees and bad debt (Σ cash + fees = deposits + bad debt; Σ equity likewise when all
// collateral is cash; open interest nets to zero). The summary written live equals the one
// recomputed from the journal, byte for byte.

import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { AccountLedger } from '../../analysis/account_ledger.js'
import { journalRecords } from '../../analysis/event_stream.js'
import { aggregateEvents } from '../../analysis/run_analysis.js'
import type { VenueEvent } from '../../engine/events.js'
import { JournalReader } from '../../engine/journal/journal_reader.js'
import { INSURANCE_FUND_ACCOUNT } from '../../engine/venue_config.js'
import { namedScenarios, resolveScenario } from '../../experiments/named_scenarios.js'
import { runScenario, type RunReport } from '../../experiments/run_scenario.js'
import type { Scenario } from '../../experiments/scenario.js'
import { smallScenario } from '../helpers/small_world.js'

type Totals = { book: number; liquidators: number; backstop: number; adl: number }

/** Runs `scenario` into a temp dir and checks every reconciliation against its journal; returns the report. */
async function runAndReconcile(scenario: Scenario, seed: number): Promise<RunReport> {
  const outDir = mkdtempSync(join(tmpdir(), 'cascadelab-reconcile-'))
  const report = await runScenario(scenario, { outDir, seed, timeSeries: false })
  const file = join(outDir, 'journal.msgpack')
  const venue = new JournalReader(file).header.venue
  const aggregator = aggregateEvents(venue, journalRecords(new JournalReader(file)))
  const summary = aggregator.finish()
  const live = Object.fromEntries(Object.keys(summary).map((key) => [key, report[key as keyof RunReport]]))
  expect(JSON.stringify(summary), 'live summary = summary recomputed from the journal').toBe(JSON.stringify(live))
  expect(JSON.parse(readFileSync(join(outDir, 'summary.json'), 'utf8')).liquidations).toEqual(summary.liquidations)

  // 1. Generations add up to the totals for every taker, exactly; nothing is unattributed.
  const cash = aggregator.totalsCash()
  expect(cash.unattributed).toEqual({ notional: 0, bookNotional: 0, liquidatorNotional: 0, backstopNotional: 0, adlNotional: 0 })
  const sum = (f: (g: (typeof cash.byGeneration)[number]) => number): number => cash.byGeneration.reduce((a, g) => a + f(g), 0)
  expect(sum((g) => g.bookNotional)).toBe(cash.byTaker.book)
  expect(sum((g) => g.liquidatorNotional)).toBe(cash.byTaker.liquidators)
  expect(sum((g) => g.backstopNotional)).toBe(cash.byTaker.backstop)
  expect(sum((g) => g.adlNotional)).toBe(cash.byTaker.adl)
  expect(sum((g) => g.notional)).toBe(cash.byTaker.book + cash.byTaker.liquidators + cash.byTaker.backstop + cash.byTaker.adl)
  expect(sum((g) => g.liquidations)).toBe(summary.liquidations.count)

  // 2. A direct recount of the journal, and an independent ledger.
  const recount = recountJournal(file)
  expect(cash.byTaker).toEqual(recount.byTaker)
  expect(cash.deposits).toBe(recount.deposits)
  expect(summary.insuranceFund.start).toBeCloseTo(recount.fundDeposits * venue.cashUnit, 6)
  expect(summary.liquidations.owners).toBe(recount.liquidatedOwners)
  const ledger = recount.ledger
  let cashHeld = 0
  let equity = 0
  for (let a = 0; a < ledger.accounts; a++) {
    cashHeld += ledger.balanceOf(a, 0)
    equity += ledger.equity(a)
  }
  expect(cashHeld + cash.fees, 'Σ cash + fees = deposits + bad debt').toBe(cash.deposits + cash.badDebt)
  if (!recount.nonCashCollateral) expect(equity + cash.fees).toBeCloseTo(cash.deposits + cash.badDebt, 3)
  for (let i = 0; i < venue.instruments.length; i++) {
    let net = 0
    for (let a = 0; a < ledger.accounts; a++) net += ledger.positionOf(a, i)
    expect(net, `open interest of instrument ${i} nets to zero`).toBe(0)
  }
  // The fund's statement (analysis/fund_statement.ts) against the ledger: its cash and its position.
  expect(summary.insuranceFund.endCash).toBeCloseTo(ledger.balanceOf(INSURANCE_FUND_ACCOUNT, 0) * venue.cashUnit, 6)
  expect(summary.insuranceFund.endPositionLots).toBe(ledger.positionOf(INSURANCE_FUND_ACCOUNT, 0))
  // One valuation of the fund: the summary's equity is the margin model's (seized collateral at its weighted price, as the time series has it).
  expect(summary.insuranceFund.end).toBeCloseTo(ledger.equity(INSURANCE_FUND_ACCOUNT) * venue.cashUnit, 6)
  // 3. Traders and compartments.
  expect(summary.traders.liquidated).toBeLessThanOrEqual(summary.accounts.liquidated)
  expect(summary.traders.count + summary.accounts.compartments).toBe(summary.accounts.count)
  return report
}

/** Taker totals and deposits straight from the journal's events (no cascade tree, no shared classifier), and a fresh ledger. */
function recountJournal(file: string) {
  const reader = new JournalReader(file)
  const venue = reader.header.venue
  const ledger = new AccountLedger(venue)
  const byTaker: Totals = { book: 0, liquidators: 0, backstop: 0, adl: 0 }
  const parent = new Map<number, number>()
  const liquidated = new Set<number>()
  let deposits = 0
  let fundDeposits = 0
  let nonCashCollateral = false
  const value = (e: { instrument: number; lots: number; priceTicks: number }): number => e.lots * e.priceTicks * venue.instruments[e.instrument]!.cashPerTickLot
  for (const e of journalRecords(reader) as Iterable<VenueEvent>) {
    ledger.apply(e)
    if (e.kind === 'OpenAccount') parent.set(e.account, e.parent)
    else if (e.kind === 'Liquidation') liquidated.add(e.account)
    // The fund's own unwind fills and the ADL of its positions close no liquidated account (docs/METRICS.md).
    else if (e.kind === 'Fill' && e.liquidation && e.taker !== INSURANCE_FUND_ACCOUNT) byTaker.book += value(e)
    else if (e.kind === 'LiquidatorTakeover') byTaker.liquidators += value(e)
    else if (e.kind === 'BackstopTakeover') byTaker.backstop += value(e)
    else if (e.kind === 'AutoDeleverage' && e.bankrupt !== INSURANCE_FUND_ACCOUNT) byTaker.adl += value(e)
    else if (e.kind === 'Deposit' && e.asset === 0) {
      deposits += e.amount
      if (e.account === INSURANCE_FUND_ACCOUNT) fundDeposits += e.amount
    } else if (e.kind === 'Deposit') nonCashCollateral = true
  }
  const owners = new Set([...liquidated].map((a) => ((parent.get(a) ?? -1) >= 0 ? parent.get(a)! : a)))
  return { byTaker, deposits, fundDeposits, ledger, liquidatedOwners: owners.size, nonCashCollateral }
}

describe('totals reconcile', () => {
  it.each(namedScenarios())('named scenario %s', async (name) => {
    const report = await runAndReconcile(resolveScenario(name), 7)
    expect(report.liquidations.count, 'the scenario liquidates something').toBeGreaterThan(0)
  }, 60_000)

  it('on random worlds: margin mode, liquidators, fund, deficit policy, collateral, shock', async () => {
    const seen = new Set<string>()
    await fc.assert(fc.asyncProperty(fc.record({
      seed: fc.integer({ min: 1, max: 1_000_000 }),
      marginMode: fc.constantFrom('cross' as const, 'isolated' as const),
      liquidators: fc.constantFrom(0, 2),
      fund: fc.constantFrom(0, 500, 20_000),
      deficit: fc.constantFrom('adl' as const, 'socialized' as const),
      btc: fc.constantFrom(0, 0, 0.3),
      drop: fc.constantFrom(0.1, 0.25),
    }), async (w) => {
      const scenario = smallScenario({
        durationMs: 90_000,
        venue: { insuranceFund: w.fund },
        price: { shocks: [{ atMs: 30_000, drop: w.drop, durationMs: 2_000 }] },
        population: { marginMode: w.marginMode, collateral: w.btc > 0 ? { BTC: w.btc } : {} },
        liquidators: { count: w.liquidators },
        liquidation: { deficit: w.deficit },
      })
      const report = await runAndReconcile(scenario, w.seed)
      for (const [kind, n] of Object.entries(report.eventsByKind)) if (n > 0) seen.add(kind)
    }), { numRuns: 12, seed: 18 })
    // The property reached what it is about: every taker and the deficit paths.
    for (const kind of ['Liquidation', 'LiquidatorTakeover', 'BackstopTakeover', 'AutoDeleverage', 'SocializedLoss', 'Transfer']) expect(seen).toContain(kind)
  }, 120_000)
})
