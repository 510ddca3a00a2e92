// The analytic cascade under linear permanent impact, with no other agents (docs/markets.md,
// "The cascade fixed point"). Longs i hold qᵢ lots with liquidation prices Lᵢ; the mark is the
// model price; an exogenous move takes it to P₁. Every liquidation sells qᵢ into the model and
// moves the price by −λ·qᵢ, so the cascade ends at the greatest P* ≤ P₁ with
//
//     P* = P₁ − λ · Σ{ qᵢ : Lᵢ ≥ P* }.
//
// Closed form: sort Lᵢ descending, Sₖ = q₍₁₎ + … + q₍ₖ₎; then P* = P₁ − λ·S_k* with
// k* = min{ k : L₍ₖ₊₁₎ < P₁ − λ·Sₖ } (L₍ₙ₊₁₎ = −∞). On the venue, marks are whole ticks and an
// account is liquidated when its equity is below maintenance (mark < Lᵢ), so the engine runs
// the same recursion with m(P) = round(P) (every liquidation is a full close: fullBelowHealth 1);
// the test checks the closed form on that grid exactly and the continuous one to within a tick.

import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { blockTrade, deposit, openAccount, oraclePrice, type InputEvent } from '../../engine/events.js'
import { checkInvariants } from '../../engine/invariants.js'
import { applyAll, Venue } from '../helpers/small_world.js'
import { craftedMarketVenue } from '../helpers/market_venue.js'

const FUND = 0
const MARKET = 1
const SHORT = 2
const FIRST_LONG = 3
const P0 = 10_000
const MMR = 0.1 // craftedVenueConfig's maintenance rate

interface Long { lots: number; liquidationTicks: number }

/** Deposit that puts a long of `lots` opened at P0 at liquidation price L: equity(L) = MM(L). */
function depositFor(long: Long): number {
  // cash = D − q·P0; equity(P) = D − q·P0 + q·P = MMR·q·P at P = L  ⇒  D = q·P0 − q·L·(1 − MMR)
  return Math.ceil(long.lots * P0 - long.lots * long.liquidationTicks * (1 - MMR))
}

/** The realised liquidation price of that deposit (the ceil above moves it slightly down). */
function liquidationPrice(long: Long): number {
  return (long.lots * P0 - depositFor(long)) / (long.lots * (1 - MMR))
}

/** Closed form: the liquidated prefix k* and P* = P₁ − λ·S_k*, with `liquidated(L, P)` the trigger rule. */
function fixedPoint(longs: readonly Long[], p1: number, lambda: number, liquidated: (l: number, p: number) => boolean) {
  const sorted = longs.map((x) => ({ ...x, l: liquidationPrice(x) })).sort((a, b) => b.l - a.l)
  let sum = 0
  let k = 0
  while (k < sorted.length && liquidated(sorted[k]!.l, p1 - lambda * sum)) sum += sorted[k++]!.lots
  return { k, priceTicks: p1 - lambda * sum, sum }
}

function runCascade(longs: readonly Long[], p1: number, lambda: number) {
  const venue = new Venue(craftedMarketVenue({ execution: { model: 'linear', counterparty: MARKET }, impact: { ticksPerLot: lambda }, mark: { method: 'impact_mid' } }, { fullBelowHealth: 1 }))
  venue.afterEvent = () => {
    const problem = checkInvariants(venue)
    if (problem) throw new Error(problem)
  }
  const inputs: InputEvent[] = [
    openAccount(0, FUND), deposit(0, FUND, 1e6),
    openAccount(0, MARKET), deposit(0, MARKET, 1e12),
    openAccount(0, SHORT), deposit(0, SHORT, 1e12),
    oraclePrice(0, 1, P0, -1),
  ]
  longs.forEach((long, n) => {
    inputs.push(openAccount(0, FIRST_LONG + n), deposit(0, FIRST_LONG + n, depositFor(long)))
    inputs.push(blockTrade(0, 0, FIRST_LONG + n, SHORT, P0, long.lots))
  })
  applyAll(venue, inputs)
  expect(venue.outbox.filter((e) => e.kind === 'Liquidation')).toEqual([]) // nobody is liquidated at P0
  const events = applyAll(venue, [oraclePrice(1, 1, p1, -1)])
  const liquidated = new Set(events.flatMap((e) => (e.kind === 'Liquidation' ? [e.account - FIRST_LONG] : [])))
  return { venue, liquidated, markTicks: venue.margin.markTicks[0] as number }
}

