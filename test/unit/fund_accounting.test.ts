// Fund accounting: for every named scenario (cut to 12 simulated minutes, past every shock), and
// for the default world in 'socialized' mode and with liquidation latency, the insurance fund's
// statement rebuilt from events alone (analysis/fund_statement.ts) reconciles exactly with the
// venue's books — cash, positions and seized collateral — so that
//
//   fund equity − bad debt written to it − losses socialised to it
//     = deposits + penalties − payouts + trading P&L (takeovers, unwinds, ADL; held lots at mark)
//       + seized collateral's value − what was paid for it + funding
//
// and the fund's equity is never negative at the end of an input (a shortfall is resolved in
// the same input: DeficitResolved). docs/VALIDATION.md "Fund accounting" quotes the figures.

import { describe, expect, it } from 'vitest'
import type { VenueEvent } from '../../engine/events.js'
import { Simulation } from '../../engine/simulation.js'
import { INSURANCE_FUND_ACCOUNT as FUND } from '../../engine/venue_config.js'
import { FundStatement } from '../../analysis/fund_statement.js'
import { namedScenarios, resolveScenario } from '../../experiments/named_scenarios.js'
import type { Scenario } from '../../experiments/scenario.js'
import { buildWorld } from '../../experiments/world.js'

const CUT_MS = 12 * 60_000

function reconcile(name: string, scenario: Scenario) {
  const world = buildWorld(scenario, 7)
  const { venue } = world
  const statement = new FundStatement(world.venueConfig)
  let negativeAtInputEnd = 0
  let lowest = Infinity
  let kinds = new Map<string, number>()
  new Simulation(venue, world.drivers, {
    endMs: Math.min(scenario.durationMs, CUT_MS), checkpointEvery: 1e9,
    sinks: [{
      event: (e: VenueEvent) => {
        statement.add(e)
        kinds.set(e.kind, (kinds.get(e.kind) ?? 0) + 1)
      },
      checkpoint() {},
      batchEnd() {
        const equity = venue.margin.equity(venue.accounts, FUND)
        if (equity < 0) negativeAtInputEnd++
        if (venue.lastT > 0) lowest = Math.min(lowest, equity)
      },
    }],
  }).run()
  const f = statement.flows
  // the statement is the venue's books
  expect(f.cash, `${name}: fund cash`).toBe(venue.accounts.cash[FUND])
  f.lots.forEach((lots, i) => expect(lots, `${name}: fund lots in ${i}`).toBe(venue.accounts.position(FUND, i)))
  const equity = venue.margin.equity(venue.accounts, FUND)
  const collateralValue = venue.margin.collateralValue(venue.accounts, FUND)
  let heldAtMark = 0
  f.lots.forEach((lots, i) => { heldAtMark += lots * (venue.margin.markTicks[i] as number) * (venue.margin.cashPerTickLot[i] as number) })
  const tradingPnl = f.takeovers + f.unwinds + f.adl + heldAtMark
  const sources = f.deposits + f.penalties - f.payouts + tradingPnl + collateralValue - f.collateralBought + f.funding
  expect(equity - f.badDebtToFund - f.socializedToFund, `${name}: reconciliation`).toBe(sources)
  expect(negativeAtInputEnd, `${name}: inputs that ended with the fund below zero`).toBe(0)
  // the venue's own identity: deposits + bad debt = Σ cash + positions + fees (engine/invariants.ts)
  return { name, f, equity, tradingPnl, collateralValue, lowest, badDebt: venue.badDebtTotal, kinds }
}

describe('fund accounting', () => {
  const rows: ReturnType<typeof reconcile>[] = []

  it.each(namedScenarios())('%s: the fund statement reconciles exactly and the fund is never left negative', (name) => {
    rows.push(reconcile(name, resolveScenario(name)))
  })

  it('default in socialized mode, with 1.5 s liquidation latency, an empty fund and a 10% gap: the same, through socialised losses and gap risk', () => {
    // 300 pairs keep the socialised losses (one event per opposing holder) to ~60k events
    const scenario = resolveScenario('default')
    scenario.liquidation = { ...scenario.liquidation, deficit: 'socialized', liquidationDelayMs: 1500 }
    scenario.venue = { ...scenario.venue, insuranceFund: 0 }
    scenario.price = { ...scenario.price, shocks: [{ atMs: 600_000, drop: 0.1, durationMs: 0 }] }
    scenario.population = { ...scenario.population, pairs: 300 }
    const row = reconcile('default (socialized, delay 1500 ms, fund 0, 10% gap, 300 pairs)', scenario)
    rows.push(row)
    expect(row.kinds.get('Underwater') ?? 0).toBeGreaterThan(0)
    expect(row.kinds.get('SocializedLoss') ?? 0).toBeGreaterThan(0)
  })

  it('prints the figures (docs/VALIDATION.md)', () => {
    const k = (x: number) => Math.round(x * 0.001).toLocaleString('en-US') // default cash unit 0.001
    for (const r of rows) {
      console.log(`| ${r.name} | ${k(r.f.deposits)} | ${k(r.f.penalties)} | ${k(r.f.payouts)} | ${k(r.tradingPnl)} | ${k(r.f.unwindNotional)} (${r.f.unwindOrders}) | ${k(r.f.badDebtToFund)} | ${k(r.f.socializedToFund)} | ${k(r.equity)} | ${k(r.lowest)} | ${k(r.badDebt)} |`)
    }
  })
})