describe('the cascade fixed point under linear impact', () => {
  it('a crafted population stops where the closed form says', () => {
    // λ = 1 tick per lot, P₁ = 9000. L: 9010 (30 lots), 8975 (10), 8950 (20), 8900 (5), 8700 (100).
    // 9000 → liquidate L=9010 → 8970 → L=8975 → 8960 → L=8950? no: 8950 < 8960. P* = 8960.
    const longs: Long[] = [
      { lots: 20, liquidationTicks: 8950 }, { lots: 30, liquidationTicks: 9010 }, { lots: 5, liquidationTicks: 8900 },
      { lots: 10, liquidationTicks: 8975 }, { lots: 100, liquidationTicks: 8700 },
    ]
    const { markTicks, liquidated } = runCascade(longs, 9000, 1)
    expect(markTicks).toBe(8960)
    expect([...liquidated].sort()).toEqual([1, 3])
    expect(fixedPoint(longs, 9000, 1, (l, p) => l >= p).priceTicks).toBe(8960)
  })

  it('a cascade that runs through the whole population ends at P₁ − λ·Σq', () => {
    // L = 9010, 9005, …, 8965 (10 lots each), λ = 0.6: after k liquidations P = 9000 − 6k ≤ 9010 − 5k = L₍ₖ₊₁₎.
    const longs: Long[] = Array.from({ length: 10 }, (_, n) => ({ lots: 10, liquidationTicks: 9010 - 5 * n }))
    const { markTicks, liquidated } = runCascade(longs, 9000, 0.6)
    expect(liquidated.size).toBe(10)
    expect(markTicks).toBe(9000 - 60)
  })

  it('random populations: the engine reproduces the closed form (exactly on the tick grid, within a tick in reals)', () => {
    // Liquidation prices from 150 ticks below P₁ to 30 above it, so many populations cascade.
    const population = fc.array(
      fc.record({ lots: fc.integer({ min: 1, max: 60 }), offsetTicks: fc.integer({ min: -150, max: 30 }) }),
      { minLength: 2, maxLength: 40 },
    )
    let clear = 0
    let cascaded = 0
    let runs = 0
    fc.assert(fc.property(population, fc.integer({ min: 8_600, max: 9_300 }), fc.double({ min: 0.05, max: 3, noNaN: true }), (drawn, p1, lambda) => {
      runs++
      const longs = drawn.map(({ lots, offsetTicks }) => ({ lots, liquidationTicks: p1 + offsetTicks }))
      const { markTicks, liquidated } = runCascade(longs, p1, lambda)
      // The engine's rule: liquidated when mark < L, with mark = round(P).
      const grid = fixedPoint(longs, p1, lambda, (l, p) => l > Math.round(p))
      expect(markTicks).toBe(Math.max(1, Math.round(grid.priceTicks)))
      expect(liquidated.size).toBe(grid.k)
      // The rule, Lᵢ ≥ P*, in real numbers: the same P* to within a tick, unless some Lᵢ
      // lies within a tick of a price the cascade passes through (then rounding decides it).
      const continuous = fixedPoint(longs, p1, lambda, (l, p) => l >= p)
      const sorted = longs.map((x) => ({ lots: x.lots, l: liquidationPrice(x) })).sort((a, b) => b.l - a.l)
      // Each step k of the recursion compares L₍ₖ₊₁₎ with Pₖ; rounding can only decide a step where they are within a tick.
      let passed = p1
      let boundary = false
      for (let k = 0; k < sorted.length && k <= continuous.k; k++) {
        if (Math.abs(sorted[k]!.l - passed) <= 1) boundary = true
        passed -= lambda * sorted[k]!.lots
      }
      if (!boundary) {
        clear++
        expect(Math.abs(markTicks - continuous.priceTicks)).toBeLessThanOrEqual(1)
      }
      if (grid.k > sorted.filter((x) => x.l > p1).length) cascaded++
    }), { numRuns: 150, seed: 4242 })
    expect(clear).toBeGreaterThan(runs / 3) // the within-a-tick check is not vacuous
    expect(cascaded).toBeGreaterThan(runs / 4) // and many populations cascade past the first round
  })
})
